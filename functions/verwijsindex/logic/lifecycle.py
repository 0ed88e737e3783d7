"""Lifecycle (DESIGN.md section 2): expiry, the archive's end, the 23rd birthday and death.

- expire (daily): youths who turned 23 are destroyed; active signals whose last active day
  has passed are closed and their owner gets one e-mail asking whether to signal again.
- purge (daily): closed signals whose archive period ended are destroyed; youths who
  turned 23 too (the same rule from both jobs, so either one alone suffices).
- BRP notifications: a death destroys the youth at once; a move is recorded on the youth.

Each run reads every due day from the day after its last completed run (at least the last
CATCH_UP_DAYS days) up to "now": a missed week is caught up, and what was handled has left
the due index (closed signals move to their archive day, destroyed items are gone, sent
notices drop out), so reading is proportional to what is due.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from verwijsindex.domain.audit import AuditAction
from verwijsindex.domain.callers import Caller, CallerKind
from verwijsindex.domain.clock import Clock, FixedClock, dutch_day
from verwijsindex.domain.lifecycle import BrpNotification, BrpNotificationKind, DueKind, RenewalNotice, due_days
from verwijsindex.domain.models import CloseReason, Signal, SignalStatus
from verwijsindex.domain.periods import years_later
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.domain.statistics import Counter, tally
from verwijsindex.logic.auditing import AuditStamp, Stamping
from verwijsindex.logic.emails.renewal import renewal_email
from verwijsindex.logic.run_reports import counted
from verwijsindex.logic.sending import Claim, Sent, send_claimed
from verwijsindex.ports.lifecycle import DueItem, Expiry, LifecycleStore
from verwijsindex.ports.mail import Mailer, MailerError
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.pseudonyms import Pseudonyms
from verwijsindex.ports.youth_partitions import YouthPartition, YouthPartitions

EXPIRE_JOB = "expire"
PURGE_JOB = "purge"


def _system(job: str) -> Caller:
    return Caller(kind=CallerKind.MACHINE, subject=f"lifecycle.{job}")


@dataclass
class RunReport:
    """What one run did (counts only: no keys, no personal data)."""

    job: str
    today: date
    days_read: int = 0
    items_read: int = counted("DueItemsRead")
    closed: int = counted("SignalsClosed")
    emails_sent: int = counted("RenewalEmailsSent")
    emails_failed: int = counted("RenewalEmailsFailed")  # alarmed: SES refused them
    # not sent: the owner's address is undeliverable
    emails_undeliverable: int = counted("RenewalEmailsUndeliverable")
    signals_destroyed: int = counted("SignalsDestroyed")
    youths_destroyed: int = counted("YouthsDestroyed")
    skipped: int = 0  # due items another run (or the professional) handled already


@dataclass
class BrpOutcome:
    kind: str
    handled: bool  # False when the index holds nothing about this person (or nothing changed)


@dataclass
class LifecycleService(Stamping):
    store: LifecycleStore
    matches: MatchStore
    partitions: YouthPartitions
    mailer: Mailer
    pseudonyms: Pseudonyms
    settings: RegionSettings
    clock: Clock
    new_token: Callable[[], str] = field(default=lambda: uuid.uuid4().hex)

    # --- the daily jobs ----------------------------------------------------------------------

    def expire(self, now: datetime) -> RunReport:
        return self._run(EXPIRE_JOB, now, (DueKind.AGE_LIMIT, DueKind.RENEWAL, DueKind.EXPIRE))

    def purge(self, now: datetime) -> RunReport:
        return self._run(PURGE_JOB, now, (DueKind.AGE_LIMIT, DueKind.ARCHIVE))

    def _run(self, job: str, now: datetime, kinds: tuple[DueKind, ...]) -> RunReport:
        today = dutch_day(now)
        stamp = AuditStamp(FixedClock(now))  # entries carry the run's (replayable) time
        report = RunReport(job=job, today=today)
        read_before = self.store.items_read
        token = self.new_token()  # this run's claim on renewal notices
        days = due_days(self.store.last_run(job), today)
        report.days_read = len(days)
        for day in days:
            # The 23rd birthday first: an expiring signal of a youth destroyed today gets no e-mail.
            for kind in kinds:
                for item in self.store.due(day, kind):
                    self._handle(job, stamp, item, today, token, report)
        self.store.mark_run(job, today)
        report.items_read = self.store.items_read - read_before
        return report

    def _handle(  # noqa: PLR0917 - the run's context, passed down
        self, job: str, stamp: AuditStamp, item: DueItem, today: date, token: str, report: RunReport
    ) -> None:
        if item.kind is DueKind.AGE_LIMIT:
            if item.destroy_on is None or item.destroy_on > today:
                report.skipped += 1
                return
            destroyed = self.destroy_youth(
                item.youth_key, "23rd birthday", _system(job), stamp, counter=Counter.DESTROYED_AGE_LIMIT
            )
            report.signals_destroyed += destroyed
            report.youths_destroyed += 1
        elif item.kind is DueKind.EXPIRE:
            self._expire_signal(job, stamp, item.signal(), today, token, report)
        elif item.kind is DueKind.RENEWAL:
            self._send(item.notice(), token, report)
        else:
            self._purge_signal(job, stamp, item.signal(), today, report)

    def _expire_signal(  # noqa: PLR0917 - the run's context, passed down
        self, job: str, stamp: AuditStamp, signal: Signal, today: date, token: str, report: RunReport
    ) -> None:
        if not signal.is_active or signal.active_until >= today:
            report.skipped += 1
            return
        closed_on = signal.active_until + timedelta(days=1)  # closed at the end of its last day
        closed = signal.closed(closed_on, CloseReason.EXPIRED)
        notice = RenewalNotice.on_expiry(signal, closed_on)
        entry = stamp.on_signal(
            _system(job),
            AuditAction.SIGNAL_EXPIRED,
            signal,
            detail=f"active period ended {signal.active_until.isoformat()}; owner asked whether to renew",
        )
        expiry = Expiry(
            closed=closed,
            archive_until=years_later(closed_on, self.settings.archive_period_years),
            notice=notice,
            notice_due=today,
            audit=entry,
            counts=[tally(closed_on, signal.dimensions, Counter.EXPIRED)],
        )
        if not self.store.expire(expiry):
            report.skipped += 1
            return
        report.closed += 1
        self._send(notice, token, report)

    def _send(self, notice: RenewalNotice, token: str, report: RunReport) -> None:
        if not self.store.claim_notice(notice, token):
            return  # sent already, or being sent by this run
        claim = Claim(
            undeliverable=partial(self.store.notice_undeliverable, notice, token),
            release=partial(self.store.release_notice, notice, token),
            sent=partial(self.store.notice_sent, notice, token),
        )
        try:
            sent = send_claimed(self.mailer, renewal_email(notice), claim)
        except MailerError:
            report.emails_failed += 1  # released: the next run sends it
            return
        if sent is Sent.UNDELIVERABLE:
            report.emails_undeliverable += 1
        else:
            report.emails_sent += 1

    def _purge_signal(self, job: str, stamp: AuditStamp, signal: Signal, today: date, report: RunReport) -> None:
        if signal.status is not SignalStatus.CLOSED or signal.closed_on is None:
            report.skipped += 1
            return
        if years_later(signal.closed_on, self.settings.archive_period_years) > today:
            report.skipped += 1
            return
        entry = stamp.on_signal(
            _system(job),
            AuditAction.SIGNAL_PURGED,
            signal,
            detail=f"archive period ended (closed {signal.closed_on.isoformat()})",
        )
        # Matches first: if this fails halfway the signal is still due to retry with.
        self.matches.forget_signal(signal.youth_key, signal.signal_id)
        if self.store.purge(signal, entry, [tally(today, signal.dimensions, Counter.DESTROYED_ARCHIVE_END)]):
            report.signals_destroyed += 1
        else:
            report.skipped += 1

    # --- destroying a youth (23rd birthday, death) -------------------------------------------

    def destroy_youth(
        self,
        youth_key: str,
        why: str,
        actor: Caller,
        stamp: AuditStamp | None = None,
        partition: YouthPartition | None = None,
        *,
        counter: Counter,
    ) -> int:
        """Everything about the youth, in every partition; only audit entries remain.

        One read of the partition (unless the caller has it), from which every other key is
        derived. Order makes a retry safe: matches, notifications and parent links elsewhere
        first, then the rest of the partition, in batches; last the signals with their audit
        entries and the marker (the due item that brings a retry back), in one transaction."""
        stamp = stamp or self._stamp
        if partition is None:
            partition = self.partitions.read(youth_key)
        signals = partition.signals
        self.partitions.forget_all_but_signals(partition)
        today = dutch_day(stamp.now())
        entries = [
            (
                signal,
                stamp.on_youth(
                    actor,
                    AuditAction.SIGNAL_DESTROYED,
                    youth_key,
                    org_id=signal.org_id,
                    target=signal.signal_id,
                    detail=why,
                ),
                tally(today, signal.dimensions, counter),
            )
            for signal in signals
        ]
        youth_entry = stamp.on_youth(
            actor, AuditAction.YOUTH_DESTROYED, youth_key, detail=f"{why}: {len(signals)} signal(s)"
        )
        return self.store.destroy_signals_and_marker(youth_key, entries, youth_entry)

    # --- BRP notifications -------------------------------------------------------------------

    def brp_notification(self, caller: Caller, notification: BrpNotification) -> BrpOutcome:
        youth_key = self.pseudonyms.regional(notification.bsn)
        if notification.kind == BrpNotificationKind.DEATH.value:
            partition = self.partitions.read(youth_key)
            if partition:
                self.destroy_youth(
                    youth_key, "death (BRP)", caller, partition=partition, counter=Counter.DESTROYED_DEATH
                )
            return BrpOutcome(kind=notification.kind, handled=bool(partition))
        entry = self._stamp.on_youth(
            caller,
            AuditAction.YOUTH_MOVED,
            youth_key,
            detail=f"moved to municipality {notification.municipality} on {notification.date.isoformat()}",
        )
        moved = self.store.record_move(youth_key, notification.municipality, notification.date, entry)
        return BrpOutcome(kind=notification.kind, handled=moved)
