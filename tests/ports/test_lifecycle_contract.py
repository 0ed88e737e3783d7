"""The lifecycle store's contract: the in-memory fake and the DynamoDB adapter answer these cases alike.
Signals are placed and closed through the signal store; the lifecycle store finds them in its due-day
index and changes each once."""

from __future__ import annotations

from datetime import date, timedelta

from tests.ports.main_table import NOW, MainTable, entry, signal
from tests.ports.samples import expired
from verwijsindex.domain.audit import AuditAction, AuditSubject
from verwijsindex.domain.lifecycle import DueKind, RenewalNotice
from verwijsindex.domain.models import CloseReason, Signal
from verwijsindex.domain.statistics import Counter, tally
from verwijsindex.ports.lifecycle import Expiry
from verwijsindex.ports.signals import Placement
from verwijsindex.ports.work import SignalWork, WorkKind

PLACED = signal("s-1")
EXPIRES = PLACED.active_until + timedelta(days=1)  # due the day after its last active day
ARCHIVE_END = EXPIRES + timedelta(days=5 * 365)


def closed(placed: Signal) -> Signal:
    return expired(placed, EXPIRES)[0]


def notice_of(placed: Signal) -> RenewalNotice:
    return expired(placed, EXPIRES)[1]


def expire(table: MainTable, placed: Signal = PLACED) -> bool:
    expiry = Expiry(
        closed=closed(placed),
        archive_until=ARCHIVE_END,
        notice=notice_of(placed),
        notice_due=EXPIRES,
        audit=entry(placed.signal_id, action=AuditAction.SIGNAL_EXPIRED),
        counts=[tally(EXPIRES, placed.dimensions, Counter.EXPIRED)],
    )
    return table.lifecycle.expire(expiry)


def due_ids(table: MainTable, day: date, kind: DueKind) -> list[str]:
    return [item.signal().signal_id for item in table.lifecycle.due(day, kind)]


def trail(table: MainTable, placed: Signal = PLACED) -> list[AuditAction]:
    return [e.action for e in table.audit.for_subject(AuditSubject.youth(placed.youth_key), 50).entries]


def test_an_active_signal_is_due_the_day_after_its_last_active_day(table: MainTable) -> None:
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    table.signals.create(Placement(signal=signal("s-2", youth_key="z" * 64), audit=entry("s-2")))
    before = table.lifecycle.items_read
    assert due_ids(table, EXPIRES, DueKind.EXPIRE) == ["s-1", "s-2"]  # in the order of their youths
    assert table.lifecycle.items_read == before + 2
    [item] = [i for i in table.lifecycle.due(EXPIRES, DueKind.EXPIRE) if i.youth_key == PLACED.youth_key]
    assert item.signal() == PLACED
    assert due_ids(table, PLACED.active_until, DueKind.EXPIRE) == []
    assert due_ids(table, EXPIRES, DueKind.ARCHIVE) == []
    assert table.lifecycle.due(EXPIRES, DueKind.RENEWAL) == []


def test_a_youth_is_due_on_the_day_everything_about_it_is_destroyed(table: MainTable) -> None:
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    [item] = table.lifecycle.due(PLACED.destroy_on, DueKind.AGE_LIMIT)
    assert (item.youth_key, item.destroy_on) == (PLACED.youth_key, PLACED.destroy_on)
    assert table.lifecycle.due(PLACED.destroy_on - timedelta(days=1), DueKind.AGE_LIMIT) == []


def test_expiring_closes_the_signal_once_with_its_renewal_notice(table: MainTable) -> None:
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    assert expire(table)
    assert not expire(table)  # an overlapping run: nothing changes twice
    assert table.signals.youth_signals(PLACED.youth_key) == [closed(PLACED)]
    assert table.signals.active_signal_of(PLACED.youth_key, "org-a", PLACED.professional_id) is None
    assert due_ids(table, EXPIRES, DueKind.EXPIRE) == []
    assert due_ids(table, ARCHIVE_END, DueKind.ARCHIVE) == ["s-1"]
    [renewal] = table.lifecycle.due(EXPIRES, DueKind.RENEWAL)
    assert renewal.notice() == notice_of(PLACED) and renewal.youth_key == PLACED.youth_key
    assert trail(table).count(AuditAction.SIGNAL_EXPIRED) == 1


def test_a_signal_closed_meanwhile_is_not_expired(table: MainTable) -> None:
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    table.signals.close(PLACED.closed(NOW.date(), CloseReason.ENDED), ARCHIVE_END, entry("s-1"))
    assert not expire(table)
    assert table.lifecycle.due(EXPIRES, DueKind.RENEWAL) == []
    assert AuditAction.SIGNAL_EXPIRED not in trail(table)


def test_the_renewal_notice_is_sent_once_and_leaves_the_due_index(table: MainTable) -> None:
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    expire(table)
    notice = notice_of(PLACED)
    assert table.lifecycle.claim_notice(notice, "run-1")
    assert not table.lifecycle.claim_notice(notice, "run-1")  # this run has it already
    assert table.lifecycle.claim_notice(notice, "run-2")  # a claim an ended run left behind
    table.lifecycle.notice_sent(notice, "run-1", "msg-1")  # no longer run-1's: nothing changes
    assert len(table.lifecycle.due(EXPIRES, DueKind.RENEWAL)) == 1
    table.lifecycle.notice_sent(notice, "run-2", "msg-2")
    assert table.lifecycle.due(EXPIRES, DueKind.RENEWAL) == []
    assert not table.lifecycle.claim_notice(notice, "run-3")


def test_a_refused_notice_stays_due_and_an_undeliverable_one_does_not(table: MainTable) -> None:
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    expire(table)
    notice = notice_of(PLACED)
    table.lifecycle.claim_notice(notice, "run-1")
    table.lifecycle.release_notice(notice, "run-1")
    assert len(table.lifecycle.due(EXPIRES, DueKind.RENEWAL)) == 1
    assert table.lifecycle.claim_notice(notice, "run-2")
    table.lifecycle.notice_undeliverable(notice, "run-2")
    assert table.lifecycle.due(EXPIRES, DueKind.RENEWAL) == []
    assert not table.lifecycle.claim_notice(notice, "run-3")
    assert not table.lifecycle.claim_notice(notice_of(signal("s-9")), "run-3")  # no such notice


def test_the_last_run_of_a_job_only_moves_forward(table: MainTable) -> None:
    assert table.lifecycle.last_run("expire") is None
    table.lifecycle.mark_run("expire", EXPIRES)
    table.lifecycle.mark_run("expire", EXPIRES - timedelta(days=3))  # a late rerun of an older day
    assert table.lifecycle.last_run("expire") == EXPIRES
    assert table.lifecycle.last_run("purge") is None
    table.lifecycle.mark_run("expire", EXPIRES + timedelta(days=1))
    assert table.lifecycle.last_run("expire") == EXPIRES + timedelta(days=1)


def test_purging_destroys_a_closed_signal_and_its_notice_once(table: MainTable) -> None:
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    purged = entry("s-1", action=AuditAction.SIGNAL_PURGED)
    assert not table.lifecycle.purge(PLACED, purged)  # still active
    expire(table)
    newer = signal("s-2", created_at=NOW + timedelta(days=800))  # the same professional signals again
    assert table.signals.create(Placement(signal=newer, audit=entry("s-2")))
    assert table.lifecycle.purge(closed(PLACED), purged)
    assert not table.lifecycle.purge(closed(PLACED), purged)
    assert table.signals.youth_signals(PLACED.youth_key) == [newer]
    assert table.signals.active_signal_of(PLACED.youth_key, "org-a", PLACED.professional_id) == newer
    assert due_ids(table, ARCHIVE_END, DueKind.ARCHIVE) == []
    assert table.lifecycle.due(EXPIRES, DueKind.RENEWAL) == []
    assert trail(table).count(AuditAction.SIGNAL_PURGED) == 1


def destroy(table: MainTable, *signals: Signal) -> int:
    youth_key = signals[0].youth_key
    return table.lifecycle.destroy_signals_and_marker(
        youth_key,
        [
            (
                s,
                entry(s.signal_id, action=AuditAction.SIGNAL_DESTROYED),
                tally(NOW.date(), s.dimensions, Counter.DESTROYED_AGE_LIMIT),
            )
            for s in signals
        ],
        entry("youth", action=AuditAction.YOUTH_DESTROYED),
    )


def test_a_youth_s_signals_and_marker_are_destroyed_once(table: MainTable) -> None:
    second = signal("s-2", org_id="org-b")
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    table.signals.create(Placement(signal=second, audit=entry("s-2")))
    table.signals.create(Placement(signal=signal("s-3", youth_key="z" * 64), audit=entry("s-3")))
    assert table.lifecycle.held_youths([PLACED.youth_key, "z" * 64, "x" * 64]) == {PLACED.youth_key, "z" * 64}
    assert destroy(table, PLACED, second) == 2
    assert table.signals.youth_signals(PLACED.youth_key) == []
    assert not table.signals.holds_youth(PLACED.youth_key)
    assert table.lifecycle.held_youths([PLACED.youth_key, "z" * 64]) == {"z" * 64}
    assert table.lifecycle.due(PLACED.destroy_on, DueKind.AGE_LIMIT)[0].youth_key == "z" * 64
    assert destroy(table, PLACED, second) == 0  # a rerun: nothing destroyed or audited twice
    assert trail(table).count(AuditAction.SIGNAL_DESTROYED) == 2
    assert trail(table).count(AuditAction.YOUTH_DESTROYED) == 1


def test_a_signal_destroyed_meanwhile_is_not_counted_again(table: MainTable) -> None:
    second = signal("s-2", org_id="org-b")
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    table.signals.create(Placement(signal=second, audit=entry("s-2")))
    table.signals.destroy(second, entry("s-2", action=AuditAction.SIGNAL_DESTROYED))
    assert destroy(table, PLACED, second) == 1
    assert not table.signals.holds_youth(PLACED.youth_key)


def test_a_move_is_recorded_once_and_only_for_a_youth_the_index_holds(table: MainTable) -> None:
    def move(municipality: str) -> bool:
        moved = entry("youth", action=AuditAction.YOUTH_MOVED)
        return table.lifecycle.record_move(PLACED.youth_key, municipality, NOW.date(), moved)

    assert not move("0363")
    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    assert move("0363")
    assert not move("0363")  # the same notice again
    assert move("0014")  # moved on
    assert trail(table).count(AuditAction.YOUTH_MOVED) == 2


def test_a_recorded_move_survives_the_youths_next_signal(table: MainTable) -> None:
    # Each signal writes the youth's marker again; a move recorded on it before must stay, or the
    # same BRP move would count as new and travel to the other regions a second time.
    def move() -> bool:
        return table.lifecycle.record_move(
            PLACED.youth_key, "0363", NOW.date(), entry("youth", action=AuditAction.YOUTH_MOVED)
        )

    table.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    assert move()
    table.signals.create(Placement(signal=signal("s-2", org_id="org-b"), audit=entry("s-2")))
    assert not move()
    assert trail(table).count(AuditAction.YOUTH_MOVED) == 1


def test_a_linked_region_owes_the_national_index_each_closing_and_destruction(linked: MainTable) -> None:
    linked.signals.create(Placement(signal=PLACED, audit=entry("s-1")))
    linked.signals.finish_work(PLACED.youth_key, "s-1", SignalWork.MATCH)
    linked.signals.finish_work(PLACED.youth_key, "s-1", SignalWork.PUBLISH)
    expire(linked)
    soon = NOW + timedelta(minutes=1)
    [work] = linked.work.overdue(WorkKind.SIGNAL, soon, 10)
    assert work.pending == {SignalWork.PUBLISH} and work.signal == closed(PLACED)
    linked.lifecycle.purge(closed(PLACED), entry("s-1", action=AuditAction.SIGNAL_PURGED))
    assert linked.work.overdue(WorkKind.SIGNAL, soon, 10) == []  # went with the signal
    [removal] = linked.work.overdue(WorkKind.REMOVAL, soon, 10)
    assert removal.tombstone is not None and removal.tombstone.signal_id == "s-1"
    other = signal("s-2", youth_key="z" * 64)
    linked.signals.create(Placement(signal=other, audit=entry("s-2")))
    destroy(linked, other)
    removals = linked.work.overdue(WorkKind.REMOVAL, soon, 10)
    assert sorted(w.tombstone.signal_id for w in removals if w.tombstone) == ["s-1", "s-2"]
