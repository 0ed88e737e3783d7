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


class LifecycleStore(Protocol):
    @property
    def items_read(self) -> int:
        """Items returned by the due-day index since the store was made (bench, metrics)."""
        ...

    def due(self, day: date, kind: DueKind) -> list[DueItem]: ...

    def last_run(self, job: str) -> date | None: ...

    def mark_run(self, job: str, day: date) -> None:
        """Moves the marker forward only."""
        ...

    def expire(  # noqa: PLR0917 - one transaction, each part named
        self,
        signal: Signal,
        closed: Signal,
        archive_until: date,
        notice: RenewalNotice,
        today: date,
        audit: AuditEntry,
        counts: Sequence[Tally] = (),
    ) -> bool: ...

    def claim_notice(self, notice: RenewalNotice, token: str) -> bool: ...

    def notice_sent(self, notice: RenewalNotice, token: str, message_id: str) -> None: ...

    def notice_undeliverable(self, notice: RenewalNotice, token: str) -> None: ...

    def release_notice(self, notice: RenewalNotice, token: str) -> None: ...

    def purge(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally] = ()) -> bool: ...

    def destroy_signals_and_marker(
        self, youth_key: str, signals: Sequence[tuple[Signal, AuditEntry, Tally]], youth_entry: AuditEntry
    ) -> int: ...

    def held_youths(self, youth_keys: list[str]) -> set[str]: ...

    def record_move(self, youth_key: str, municipality: str, moved_on: date, audit: AuditEntry) -> bool: ...
