"""In-memory WorkStore (functions/verwijsindex/ports/work.py): the outstanding work the other fakes of
the main table record in their FakeIndex."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

from tests.fakes.index import FakeIndex
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.ports.work import OutstandingWork, StuckWork, Tombstone, WorkKind


def _invalid(field: str) -> Unprocessable:
    return Unprocessable(f"{field} is not valid", field=field)


class FakeWorkStore:
    def __init__(self, index: FakeIndex) -> None:
        self.index = index
        self._references: dict[str, tuple[str, ...]] = {}

    def _unit(self, ref: tuple[str, ...]) -> OutstandingWork:
        work = self.index.work[ref]
        if ref[0] == "note":
            delivery = self.index.notes[(ref[1], ref[2], ref[3], ref[4])]
            return OutstandingWork(work.kind, ref, work.attempts, notification=delivery.note)
        if ref[0] == "removal":
            national_key, until = self.index.tombstones[ref[1]]
            tombstone = Tombstone(signal_id=ref[1], national_key=national_key, active_until=date.fromisoformat(until))
            return OutstandingWork(work.kind, ref, work.attempts, tombstone=tombstone)
        signal = self.index.signals[(ref[1], ref[2])]
        pending = frozenset(self.index.pending.get((ref[1], ref[2]), set()))
        return OutstandingWork(work.kind, ref, work.attempts, signal=signal, pending=pending)

    def _of(self, kind: WorkKind, *, stuck: bool) -> list[tuple[str, ...]]:
        found = [(w.order, ref) for ref, w in self.index.work.items() if w.kind is kind and w.stuck is stuck]
        return [ref for _, ref in sorted(found)]

    def overdue(self, kind: WorkKind, before: datetime, limit: int) -> list[OutstandingWork]:
        due = [ref for ref in self._of(kind, stuck=False) if self.index.work[ref].since < before]
        return [self._unit(ref) for ref in due[:limit]]

    def _current(self, unit: OutstandingWork) -> Any:
        ref = cast("tuple[str, ...]", unit.ref)
        work = self.index.work.get(ref)
        return work if work is not None and work.kind is unit.kind and not work.stuck else None

    def count_attempt(self, work: OutstandingWork) -> int | None:
        current = self._current(work)
        if current is None:
            return None
        current.attempts += 1
        return int(current.attempts)

    def give_up(self, work: OutstandingWork) -> bool:
        current = self._current(work)
        if current is None:
            return False
        current.stuck = True
        return True

    def drop(self, work: OutstandingWork) -> None:
        self.index.work.pop(cast("tuple[str, ...]", work.ref), None)

    def count_stuck(self, kinds: Iterable[WorkKind]) -> int:
        return sum(len(self._of(kind, stuck=True)) for kind in kinds)

    def stuck(self, kind: WorkKind, limit: int, cursor: str | None = None) -> tuple[list[StuckWork], str | None]:
        refs = self._of(kind, stuck=True)
        start = 0
        if cursor:
            scope, _, offset = cursor.partition("|")
            if scope != kind.value or not offset.isdigit():
                raise _invalid("cursor")
            start = int(offset)
        page = refs[start : start + limit]
        found = [StuckWork(self.index.work[ref].since, self.index.work[ref].attempts, ref) for ref in page]
        more = start + limit < len(refs)
        return found, (f"{kind.value}|{start + limit}" if more else None)

    def reference(self, work: StuckWork) -> str:
        reference = secrets.token_urlsafe(16)
        self._references[reference] = cast("tuple[str, ...]", work.ref)
        return reference

    def open_reference(self, reference: str) -> dict[str, Any]:
        if reference not in self._references:
            raise _invalid("cursor")
        return {"item": list(self._references[reference])}
