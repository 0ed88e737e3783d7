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
        """By deadline, oldest first, and the opaque cursor of the next page. `overdue_on`: only open requests whose
        deadline is before that day. Every page is full unless it is the last."""
        ...

    def decide(self, request: RightsRequest, entries: Sequence[AuditEntry], counts: Sequence[Tally] = ()) -> None:
        """open -> granted | refused with its audit entries and statistics, once: a second decision is a 409."""
        ...

    def correct_signal(
        self, old: Signal, new: Signal, entries: Sequence[AuditEntry], sides: Sequence[MatchSide] = ()
    ) -> None:
        """Organisation and/or professional of one signal, with the audit entries naming old and new value, in one
        transaction: an active signal's guard moves with it, and after an organisation correction each match side of the
        signal (`sides`) and the other party's view of it name the new organisation. Other attributes (and the due-index
        keys) are left as they are."""
        ...

    def set_destroy_on(self, youth_key: str, signal_ids: Sequence[str], destroy_on: date, entry: AuditEntry) -> None:
        """Correctie via the BRP: a corrected birth date moves the day everything is destroyed."""
        ...
