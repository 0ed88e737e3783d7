"""The rights store's contract: the in-memory fake and the DynamoDB adapter answer these cases alike.
Requests are stored once, listed by deadline, decided once; a correction moves a signal, its guard
and its match sides together or not at all."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.signals import StateChanged
from tests.ports.main_table import NOW, MainTable, entry, note_for, side_of, signal
from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.errors import Conflict, Unprocessable
from verwijsindex.domain.lifecycle import DueKind
from verwijsindex.domain.models import CloseReason, Contact, Signal
from verwijsindex.domain.rights import RequestedBy, RightsKind, RightsRequest, RightsStatus
from verwijsindex.domain.statistics import Counter, Dimensions, rights_counter, tally
from verwijsindex.ports.matches import NewMatch
from verwijsindex.ports.signals import Placement

RECEIVED = date(2026, 11, 2)
# A write the table's condition refuses: the fake's error, or the cancelled transaction as boto3 raises it.
REFUSED = (StateChanged, ClientError)


def rights_request(request_id: str, deadline_in_days: int = 28, **changes: Any) -> RightsRequest:
    values: dict[str, Any] = {
        "request_id": request_id,
        "kind": RightsKind.INZAGE,
        "youth_key": "y" * 64,
        "requested_by": RequestedBy.PARENTS,
        "received_on": RECEIVED,
        "deadline": RECEIVED + timedelta(days=deadline_in_days),
        "created_at": NOW,
        "created_by": "operator-1",
    }
    return RightsRequest(**{**values, **changes})


def recorded(table: MainTable) -> set[str]:
    """The entry ids in the youth's audit trail: what the writes stored with their changes."""
    return {e.entry_id for e in table.audit.for_subject(AuditSubject.youth("y" * 64), 100).entries}


def ids(*entries: AuditEntry) -> set[str]:
    return {e.entry_id for e in entries}


def granted(request: RightsRequest) -> RightsRequest:
    return request.model_copy(
        update={"status": RightsStatus.GRANTED, "decided_at": NOW, "decided_by": "operator-1", "reason": "toegekend"}
    )


def test_a_request_is_stored_once_and_read_back(table: MainTable) -> None:
    stored = rights_request("r-1", details="Graag inzage in wat er over ons kind staat.")
    received = entry("r-1", action=AuditAction.RIGHTS_REQUEST_RECEIVED)
    table.rights.create(stored, received)
    with pytest.raises(REFUSED):
        table.rights.create(rights_request("r-1", kind=RightsKind.BEZWAAR), entry("r-1"))
    assert table.rights.get("r-1") == stored
    assert table.rights.get("r-2") is None
    assert recorded(table) == ids(received)  # the refused one left no entry


def test_requests_are_listed_by_deadline_per_status_and_overdue_in_pages(table: MainTable) -> None:
    for request_id, days in (("r-b", 28), ("r-a", 28), ("r-c", 3), ("r-d", 60), ("r-e", 1)):
        table.rights.create(rights_request(request_id, days), entry(request_id))
    table.rights.decide(granted(rights_request("r-e", 1)), [entry("r-e")])

    first, cursor = table.rights.page(status=None, overdue_on=None, limit=2, cursor=None)
    assert [r.request_id for r in first] == ["r-e", "r-c"] and cursor is not None
    rest, end = table.rights.page(status=None, overdue_on=None, limit=3, cursor=cursor)
    assert [r.request_id for r in rest] == ["r-a", "r-b", "r-d"]  # equal deadlines: by id
    # DynamoDB may name where a next page would start when a full page ends the listing (moto does
    # not, the fake does): that page is then empty and the last.
    assert end is None or table.rights.page(status=None, overdue_on=None, limit=3, cursor=end) == ([], None)

    open_ones, _ = table.rights.page(status=RightsStatus.OPEN, overdue_on=None, limit=10, cursor=None)
    assert [r.request_id for r in open_ones] == ["r-c", "r-a", "r-b", "r-d"]
    decided, _ = table.rights.page(status=RightsStatus.GRANTED, overdue_on=None, limit=10, cursor=None)
    assert [r.request_id for r in decided] == ["r-e"]
    # Overdue: open, and the deadline lies before the day asked (a deadline on that day is not overdue).
    overdue, _ = table.rights.page(status=None, overdue_on=RECEIVED + timedelta(days=28), limit=10, cursor=None)
    assert [r.request_id for r in overdue] == ["r-c"]
    with pytest.raises(Unprocessable):  # a cursor opens only the listing it was handed out for
        table.rights.page(status=RightsStatus.GRANTED, overdue_on=None, limit=2, cursor=cursor)


def test_a_request_is_decided_once_with_the_counts_of_the_decision(table: MainTable) -> None:
    asked = rights_request("r-1")
    table.rights.create(asked, entry("r-1"))
    counted = [tally(RECEIVED, Dimensions(municipality="0363"), rights_counter("inzage", in_time=True))]
    decided = [entry("r-1", action=AuditAction.RIGHTS_REQUEST_GRANTED) for _ in range(2)]
    table.rights.decide(granted(asked), decided, counted)
    before = recorded(table)
    assert ids(*decided) <= before
    assert table.rights.get("r-1") == granted(asked)
    refused = asked.model_copy(update={"status": RightsStatus.REFUSED, "decided_at": NOW, "decided_by": "o-2"})
    with pytest.raises(Conflict):
        table.rights.decide(refused, [entry("r-1")], counted)
    with pytest.raises(Conflict):  # nothing to decide
        table.rights.decide(granted(rights_request("r-9")), [entry("r-9")])
    assert table.rights.get("r-1") == granted(asked)
    assert table.rights.get("r-9") is None
    assert recorded(table) == before
    (row,) = table.statistics.months(["2026-11"])
    assert dict(row.amounts) == {Counter.RIGHTS_INZAGE_IN_TIME.value: 1}  # counted once


def matched(table: MainTable) -> tuple[Signal, Signal]:
    mine, theirs = signal("s-1"), signal("s-2", youth_key="z" * 64, org_id="org-b")
    table.signals.create(Placement(signal=mine, audit=entry("s-1")))
    table.signals.create(Placement(signal=theirs, audit=entry("s-2")))
    side = side_of(mine, theirs)
    assert table.matches.create_match(
        NewMatch(side=side, notes=[note_for(side, mine), note_for(side.mirrored(), theirs)], audits=[entry("s-1")])
    )
    return mine, theirs


def test_a_correction_moves_the_signal_its_guard_and_both_sides_of_its_matches(table: MainTable) -> None:
    mine, theirs = matched(table)
    carla = Contact(name="Carla Claes", email="carla@org-c.example.org", phone="+31 20 765 4321")
    corrected = mine.model_copy(update={"org_id": "org-c", "professional_id": carla.email, "professional": carla})
    (side,) = table.matches.sides_of_signal(mine.youth_key, "s-1")
    corrections = [entry("s-1", action=AuditAction.SIGNAL_CORRECTED) for _ in range(2)]  # org and professional
    table.rights.correct_signal(mine, corrected, corrections, [side])
    assert ids(*corrections) <= recorded(table)

    assert table.signals.youth_signals(mine.youth_key) == [corrected]
    assert table.signals.active_signal_of(mine.youth_key, "org-c", carla.email) == corrected
    assert table.signals.active_signal_of(mine.youth_key, "org-a", mine.professional_id) is None
    # the first professional's guard is gone: they may place a signal again
    assert table.signals.create(Placement(signal=signal("s-3"), audit=entry("s-3")))
    assert table.matches.sides_of_signal(mine.youth_key, "s-1") == [side.model_copy(update={"org_id": "org-c"})]
    assert table.matches.side_for_org("org-c", side.match_id) is not None
    assert table.matches.side_for_org("org-a", side.match_id) is None
    (other,) = table.matches.sides_of_signal(theirs.youth_key, "s-2")
    assert other.other_org_id == "org-c" and other.org_id == "org-b"


def test_a_correction_is_refused_whole_when_the_signal_changed_or_the_professional_holds_one(
    table: MainTable,
) -> None:
    mine, _ = matched(table)
    arend = Contact(name="Arend Aa", email="arend@org-a.example.org", phone="+31 20 111 2222")
    held = signal("s-3", professional_id=arend.email, professional=arend)
    table.signals.create(Placement(signal=held, audit=entry("s-3")))
    to_arend = mine.model_copy(update={"professional_id": arend.email, "professional": arend})
    before = recorded(table)
    with pytest.raises(Conflict):  # Arend holds an active signal on this youth already
        table.rights.correct_signal(mine, to_arend, [entry("s-1")])
    table.signals.close(mine.closed(date(2026, 11, 30), CloseReason.ENDED), date(2031, 11, 30), entry("s-1"))
    to_org_c = mine.model_copy(update={"org_id": "org-c"})
    sides = table.matches.sides_of_signal(mine.youth_key, "s-1")
    with pytest.raises(Conflict):  # read while active, closed meanwhile
        table.rights.correct_signal(mine, to_org_c, [entry("s-1")], sides)
    (found,) = [s for s in table.signals.youth_signals(mine.youth_key) if s.signal_id == "s-1"]
    assert (found.org_id, found.professional_id) == ("org-a", mine.professional_id)
    assert [s.org_id for s in table.matches.sides_of_signal(mine.youth_key, "s-1")] == ["org-a"]
    assert len(recorded(table) - before) == 1  # the closing's entry; neither refused correction wrote one


def test_a_corrected_birth_date_moves_the_destroy_day_of_every_named_signal_or_of_none(table: MainTable) -> None:
    first, second = signal("s-1"), signal("s-2", org_id="org-b")
    table.signals.create(Placement(signal=first, audit=entry("s-1")))
    table.signals.create(Placement(signal=second, audit=entry("s-2")))
    later = date(2038, 3, 1)
    assert [d.youth_key for d in table.lifecycle.due(first.destroy_on, DueKind.AGE_LIMIT)] == [first.youth_key]
    moved = entry("s-1", action=AuditAction.SIGNAL_CORRECTED)
    table.rights.set_destroy_on(first.youth_key, ["s-1", "s-2"], later, moved)
    assert table.lifecycle.due(first.destroy_on, DueKind.AGE_LIMIT) == []
    assert [d.youth_key for d in table.lifecycle.due(later, DueKind.AGE_LIMIT)] == [first.youth_key]
    before = recorded(table)
    assert moved.entry_id in before
    assert {s.signal_id: s.destroy_on for s in table.signals.youth_signals(first.youth_key)} == {
        "s-1": later,
        "s-2": later,
    }
    with pytest.raises(REFUSED):  # a signal that is not there: nothing changes
        table.rights.set_destroy_on(first.youth_key, ["s-1", "s-404"], date(2039, 1, 1), entry("s-1"))
    assert {s.destroy_on for s in table.signals.youth_signals(first.youth_key)} == {later}
    assert table.lifecycle.due(date(2039, 1, 1), DueKind.AGE_LIMIT) == []
    assert recorded(table) == before
