"""In-memory LifecycleStore (functions/verwijsindex/ports/lifecycle.py): the due-day index read off the
FakeIndex it shares with the other fakes of the main table, as the table's sparse index would hold it:
an active signal due the day after its last active day, a closed one on its archive's end, a youth on
its 23rd birthday, a renewal notice on the day it was written until it is sent or undeliverable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from tests.fakes.index import FakeIndex, Renewal
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.lifecycle import DueKind, NoticeState, RenewalNotice
from verwijsindex.domain.models import Signal, SignalStatus
from verwijsindex.domain.statistics import Tally
from verwijsindex.ports.lifecycle import DueItem, Expiry


class FakeLifecycleStore:
    def __init__(self, index: FakeIndex, *, national_link: bool = False) -> None:
        self.index = index
        self._national_link = national_link
        self._last_runs: dict[str, date] = {}
        self.items_read = 0

    # --- the due-day index ---------------------------------------------------------------------

    def _due(self, day: date, kind: DueKind) -> list[DueItem]:
        index = self.index
        if kind is DueKind.AGE_LIMIT:
            youths = sorted(y for y, marker in index.markers.items() if marker.destroy_on == day)
            return [DueItem(kind, y, destroy_on=day) for y in youths]
        if kind is DueKind.RENEWAL:
            due = sorted(key for key, r in index.renewals.items() if r.due == day)
            return [DueItem(kind, key[0], due_notice=index.renewals[key].notice) for key in due]
        if kind is DueKind.EXPIRE:
            signals = [s for s in index.signals.values() if s.is_active and s.active_until + timedelta(days=1) == day]
        else:
            signals = [
                s
                for key, s in index.signals.items()
                if s.status is SignalStatus.CLOSED and index.archive.get(key) == day
            ]
        return [
            DueItem(kind, s.youth_key, due_signal=s) for s in sorted(signals, key=lambda s: (s.youth_key, s.signal_id))
        ]

    def due(self, day: date, kind: DueKind) -> list[DueItem]:
        found = self._due(day, kind)
        self.items_read += len(found)
        return found

    def last_run(self, job: str) -> date | None:
        return self._last_runs.get(job)

    def mark_run(self, job: str, day: date) -> None:
        last = self._last_runs.get(job)
        if last is None or last < day:
            self._last_runs[job] = day

    # --- expiry and the renewal notice -----------------------------------------------------------

    def expire(self, expiry: Expiry) -> bool:
        closed, audit = expiry.closed, expiry.audit
        key = (closed.youth_key, closed.signal_id)
        stored = self.index.signals.get(key)
        if stored is None or not stored.is_active or key in self.index.renewals:
            return False
        self.index.close_signal(closed, expiry.archive_until, audit.at if self._national_link else None)
        self.index.renewals[key] = Renewal(notice=expiry.notice, due=expiry.notice_due)
        self.index.audit.append(audit)
        self.index.tallies.extend(expiry.counts)
        return True

    def _renewal(self, notice: RenewalNotice) -> Renewal | None:
        return self.index.renewals.get((notice.youth_key, notice.signal_id))

    def claim_notice(self, notice: RenewalNotice, token: str) -> bool:
        renewal = self._renewal(notice)
        return renewal is not None and renewal.claim(token) is not None

    def _end(self, notice: RenewalNotice, final: NoticeState, token: str) -> None:
        renewal = self._renewal(notice)
        if renewal is not None and renewal.finish(final, token):
            renewal.due = None  # out of the due index: no later run tries it again

    def notice_sent(self, notice: RenewalNotice, token: str, message_id: str) -> None:
        self._end(notice, NoticeState.SENT, token)

    def notice_undeliverable(self, notice: RenewalNotice, token: str) -> None:
        self._end(notice, NoticeState.UNDELIVERABLE, token)

    def release_notice(self, notice: RenewalNotice, token: str) -> None:
        renewal = self._renewal(notice)
        if renewal is not None:
            renewal.release(token)

    # --- destruction ---------------------------------------------------------------------------

    def _destroyed(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally]) -> None:
        self.index.audit.append(audit)
        if self._national_link:
            self.index.owe_removal(signal, audit.at)
        self.index.tallies.extend(counts)

    def purge(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally] = ()) -> bool:
        stored = self.index.signals.get((signal.youth_key, signal.signal_id))
        if stored is None or stored.status is not SignalStatus.CLOSED:
            return False
        # Its guard stays: it belongs to the professional's newer active signal, if any.
        self.index.drop_signal(signal.youth_key, signal.signal_id)
        self.index.renewals.pop((signal.youth_key, signal.signal_id), None)
        self._destroyed(signal, audit, counts)
        return True

    def destroy_signals_and_marker(
        self, youth_key: str, signals: Sequence[tuple[Signal, AuditEntry, Tally]], youth_entry: AuditEntry
    ) -> int:
        destroyed = 0
        for signal, entry, count in signals:
            # Only the signals themselves: their guards and notices went with the rest of the partition.
            if self.index.drop_signal(youth_key, signal.signal_id) is not None:
                self._destroyed(signal, entry, [count])
                destroyed += 1
        if self.index.markers.pop(youth_key, None) is not None:
            self.index.audit.append(youth_entry)
        return destroyed

    # --- BRP -----------------------------------------------------------------------------------

    def held_youths(self, youth_keys: list[str]) -> set[str]:
        return {key for key in youth_keys if key in self.index.markers}

    def record_move(self, youth_key: str, municipality: str, moved_on: date, audit: AuditEntry) -> bool:
        marker = self.index.markers.get(youth_key)
        if marker is None or (marker.municipality, marker.moved_on) == (municipality, moved_on):
            return False
        marker.municipality, marker.moved_on = municipality, moved_on
        self.index.audit.append(audit)
        return True
