"""The match store's contract: the in-memory fake and the DynamoDB adapter answer these cases alike."""

from __future__ import annotations

from datetime import datetime

from tests.ports.main_table import NOW, MainTable, entry, later, note_for, side_of, signal
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import MatchSide, MatchStatus, NotificationState
from verwijsindex.domain.models import Signal
from verwijsindex.ports.families import ParentLinks
from verwijsindex.ports.matches import Coordination, CoordinatorNaming, NewMatch
from verwijsindex.ports.signals import Placement


def two_signals(table: MainTable) -> tuple[Signal, Signal]:
    mine, theirs = signal("s-1"), signal("s-2", org_id="org-b")
    table.signals.create(
        Placement(signal=mine, audit=entry("s-1"), parents=ParentLinks(mine.youth_key, ("p" * 64,), ()))
    )
    table.signals.create(Placement(signal=theirs, audit=entry("s-2")))
    return mine, theirs


def test_a_match_is_written_once_with_a_side_for_each_party(table: MainTable) -> None:
    mine, theirs = two_signals(table)
    side = side_of(mine, theirs)
    notes = [note_for(side, mine), note_for(side.mirrored(), theirs)]
    match = NewMatch(side=side, notes=notes, audits=[entry("s-1")])
    assert table.matches.create_match(match)
    assert not table.matches.create_match(match)  # the other signal's processing
    assert table.matches.sides_of_signal(mine.youth_key, "s-1") == [side]
    assert table.matches.sides_of_signal(theirs.youth_key, "s-2") == [side.mirrored()]
    assert table.matches.count_of_signal(mine.youth_key, "s-1") == 1
    assert table.matches.get_side(mine.youth_key, "s-1", side.match_id) == side
    assert table.matches.side_for_org("org-b", side.match_id) == side.mirrored()
    assert table.matches.side_for_org("org-c", side.match_id) is None
    assert table.matches.sides_of_org("org-a") == [side]


def test_the_matcher_reads_a_youth_s_signals_and_parents_and_signals_by_key(table: MainTable) -> None:
    mine, theirs = two_signals(table)
    view = table.matches.signals_and_parents(mine.youth_key)
    assert view.signals == [mine, theirs] and view.parent_keys == ("p" * 64,)
    assert view.linked_parent_keys == ("p" * 64,)
    found = table.matches.get_signals([(mine.youth_key, "s-1"), (mine.youth_key, "gone")], consistent=True)
    assert found == {"s-1": mine}


def test_the_view_shows_which_signals_still_owe_their_matching(table: MainTable) -> None:
    mine, _ = two_signals(table)
    assert table.matches.signals_and_parents(mine.youth_key).unmatched == {"s-1", "s-2"}
    table.matches.finish_matching(mine.youth_key, "s-1")
    assert table.matches.signals_and_parents(mine.youth_key).unmatched == {"s-2"}
    table.matches.finish_matching(mine.youth_key, "s-1")  # a repeat changes nothing
    assert table.matches.signals_and_parents(mine.youth_key).unmatched == {"s-2"}
    assert table.partitions.read(mine.youth_key).unmatched == {"s-2"}


def naming(side: MatchSide, coordinator_signal_id: str, audits: list[AuditEntry]) -> CoordinatorNaming:
    return CoordinatorNaming(side=side, coordinator_signal_id=coordinator_signal_id, note=None, audits=audits)


def coordination(side: MatchSide, at: datetime, by_org: str, audits: list[AuditEntry]) -> Coordination:
    return Coordination(side=side, at=at, by_org=by_org, note=None, audits=audits)


def test_coordination_is_conditional_on_what_was_read(table: MainTable) -> None:
    mine, theirs = two_signals(table)
    side = side_of(mine, theirs)
    table.matches.create_match(NewMatch(side=side, notes=[], audits=[]))
    assert table.matches.name_coordinator(naming(side, "s-2", [entry("s-1")]))
    assert not table.matches.name_coordinator(naming(side, "s-1", [entry("s-1")]))  # read before the change
    current = table.matches.get_side(mine.youth_key, "s-1", side.match_id)
    assert current is not None and current.coordinator_signal_id == "s-2" and current.coordinator_version == 1
    assert table.matches.mark_coordinated(coordination(current, later(5), "org-a", [entry("s-1")]))
    assert not table.matches.mark_coordinated(coordination(current, later(6), "org-b", [entry("s-2")]))
    other = table.matches.get_side(theirs.youth_key, "s-2", side.match_id)
    assert other is not None and other.status is MatchStatus.COORDINATED and other.coordinated_by_org == "org-a"


def test_a_notification_is_claimed_sent_once_and_a_stale_claim_is_taken_over(table: MainTable) -> None:
    mine, theirs = two_signals(table)
    side = side_of(mine, theirs)
    note = note_for(side, mine)
    table.matches.create_match(NewMatch(side=side, notes=[note], audits=[]))
    assert table.matches.claim_notification(note, "first", NOW) is NotificationState.PENDING
    assert table.matches.claim_notification(note, "first", NOW) is None  # ours already
    assert table.matches.claim_notification(note, "sweep", later(1), claimed_before=NOW) is None  # too recent
    table.matches.release_notification(note, "first")
    assert table.matches.claim_notification(note, "second", later(2)) is NotificationState.PENDING
    assert table.matches.claim_notification(note, "sweep", later(9), claimed_before=later(5)) is (
        NotificationState.SENDING  # taken over: the e-mail may have gone already
    )
    assert not table.matches.mark_sent(note, "second", "msg-1", later(10))  # taken over
    assert table.matches.mark_sent(note, "sweep", "msg-2", later(10))
    assert table.matches.claim_notification(note, "third", later(11)) is None  # sent
    assert table.matches.set_bounced(mine.youth_key, side.match_id, "s-1", note.event_tag)


def test_forgetting_a_signal_removes_both_sides_and_is_idempotent(table: MainTable) -> None:
    mine, theirs = two_signals(table)
    side = side_of(mine, theirs)
    table.matches.create_match(
        NewMatch(side=side, notes=[note_for(side, mine), note_for(side.mirrored(), theirs)], audits=[])
    )
    assert table.matches.forget_signal(mine.youth_key, "s-1") > 0
    assert table.matches.sides_of_signal(mine.youth_key, "s-1") == []
    assert table.matches.sides_of_signal(theirs.youth_key, "s-2") == []
    assert table.matches.forget_signal(mine.youth_key, "s-1") == 0
