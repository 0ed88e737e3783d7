"""The family store's contract: the in-memory fake and the DynamoDB adapter answer these cases alike."""

from __future__ import annotations

from tests.ports.main_table import MainTable, entry, signal
from verwijsindex.ports.signals import Placement

MOTHER, FATHER = "111222333", "123456782"


def test_parents_become_pseudonyms_each_parent_one_key_per_purpose(table: MainTable) -> None:
    links = table.families.parent_links("y" * 64, [FATHER, MOTHER, FATHER])
    assert links.youth_key == "y" * 64
    assert len(links.parent_keys) == 2 and list(links.parent_keys) == sorted(links.parent_keys)
    assert len(links.national_parent_keys) == 2 and not set(links.parent_keys) & set(links.national_parent_keys)
    assert not any(bsn in key for key in links.parent_keys + links.national_parent_keys for bsn in (MOTHER, FATHER))
    assert table.families.parent_links("z" * 64, [MOTHER]).parent_keys[0] in links.parent_keys  # the same parent
    assert table.families.parent_links("y" * 64, []).parent_keys == ()
    for key in links.parent_keys:
        assert table.families.children_of(key) == []  # nothing is written
    assert table.families.national_parents_of("y" * 64) == []


def test_youths_placed_with_a_parent_are_found_as_its_children(table: MainTable) -> None:
    first, second, other = signal("s-1", youth_key="b" * 64), signal("s-2", youth_key="a" * 64), signal("s-3")
    both = table.families.parent_links(first.youth_key, [MOTHER, FATHER])
    table.signals.create(Placement(signal=first, audit=entry("s-1"), parents=both))
    table.signals.create(
        Placement(signal=second, audit=entry("s-2"), parents=table.families.parent_links(second.youth_key, [MOTHER]))
    )
    table.signals.create(Placement(signal=other, audit=entry("s-3")))  # no parents known
    [mother] = table.families.parent_links("-", [MOTHER]).parent_keys
    [father] = table.families.parent_links("-", [FATHER]).parent_keys
    assert table.families.children_of(mother) == ["a" * 64, "b" * 64]
    assert table.families.children_of(father) == ["b" * 64]
    assert sorted(table.families.national_parents_of(first.youth_key)) == sorted(both.national_parent_keys)
    assert table.families.national_parents_of(other.youth_key) == []


def test_a_later_placement_replaces_the_parents_but_the_old_links_are_kept(table: MainTable) -> None:
    first = signal("s-1")
    table.signals.create(
        Placement(signal=first, audit=entry("s-1"), parents=table.families.parent_links(first.youth_key, [MOTHER]))
    )
    later = signal("s-2", professional_id="arend@org-a.example.org")
    now = table.families.parent_links(first.youth_key, [FATHER])
    table.signals.create(Placement(signal=later, audit=entry("s-2"), parents=now))
    assert table.families.national_parents_of(first.youth_key) == list(now.national_parent_keys)
    [mother] = table.families.parent_links("-", [MOTHER]).parent_keys
    # Kept, so the link can be found again when the youth is destroyed.
    assert table.families.children_of(mother) == [first.youth_key]
    assert table.families.children_of(now.parent_keys[0]) == [first.youth_key]
