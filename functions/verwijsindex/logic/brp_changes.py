"""Deaths, moves and emigration from the BRP Update API, without a bridge (README "Connecting the BRP").

A youth's first signal follows its BSN until its 23rd birthday (SignalService). A scheduled run
then asks which followed persons changed since its last run (`vanaf` is a day, so the last
run's day and `OVERLAP_DAYS` before it are read again: a change registered late on that day
is not missed), keeps the BSNs the index still holds a youth for (a youth destroyed meanwhile
is not read again), reads those persons again in batches, and applies what it finds through
the use case behind POST /brp/notifications, which stays the entry for a Digilevering bridge:

- a death (or a record suspended for death): everything about the youth is destroyed;
- a registration in another municipality since the window began: a move;
- emigration (suspension E, or registration in the RNI, code 1999): a move to 1999;
- a record suspended for another reason, or a person the BRP no longer gives: counted only.

The run's marker moves forward only after every batch was applied; a run that fails halfway
is rerun from the same day, and applying the same death or move twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from verwijsindex.domain.callers import Caller, CallerKind
from verwijsindex.domain.clock import dutch_day
from verwijsindex.domain.lifecycle import BrpNotification, BrpNotificationKind
from verwijsindex.domain.models import RecordSuspension
from verwijsindex.logic.lifecycle import LifecycleService
from verwijsindex.logic.run_reports import counted
from verwijsindex.ports.lifecycle import LifecycleStore
from verwijsindex.ports.person_registry import NON_RESIDENTS, STATUS_BATCH, ChangeFeed, PersonStatus, PersonStatuses
from verwijsindex.ports.pseudonyms import Pseudonyms

POLL_JOB = "brp-changes"
OVERLAP_DAYS = 1
FIRST_RUN_DAYS = 14  # a first run (or a lost marker) looks back this far
# A registration in a municipality is dated by the move itself, which may lie weeks before the
# BRP records it: a registration this long before the window still counts as this window's move.
MOVE_LOOKBACK_DAYS = 31
UNKNOWN_MUNICIPALITY = "0000"  # a death's notice names a municipality; the BRP may give none
POLLER = Caller(kind=CallerKind.MACHINE, subject="brp.changes")


@dataclass
class PollReport:
    """What one run did (counts only: no BSN, no key)."""

    today: date
    since: date
    changed: int = 0  # followed persons the BRP reported as changed
    held: int = 0  # of whom the index still holds a youth
    read: int = counted("BrpChangesRead")  # of whom the BRP gave a record again
    deaths: int = counted("BrpDeathsApplied")
    moves: int = counted("BrpMovesApplied")
    emigrations: int = counted("BrpEmigrationsApplied")
    # suspended for another reason (M, R, .): nothing applied
    suspended_other: int = counted("BrpSuspendedOther")
    not_found: int = counted("BrpPersonsNotFound")  # the BRP no longer gives the person
    unchanged: int = 0


@dataclass
class BrpChangePoller:
    feed: ChangeFeed
    persons: PersonStatuses
    lifecycle: LifecycleService
    store: LifecycleStore
    pseudonyms: Pseudonyms

    def run(self, now: datetime) -> PollReport:
        today = dutch_day(now)
        last = self.store.last_run(POLL_JOB)
        since = last - timedelta(days=OVERLAP_DAYS) if last else today - timedelta(days=FIRST_RUN_DAYS)
        report = PollReport(today=today, since=since)
        changed = self.feed.changed_since(since)
        report.changed = len(changed)
        keys = {bsn: self.pseudonyms.regional(bsn) for bsn in changed}
        held = self.store.held_youths(list(keys.values()))
        wanted = [bsn for bsn in changed if keys[bsn] in held]
        report.held = len(wanted)
        for start in range(0, len(wanted), STATUS_BATCH):
            batch = wanted[start : start + STATUS_BATCH]
            statuses = self.persons.statuses(batch)
            report.read += len(statuses)
            report.not_found += len(batch) - len(statuses)
            for status in statuses:
                self._apply(status, since, today, report)
        self.store.mark_run(POLL_JOB, today)
        return report

    def _apply(self, status: PersonStatus, since: date, today: date, report: PollReport) -> None:
        municipality = status.municipality if len(status.municipality) == 4 else UNKNOWN_MUNICIPALITY
        if status.deceased:
            if self._notify(status.bsn, BrpNotificationKind.DEATH, status.death_date or today, municipality):
                report.deaths += 1
            else:
                report.unchanged += 1  # destroyed already (another run, or a bridge's notification)
            return
        if status.suspension is RecordSuspension.EMIGRATION or status.municipality == NON_RESIDENTS:
            day = status.suspended_on or status.registered_since or today
            if self._notify(status.bsn, BrpNotificationKind.MOVE, day, NON_RESIDENTS):
                report.emigrations += 1
            else:
                report.unchanged += 1
            return
        if status.suspension is not None:
            report.suspended_other += 1
            return
        recent = status.registered_since is not None and status.registered_since >= since - timedelta(
            days=MOVE_LOOKBACK_DAYS
        )
        if (
            recent
            and municipality != UNKNOWN_MUNICIPALITY
            and status.registered_since is not None
            and self._notify(status.bsn, BrpNotificationKind.MOVE, status.registered_since, municipality)
        ):
            report.moves += 1
            return
        report.unchanged += 1

    def _notify(self, bsn: str, kind: BrpNotificationKind, day: date, municipality: str) -> bool:
        notification = BrpNotification(bsn=bsn, kind=kind.value, date=day, municipality=municipality)
        return self.lifecycle.brp_notification(POLLER, notification).handled
