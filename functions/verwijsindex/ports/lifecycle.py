"""What the lifecycle jobs read and write: the due-day index, the renewal notices, the last run of each
job, and the destruction of a youth's signals. Every change is conditional on the state it moves away
from, so a rerun changes nothing twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.lifecycle import DueKind, RenewalNotice
from verwijsindex.domain.models import Signal
from verwijsindex.domain.statistics import Tally


@dataclass(frozen=True)
class DueItem:
    """One item due on a day: a signal to expire or purge, a renewal notice to send, or a youth whose
    23rd birthday it is (`destroy_on`)."""

    kind: DueKind
    youth_key: str
    due_signal: Signal | None = None
    due_notice: RenewalNotice | None = None
    destroy_on: date | None = None

    def signal(self) -> Signal:
        assert self.due_signal is not None, f"a {self.kind} item is a signal"
        return self.due_signal

    def notice(self) -> RenewalNotice:
        assert self.due_notice is not None, f"a {self.kind} item is a notice"
        return self.due_notice


@dataclass(frozen=True, kw_only=True)
class Expiry:
    """An active signal at the end of its active period, as one transaction: `closed` (Signal.closed), due in the
    archive on `archive_until`; the renewal notice to its owner, pending and in the due-day index from `notice_due`
    (the run's day) until it is sent; the audit entry and the statistics it adds to."""

    closed: Signal
    archive_until: date
    notice: RenewalNotice
    notice_due: date
    audit: AuditEntry
    counts: Sequence[Tally] = ()


class LifecycleStore(Protocol):
    @property
    def items_read(self) -> int:
        """Items returned by the due-day index since the store was made (bench, metrics)."""
        ...

    def due(self, day: date, kind: DueKind) -> list[DueItem]: ...

    def last_run(self, job: str) -> date | None: ...

    def mark_run(self, job: str, day: date) -> None:
        """Moves the marker forward only: a rerun of the same day (or an older one) writes nothing."""
        ...

    def expire(self, expiry: Expiry) -> bool:
        """Active -> closed with its renewal notice (pending), audit entry and statistics, together and only if the
        signal is still active. False when another run closed it first."""
        ...

    def claim_notice(self, notice: RenewalNotice, token: str) -> bool:
        """pending (or a claim left by an earlier run) -> sending under `token`; False when it is sent already or
        claimed under this token."""
        ...

    def notice_sent(self, notice: RenewalNotice, token: str, message_id: str) -> None:
        """sending -> sent, and no longer due."""
        ...

    def notice_undeliverable(self, notice: RenewalNotice, token: str) -> None:
        """sending -> undeliverable (not sent: the address bounced before), and no longer due: no later run tries it
        again."""
        ...

    def release_notice(self, notice: RenewalNotice, token: str) -> None:
        """sending -> pending after SES refused it: the next run sends it."""
        ...

    def purge(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally] = ()) -> bool:
        """A closed signal at the end of its archive period: the signal and its renewal notice go, the audit entry
        stays. Its guard is not touched (it belongs to any newer active signal). False when it is not a closed signal
        (any more)."""
        ...

    def destroy_signals_and_marker(
        self, youth_key: str, signals: Sequence[tuple[Signal, AuditEntry, Tally]], youth_entry: AuditEntry
    ) -> int:
        """The youth's signals, each with its audit entry (and, in a linked region, its tombstone for the national
        index) and statistics, and then the marker with the youth's entry. Returns how many signals this call destroyed:
        those another run got to first are skipped (and not counted again)."""
        ...

    def held_youths(self, youth_keys: list[str]) -> set[str]:
        """Which of these youths the index holds (has a marker of)."""
        ...

    def record_move(self, youth_key: str, municipality: str, moved_on: date, audit: AuditEntry) -> bool:
        """The youth's municipality on its marker (the national link uses it), with the audit entry. Only for a youth
        the index holds, and only once per move: False otherwise."""
        ...
