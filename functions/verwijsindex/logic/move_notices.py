"""The national index's move notices, for the region's operator: a youth with active signals in
another region moved into one of this region's municipalities. Each was e-mailed to the operator
when it came; the console lists the last year's again, with whether that e-mail went out. A notice
names the municipality, the day and the other regions' professionals, never the youth."""

from __future__ import annotations

from dataclasses import dataclass

from verwijsindex.domain.callers import Caller
from verwijsindex.logic.access import require_operator
from verwijsindex.ports.move_notices import MoveNoticeStore, ReceivedMoveNotice

SHOWN = 50


@dataclass
class MoveNoticeService:
    store: MoveNoticeStore

    def recent(self, caller: Caller, limit: int = SHOWN) -> list[ReceivedMoveNotice]:
        require_operator(caller)
        return self.store.recent(limit)
