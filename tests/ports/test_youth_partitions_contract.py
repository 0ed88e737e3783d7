"""The youth partitions' contract: the in-memory fake and the DynamoDB adapter answer these cases alike.
A youth's signals, parents and a match with another youth are written through the other stores; what
each way of forgetting leaves is read back through them."""

from __future__ import annotations

from datetime import timedelta

from tests.ports.main_table import NOW, MainTable, entry, note_for, side_of, signal
from tests.ports.samples import expired
from verwijsindex.domain.audit import AuditAction
from verwijsindex.domain.lifecycle import DueKind
from verwijsindex.domain.matches import MatchSide
from verwijsindex.domain.models import Signal
from verwijsindex.domain.statistics import Counter, tally
from verwijsindex.ports.lifecycle import Expiry
from verwijsindex.ports.matches import NewMatch
from verwijsindex.ports.signals import Placement
from verwijsindex.ports.work import WorkKind

MOTHER = "111222333"
MINE, THEIRS = signal("s-1"), signal("s-2", youth_key="z" * 64, org_id="org-b")
EXPIRES = MINE.active_until + timedelta(days=1)


def youth_with_a_match(table: MainTable) -> MatchSide:
    """MINE's youth with its mother, and a match with THEIRS (another youth); both e-mails pending."""
    table.signals.create(
        Placement(signal=MINE, audit=entry("s-1"), parents=table.families.parent_links(MINE.youth_key, [MOTHER]))
    )
    table.signals.create(Placement(signal=THEIRS, audit=entry("s-2")))
    side = side_of(MINE, THEIRS)
    assert table.matches.create_match(
        NewMatch(side=side, notes=[note_for(side, MINE), note_for(side.mirrored(), THEIRS)], audits=[])
    )
    return side


def mother(table: MainTable) -> str:
    return table.families.parent_links("-", [MOTHER]).parent_keys[0]


def expire(table: MainTable, placed: Signal) -> None:
    """Closed by the expire job, with its renewal notice due."""
    closed, notice = expired(placed, EXPIRES)
    expiry = Expiry(
        closed=closed, archive_until=EXPIRES, notice=notice, notice_due=EXPIRES, audit=entry(placed.signal_id)
    )
    assert table.lifecycle.expire(expiry)


def renewals_due(table: MainTable) -> list[str]:
    return [item.notice().signal_id for item in table.lifecycle.due(EXPIRES, DueKind.RENEWAL)]


def test_a_youth_s_partition_is_read_at_once(table: MainTable) -> None:
    side = youth_with_a_match(table)
    second = signal("s-0", org_id="org-c")
    table.signals.create(Placement(signal=second, audit=entry("s-0")))
    partition = table.partitions.read(MINE.youth_key)
    assert partition and partition.youth_key == MINE.youth_key
    assert partition.signals == [second, MINE]
    assert partition.sides == [side]
    assert partition.parent_keys == (mother(table),) and partition.linked_parent_keys == (mother(table),)
    nobody = table.partitions.read("x" * 64)
    assert not nobody and nobody.signals == [] and nobody.sides == []


def test_destroying_a_youth_leaves_its_signals_and_marker_for_last(table: MainTable) -> None:
    side = youth_with_a_match(table)
    expire(table, MINE)
    partition = table.partitions.read(MINE.youth_key)
    assert table.partitions.forget_all_but_signals(partition) > 0
    assert table.matches.sides_of_signal(THEIRS.youth_key, "s-2") == []  # the other youth's side too
    assert table.matches.get_side(MINE.youth_key, "s-1", side.match_id) is None
    assert table.work.overdue(WorkKind.DELIVERY, NOW + timedelta(minutes=1), 10) == []  # both e-mails
    assert table.families.children_of(mother(table)) == []
    assert table.families.national_parents_of(MINE.youth_key) == []
    assert renewals_due(table) == []
    # What a retry needs is still there: the signals and the marker (due on the 23rd birthday).
    assert [s.signal_id for s in table.signals.youth_signals(MINE.youth_key)] == ["s-1"]
    assert table.signals.holds_youth(MINE.youth_key)
    assert table.signals.youth_signals(THEIRS.youth_key) == [THEIRS]
    table.lifecycle.destroy_signals_and_marker(
        MINE.youth_key,
        [(s, entry(s.signal_id), tally(NOW.date(), s.dimensions, Counter.DESTROYED_DEATH)) for s in partition.signals],
        entry("youth", action=AuditAction.YOUTH_DESTROYED),
    )
    assert not table.partitions.read(MINE.youth_key)


def test_forgetting_a_signal_s_items_frees_its_guard_but_not_a_newer_one(table: MainTable) -> None:
    youth_with_a_match(table)
    expire(table, MINE)
    newer = signal("s-3")  # the same professional signals the youth again
    assert table.signals.create(Placement(signal=newer, audit=entry("s-3")))
    other = signal("s-4", org_id="org-c")
    table.signals.create(Placement(signal=other, audit=entry("s-4")))
    assert table.partitions.forget_signal_items(MINE.youth_key, "s-4") > 0
    assert table.signals.active_signal_of(MINE.youth_key, "org-c", other.professional_id) is None
    # its guard went with it: the professional may place a signal again
    assert table.signals.create(Placement(signal=signal("s-5", org_id="org-c"), audit=entry("s-5")))
    assert table.partitions.forget_signal_items(MINE.youth_key, "s-1") > 0
    assert renewals_due(table) == []
    assert table.signals.active_signal_of(MINE.youth_key, "org-a", newer.professional_id) == newer
    assert [s.signal_id for s in table.signals.youth_signals(MINE.youth_key)] == ["s-3", "s-5"]


def test_forgetting_the_partition_leaves_what_lies_in_other_partitions(table: MainTable) -> None:
    side = youth_with_a_match(table)
    expire(table, MINE)
    assert table.partitions.forget_partition(MINE.youth_key) > 0
    assert not table.partitions.read(MINE.youth_key)
    assert not table.signals.holds_youth(MINE.youth_key)
    assert renewals_due(table) == []
    assert table.families.national_parents_of(MINE.youth_key) == []
    assert table.matches.sides_of_signal(THEIRS.youth_key, "s-2") == [side.mirrored()]
    assert table.families.children_of(mother(table)) == [MINE.youth_key]
    assert table.partitions.forget_partition(MINE.youth_key) == 0


def test_forgetting_a_youth_s_matches_reaches_into_other_partitions(table: MainTable) -> None:
    youth_with_a_match(table)
    assert table.partitions.forget_youth_matches(MINE.youth_key) > 0
    assert table.matches.sides_of_signal(MINE.youth_key, "s-1") == []
    assert table.matches.sides_of_signal(THEIRS.youth_key, "s-2") == []
    assert table.work.overdue(WorkKind.DELIVERY, NOW + timedelta(minutes=1), 10) == []
    assert table.families.children_of(mother(table)) == []
    assert table.families.national_parents_of(MINE.youth_key) == []
    assert table.signals.youth_signals(MINE.youth_key) == [MINE]
    assert table.signals.youth_signals(THEIRS.youth_key) == [THEIRS]
