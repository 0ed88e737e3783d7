"""Reconciliation (DESIGN.md, Reliability stance): work the stream lost is found and run again.

Every unit of work the stream drives keeps its own state in the sparse index (see
ports/work.py) while it is outstanding. The sweeper, run every few minutes, reads
only what is older than the region's threshold (longer than the stream's own retries take) and runs
it again through the same idempotent code the stream handlers use: matching writes each pair once,
a notification is claimed before it is sent, the national index takes an event twice. Work still
outstanding after the region's number of attempts is handed to the operator (listed by
logic/stuck_work.py, and alarmed on through the `WorkStuck` metric).

The one doubling it cannot rule out is the crash window: an invocation that ended after SES
accepted an e-mail but before it was marked sent. Its claim is taken over only once it is older
than the threshold, so the e-mail may go a second time (counted as resent).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from verwijsindex.domain.national import RemovalReason
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.logic.matching import Delivery, MatchService
from verwijsindex.logic.national_link import Activated, Destroyed, NationalPublisher, Removed
from verwijsindex.logic.run_reports import counted
from verwijsindex.ports.signals import SignalStore
from verwijsindex.ports.work import RERUN_KINDS, OutstandingWork, SignalWork, WorkKind, WorkStore

BATCH = 200  # per kind and run; a run every few minutes catches up a backlog in turns


@dataclass
class SweepReport:
    overdue: int = counted("WorkOverdue")  # outstanding work older than the threshold
    rerun: int = counted("WorkRerun")  # run again and finished
    failed: int = counted("WorkRerunFailed")  # run again and failed again (left for the next run)
    resent: int = counted("NotificationsResent")  # e-mails whose claim was taken over (the crash window)
    gave_up: int = 0  # moved to the operator's list in this run
    stuck: int = counted("WorkStuck")  # on the operator's list now: alarmed
    errors: list[str] = field(default_factory=list)  # exception types only


@dataclass
class Reconciler:
    work: WorkStore
    signals: SignalStore
    matching: MatchService
    publisher: NationalPublisher | None  # None in a region without the national link
    settings: RegionSettings
    new_token: Callable[[], str] = field(default=lambda: f"sweep-{uuid.uuid4().hex}")

    def sweep(self, now: datetime) -> SweepReport:
        report = SweepReport()
        cutoff = now - timedelta(minutes=self.settings.sweep_after_minutes)
        token = self.new_token()
        for kind in RERUN_KINDS:
            for item in self.work.overdue(kind, cutoff, BATCH):
                report.overdue += 1
                if item.attempts >= self.settings.sweep_max_attempts:
                    report.gave_up += int(self.work.give_up(item))
                    continue
                if self.work.count_attempt(item) is None:
                    continue  # finished meanwhile
                try:
                    if self._rerun(item, token, cutoff) is Delivery.RESENT:
                        report.resent += 1
                except Exception as error:  # each unit on its own: one failure stops nothing else
                    report.failed += 1
                    report.errors.append(type(error).__name__)
                else:
                    report.rerun += 1
        report.stuck = self.work.count_stuck(WorkKind)
        return report

    def _rerun(self, item: OutstandingWork, token: str, cutoff: datetime) -> Delivery | None:
        if item.notification is not None:
            return self.matching.deliver(item.notification, token, claimed_before=cutoff)
        if item.tombstone is not None:  # a destroyed signal's tombstone
            if self.publisher is None:  # the region was unlinked meanwhile: nobody to tell
                self.signals.finish_removal(item.tombstone.signal_id)
            else:
                self.publisher.publish(Destroyed.of(item.tombstone))
            return None
        signal = item.signal
        assert signal is not None, "signal work carries its signal"
        if SignalWork.MATCH in item.pending:
            self.matching.match_signal(signal.youth_key, signal.signal_id)
        if SignalWork.PUBLISH in item.pending:
            if self.publisher is None:  # the region was unlinked meanwhile: nobody to tell
                self.signals.finish_work(signal.youth_key, signal.signal_id, SignalWork.PUBLISH)
            else:
                work = Activated(signal) if signal.is_active else Removed(signal, RemovalReason.CLOSED)
                self.publisher.publish(work)
        if not item.pending:
            self.work.drop(item)
        return None
