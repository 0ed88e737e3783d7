"""Rights requests of families (inzage, correctie, kopie, bezwaar): stored with their audit entries,
listed by deadline, and the corrections they make to signals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import MatchSide
from verwijsindex.domain.models import Signal
from verwijsindex.domain.rights import RightsRequest, RightsStatus
from verwijsindex.domain.statistics import Tally


class RightsStore(Protocol):
    def create(self, request: RightsRequest, entry: AuditEntry) -> None: ...

    def get(self, request_id: str) -> RightsRequest | None: ...

    def page(
        self, *, status: RightsStatus | None, overdue_on: date | None, limit: int, cursor: str | None
    ) -> tuple[list[RightsRequest], str | None]:
        """By deadline, oldest first, and the opaque cursor of the next page. `overdue_on`: only open
        requests whose deadline is before that day."""
        ...

    def decide(self, request: RightsRequest, entries: Sequence[AuditEntry], counts: Sequence[Tally] = ()) -> None: ...

    def correct_signal(
        self, old: Signal, new: Signal, entries: Sequence[AuditEntry], sides: Sequence[MatchSide] = ()
    ) -> None:
        """Organisation and/or professional of one signal, with its match sides, in one transaction."""
        ...

    def set_destroy_on(
        self, youth_key: str, signal_ids: Sequence[str], destroy_on: date, entry: AuditEntry
    ) -> None: ...
