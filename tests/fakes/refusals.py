"""In-memory RefusalStore (functions/verwijsindex/ports/refusals.py): refused placements per caller per
day, each with its audit entry in the FakeIndex it shares with the other fakes of the main table."""

from __future__ import annotations

from datetime import date

from tests.fakes.index import FakeIndex
from verwijsindex.domain.audit import AuditEntry


class FakeRefusalStore:
    def __init__(self, index: FakeIndex | None = None) -> None:
        self.index = index if index is not None else FakeIndex()
        self._counts: dict[tuple[str, date], int] = {}

    def count(self, actor: str, day: date) -> int:
        return self._counts.get((actor, day), 0)

    def record(self, actor: str, day: date, entry: AuditEntry) -> None:
        self._counts[(actor, day)] = self.count(actor, day) + 1
        self.index.audit.append(entry)
