from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import pytest

from verwijsindex.adapters.brp.fake import SAMPLE_FAMILIES_PATH, FakePersonRegistry, load_sample_families
from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.domain.models import Address, Youth
from verwijsindex.domain.periods import age_on, birthday
from verwijsindex.ports.person_registry import PersonRegistry

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


# Days on which the relative sample people are worked out: an ordinary day, the days around
# 29 February in a leap year and in a common year, and the turn of the year.
DAYS = [
    date(2026, 11, 23),
    date(2028, 2, 27),
    date(2028, 2, 28),
    date(2028, 2, 29),
    date(2028, 3, 1),
    date(2027, 2, 28),
    date(2027, 12, 31),
    date(2030, 1, 1),
]


def _sample_people(today: date = REFERENCE) -> dict[str, Youth]:
    return {s.person.bsn: s.person for family in load_sample_families(today) for s in family.people}


def _family(label: str, today: date = REFERENCE) -> list[Youth]:
    (family,) = [f for f in load_sample_families(today) if f.label == label]
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
    registry = FakePersonRegistry.with_sample_families(REFERENCE)
    people = _sample_people()
    assert len(people) >= 13
    for bsn, person in people.items():
        assert registry.lookup(bsn) == person


def test_sample_file_keeps_notes_outside_the_person_model_and_states_no_dates() -> None:
    raw = json.loads(SAMPLE_FAMILIES_PATH.read_text())
    assert "reference_date" not in raw
    for family in raw["families"]:
        for entry in family["people"]:
            assert set(entry["person"]) <= set(Youth.model_fields) - {"birth_date", "death_date"}


def test_sample_bsns_are_valid_test_numbers_unique_and_parents_exist() -> None:
    entries = [s.person for f in load_sample_families(REFERENCE) for s in f.people]
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


@pytest.mark.parametrize("today", DAYS)
def test_de_vries_children_cover_every_inform_rule(today: date) -> None:
    people = _family("De Vries", today)
    parents = {p.bsn for p in people if not p.parents}
    children = [p for p in people if p.parents]
    assert len(parents) == 2
    assert sorted(age_on(c.birth_date, today) for c in children) == [6, 13, 17]
    assert all(set(c.parents) == parents for c in children)


@pytest.mark.parametrize("today", DAYS)
def test_jansen_has_one_parent_a_leap_day_child_and_another_of_22(today: date) -> None:
    people = _family("Jansen", today)
    (parent,) = [p for p in people if not p.parents]
    children = [p for p in people if p.parents]
    assert all(c.parents == (parent.bsn,) for c in children)
    (leap,) = [c for c in children if (c.birth_date.month, c.birth_date.day) == (2, 29)]
    assert 19 <= age_on(leap.birth_date, today) <= 22
    # His 23rd birthday is always in a common year: 1 March, and he is 22 on 28 February.
    turns_23 = birthday(leap.birth_date, 23)
    assert (turns_23.month, turns_23.day) == (3, 1)
    assert age_on(leap.birth_date, turns_23.replace(day=28, month=2)) == 22
    (other,) = [c for c in children if c is not leap]
    assert age_on(other.birth_date, today) == 22


@pytest.mark.parametrize("today", [day for day in DAYS if day != date(2028, 2, 28)])
def test_bakker_is_22_and_turns_23_tomorrow(today: date) -> None:
    (youth,) = _family("Bakker", today)
    assert age_on(youth.birth_date, today) == 22
    assert birthday(youth.birth_date, 23) == today + timedelta(days=1)


def test_bakker_turns_23_in_two_days_when_tomorrow_is_a_leap_day() -> None:
    # Nobody born 23 years before a leap year has a birthday on 29 February.
    today = date(2028, 2, 28)
    (youth,) = _family("Bakker", today)
    assert age_on(youth.birth_date, today) == 22
    assert birthday(youth.birth_date, 23) == date(2028, 3, 1)


@pytest.mark.parametrize("today", DAYS)
def test_visser_has_a_youth_who_died_before_today(today: date) -> None:
    (deceased,) = [p for p in _family("Visser", today) if p.death_date is not None]
    assert deceased.death_date is not None and deceased.death_date < today
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
    assert FakePersonRegistry.with_sample_families(REFERENCE).lookup(bsn) is None
