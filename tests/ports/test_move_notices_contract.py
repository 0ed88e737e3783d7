"""The move notice store's contract: the in-memory fake and the DynamoDB adapter answer these cases alike."""

from __future__ import annotations

from datetime import datetime

from tests.ports.main_table import NOW, MainTable, later
from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.matches import NotificationState
from verwijsindex.domain.models import Contact
from verwijsindex.domain.national import MoveNotice, RemoteParty
from verwijsindex.ports.move_notices import ReceivedMoveNotice

State = NotificationState


def notice(n: int, municipality: str = "0363") -> MoveNotice:
    party = RemoteParty(
        region="zuid",
        region_name="Zuid",
        signal_id=f"0000000{n}-0000-4000-8000-000000000000",
        org_id="jeugdhulp-zuid",
        organisation="Jeugdhulp Zuid",
        professional=Contact(name="Zoë Zuid", email="zoe@zuid.example.org", phone="+31 40 123 4567"),
    )
    return MoveNotice(
        region="noord",
        notice_id=f"1000000{n}-0000-4000-8000-000000000000",
        municipality=municipality,
        moved_on=NOW.date(),
        from_region="zuid",
        from_region_name="Zuid",
        signals=(party,),
    )


def received(move: MoveNotice, at: datetime = NOW) -> AuditEntry:
    return AuditEntry(
        entry_id=f"e-{move.notice_id}-{at.isoformat()}",
        at=at,
        actor="national-index",
        action=AuditAction.MOVE_NOTICE_RECEIVED,
        subject=AuditSubject.move_notice(move.notice_id),
    )


def state_of(table: MainTable, move: MoveNotice) -> State:
    [found] = [r.state for r in table.move_notices.recent(50) if r.notice == move]
    return found


def test_a_notice_is_recorded_once_with_one_audit_entry(table: MainTable) -> None:
    move = notice(1)
    assert table.move_notices.recent(10) == []
    assert table.move_notices.record(move, NOW, received(move))
    assert not table.move_notices.record(move, later(5), received(move, later(5)))  # delivered again
    assert table.move_notices.recent(10) == [ReceivedMoveNotice(move, NOW, State.PENDING)]
    assert table.audit.for_subject(AuditSubject.move_notice(move.notice_id), 10).entries == [received(move)]


def test_the_operator_reads_the_newest_notices_first(table: MainTable) -> None:
    for n in range(4):
        table.move_notices.record(notice(n), later(n), received(notice(n), later(n)))
    newest = table.move_notices.recent(3)
    assert [(r.notice.notice_id, r.received_at) for r in newest] == [(notice(n).notice_id, later(n)) for n in (3, 2, 1)]


def test_the_e_mail_is_claimed_and_sent_once(table: MainTable) -> None:
    move = notice(1)
    assert table.move_notices.claim(move, "first") is None  # not received
    table.move_notices.record(move, NOW, received(move))
    assert table.move_notices.claim(move, "first") is State.PENDING
    assert table.move_notices.claim(move, "first") is None  # ours already
    assert state_of(table, move) is State.SENDING
    assert table.move_notices.claim(move, "second") is State.SENDING  # a claim left behind is taken over
    assert not table.move_notices.mark_sent(move, "first", "msg-1", later(1))  # no longer ours
    assert state_of(table, move) is State.SENDING
    assert table.move_notices.mark_sent(move, "second", "msg-2", later(1))
    assert state_of(table, move) is State.SENT
    assert table.move_notices.claim(move, "third") is None  # sent: never again


def test_a_refused_send_goes_back_to_pending_but_only_under_its_own_claim(table: MainTable) -> None:
    move = notice(1)
    table.move_notices.record(move, NOW, received(move))
    table.move_notices.claim(move, "first")
    table.move_notices.release(move, "other")  # not the claim's token: nothing changes
    assert state_of(table, move) is State.SENDING
    table.move_notices.release(move, "first")
    assert state_of(table, move) is State.PENDING
    assert table.move_notices.claim(move, "second") is State.PENDING


def test_an_undeliverable_operator_address_ends_the_delivery(table: MainTable) -> None:
    move = notice(1)
    table.move_notices.record(move, NOW, received(move))
    assert not table.move_notices.mark_undeliverable(move, "first")  # not claimed
    table.move_notices.claim(move, "first")
    assert not table.move_notices.mark_undeliverable(move, "other")
    assert table.move_notices.mark_undeliverable(move, "first")
    assert state_of(table, move) is State.UNDELIVERABLE
    assert table.move_notices.claim(move, "second") is None
