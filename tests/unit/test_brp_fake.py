from __future__ import annotations

import json
import threading
from datetime import date

import pytest

from verwijsindex.adapters.brp.fake import SAMPLE_FAMILIES_PATH, FakePersonRegistry, load_sample_families
from verwijsindex.adapters.brp.port import PersonRegistry
from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.domain.models import Address, Youth
from verwijsindex.domain.periods import age_on, birthday

REFERENCE = date(2026, 11, 23)


def _youth(bsn: str = "999991218", **changes: object) -> Youth:
    fields: dict[str, object] = {
        "bsn": bsn,
        "name": "Test Persoon",
        "birth_date": date(2015, 1, 1),
        "sex": "O",
        "address": Address(street="Teststraat", house_number="1", postcode="1234AB", city="Test"),
    }
    fields.update(changes)
    return Youth.model_validate(fields)


def _sample_people() -> dict[str, Youth]:
    return {s.person.bsn: s.person for family in load_sample_families() for s in family.people}


def _family(label: str) -> list[Youth]:
    (family,) = [f for f in load_sample_families() if f.label == label]
    return [s.person for s in family.people]


def test_lookup_finds_an_added_person_and_none_for_unknown() -> None:
    registry: PersonRegistry = FakePersonRegistry([_youth()])
    assert registry.lookup("999991218") == _youth()
    assert registry.lookup("999991267") is None


def test_add_makes_a_person_findable_and_replaces_by_bsn() -> None:
    registry = FakePersonRegistry()
    assert registry.lookup("999991267") is None
    registry.add(_youth("999991267"))
    assert registry.lookup("999991267") == _youth("999991267")
    # A later BRP mutation (here: a death) replaces the earlier record.
    registry.add(_youth("999991267", death_date=date(2026, 1, 2)))
    found = registry.lookup("999991267")
    assert found is not None and found.death_date == date(2026, 1, 2)


def test_add_is_safe_from_many_threads() -> None:
    registry = FakePersonRegistry()
    bsns = [str(n) for n in range(999_992_000, 999_996_000) if passes_elfproef(str(n))][:200]
    threads = [threading.Thread(target=registry.add, args=(_youth(bsn),)) for bsn in bsns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(registry.lookup(bsn) is not None for bsn in bsns)


def test_with_sample_families_knows_every_sample_person() -> None:
    registry = FakePersonRegistry.with_sample_families()
    people = _sample_people()
    assert len(people) >= 13
    for bsn, person in people.items():
        assert registry.lookup(bsn) == person


def test_sample_file_keeps_notes_outside_the_person_model() -> None:
    raw = json.loads(SAMPLE_FAMILIES_PATH.read_text())
    assert raw["reference_date"] == REFERENCE.isoformat()
    for family in raw["families"]:
        for entry in family["people"]:
            assert set(entry["person"]) <= set(Youth.model_fields)


def test_sample_bsns_are_valid_test_numbers_unique_and_parents_exist() -> None:
    entries = [s.person for f in load_sample_families() for s in f.people]
    bsns = [person.bsn for person in entries]
    assert len(bsns) == len(set(bsns))
    for person in entries:
        assert passes_elfproef(person.bsn)
        # The RvIG test range: a sample can never point at a real person.
        assert person.bsn.startswith("9999")
        assert person.address is not None and person.address.municipality_code
        for parent in person.parents:
            assert parent in bsns
            assert parent != person.bsn


def test_de_vries_children_cover_every_inform_rule() -> None:
    people = _family("De Vries")
    parents = {p.bsn for p in people if not p.parents}
    children = [p for p in people if p.parents]
    assert len(parents) == 2
    assert sorted(age_on(c.birth_date, REFERENCE) for c in children) == [6, 13, 17]
    assert all(set(c.parents) == parents for c in children)


def test_jansen_has_one_parent_a_leap_day_child_and_another_of_22() -> None:
    people = _family("Jansen")
    (parent,) = [p for p in people if not p.parents]
    children = {p.birth_date: p for p in people if p.parents}
    assert all(c.parents == (parent.bsn,) for c in children.values())
    leap = children[date(2004, 2, 29)]
    assert age_on(leap.birth_date, REFERENCE) == 22
    assert birthday(leap.birth_date, 23) == date(2027, 3, 1)
    assert age_on(leap.birth_date, date(2027, 2, 28)) == 22
    other = children[date(2004, 6, 10)]
    assert age_on(other.birth_date, REFERENCE) == 22


def test_bakker_is_22_and_turns_23_the_next_day() -> None:
    (youth,) = _family("Bakker")
    assert youth.birth_date == date(2003, 11, 24)
    assert age_on(youth.birth_date, REFERENCE) == 22
    assert birthday(youth.birth_date, 23) == date(2026, 11, 24)


def test_visser_has_a_deceased_youth() -> None:
    (deceased,) = [p for p in _family("Visser") if p.death_date is not None]
    assert deceased.death_date is not None and deceased.death_date <= REFERENCE
    assert age_on(deceased.birth_date, deceased.death_date) < 23


def test_mulder_child_shares_exactly_one_parent_with_de_vries() -> None:
    de_vries_children = [p for p in _family("De Vries") if p.parents]
    (half_sister,) = [p for p in _family("Mulder") if p.parents]
    assert len(half_sister.parents) == 2
    for child in de_vries_children:
        assert len(set(half_sister.parents) & set(child.parents)) == 1
        assert set(half_sister.parents) != set(child.parents)


@pytest.mark.parametrize("bsn", ["999990000", "12345678", ""])
def test_lookup_of_a_bsn_nobody_has_is_none(bsn: str) -> None:
    assert FakePersonRegistry.with_sample_families().lookup(bsn) is None
