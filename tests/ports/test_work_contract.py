"""The outstanding-work store's contract: the fake and the DynamoDB adapter answer these cases alike."""

from __future__ import annotations

import pytest

from tests.ports.main_table import NOW, MainTable, entry, later, note_for, side_of, signal
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.domain.models import CloseReason
from verwijsindex.ports.matches import NewMatch
from verwijsindex.ports.signals import Placement
from verwijsindex.ports.work import SignalWork, WorkKind


def test_a_new_signal_is_outstanding_until_it_is_matched(table: MainTable) -> None:
    placed = signal("s-1")
    table.signals.create(Placement(signal=placed, audit=entry("s-1")))
    assert table.work.overdue(WorkKind.SIGNAL, NOW, 10) == []  # not older than the threshold yet
    [work] = table.work.overdue(WorkKind.SIGNAL, later(1), 10)
    assert work.signal == placed and work.pending == {SignalWork.MATCH} and work.attempts == 0
    table.signals.finish_work(placed.youth_key, "s-1", SignalWork.MATCH)
    assert table.work.overdue(WorkKind.SIGNAL, later(1), 10) == []


def test_a_linked_signal_owes_matching_and_publishing_each_on_its_own(linked: MainTable) -> None:
    placed = signal("s-1")
    linked.signals.create(Placement(signal=placed, audit=entry("s-1")))
    linked.signals.finish_work(placed.youth_key, "s-1", SignalWork.MATCH)
    [work] = linked.work.overdue(WorkKind.SIGNAL, later(1), 10)
    assert work.pending == {SignalWork.PUBLISH}
    linked.signals.finish_work(placed.youth_key, "s-1", SignalWork.PUBLISH)
    assert linked.work.overdue(WorkKind.SIGNAL, later(1), 10) == []


def test_a_destroyed_signal_leaves_its_removal_to_publish_in_a_linked_region(linked: MainTable) -> None:
    placed = signal("s-1")
    linked.signals.create(Placement(signal=placed, audit=entry("s-1")))
    linked.signals.destroy(placed, entry("s-1", at=later(1)))
    [work] = linked.work.overdue(WorkKind.REMOVAL, later(2), 10)
    assert work.tombstone is not None
    assert (work.tombstone.signal_id, work.tombstone.national_key) == ("s-1", placed.national_key)
    assert work.tombstone.active_until == placed.active_until
    linked.signals.finish_removal("s-1")
    assert linked.work.overdue(WorkKind.REMOVAL, later(2), 10) == []


def test_attempts_are_counted_and_given_up_work_is_on_the_operator_s_list(table: MainTable) -> None:
    mine, theirs = signal("s-1"), signal("s-2", org_id="org-b")
    side = side_of(mine, theirs)
    note = note_for(side, mine)
    table.matches.create_match(NewMatch(side=side, notes=[note], audits=[]))
    [work] = table.work.overdue(WorkKind.DELIVERY, later(1), 10)
    assert work.notification == note
    assert table.work.count_attempt(work) == 1
    assert table.work.count_attempt(work) == 2
    assert table.work.give_up(work)
    assert table.work.overdue(WorkKind.DELIVERY, later(1), 10) == []
    assert table.work.count_attempt(work) is None  # no longer outstanding for the sweeper
    assert table.work.count_stuck(WorkKind) == 1
    [stuck], cursor = table.work.stuck(WorkKind.DELIVERY, 10)
    assert (stuck.since, stuck.attempts, cursor) == (NOW, 2, None)
    reference = table.work.reference(stuck)
    assert table.work.open_reference(reference)
    with pytest.raises(Unprocessable):
        table.work.open_reference(reference[:-2] + "xx")


def test_the_operator_pages_through_stuck_work_oldest_first(table: MainTable) -> None:
    for n in range(3):
        placed = signal(f"s-{n}", youth_key=str(n) * 64, created_at=later(n))
        table.signals.create(Placement(signal=placed, audit=entry(placed.signal_id)))
    for work in table.work.overdue(WorkKind.SIGNAL, later(10), 10):
        table.work.give_up(work)
    first, cursor = table.work.stuck(WorkKind.SIGNAL, 2)
    assert [item.since for item in first] == [later(0), later(1)] and cursor is not None
    rest, end = table.work.stuck(WorkKind.SIGNAL, 2, cursor)
    assert [item.since for item in rest] == [later(2)] and end is None
    with pytest.raises(Unprocessable):
        table.work.stuck(WorkKind.DELIVERY, 2, cursor)  # a cursor opens only for its own kind


def test_closing_ends_what_a_signal_owed(table: MainTable) -> None:
    placed = signal("s-1")
    table.signals.create(Placement(signal=placed, audit=entry("s-1")))
    table.signals.close(placed.closed(NOW.date(), CloseReason.ENDED), NOW.date(), entry("s-1", at=later(3)))
    assert table.work.overdue(WorkKind.SIGNAL, later(10), 10) == []


def test_a_linked_region_owes_the_removal_of_a_closed_signal_from_its_closing(linked: MainTable) -> None:
    placed = signal("s-1")
    linked.signals.create(Placement(signal=placed, audit=entry("s-1")))
    linked.signals.close(placed.closed(NOW.date(), CloseReason.ENDED), NOW.date(), entry("s-1", at=later(3)))
    [work] = linked.work.overdue(WorkKind.SIGNAL, later(10), 10)
    assert work.pending == {SignalWork.PUBLISH}
    assert linked.work.overdue(WorkKind.SIGNAL, later(3), 10) == []  # outstanding since the closing


def test_work_that_can_no_longer_be_done_is_dropped(table: MainTable) -> None:
    table.signals.create(Placement(signal=signal("s-1"), audit=entry("s-1")))
    [work] = table.work.overdue(WorkKind.SIGNAL, later(1), 10)
    table.work.drop(work)
    assert table.work.overdue(WorkKind.SIGNAL, later(1), 10) == []
