"""The operator's list of stuck work (DESIGN.md, Reliability stance: work is never lost silently).

Four kinds end up here, each listed apart by the work store (ports/work.py):
- `signal`: a signal the sweeper could not match or publish to the national index in its attempts;
- `removal`: a destroyed signal whose removal the sweeper could not publish in its attempts;
- `delivery`: a notification the sweeper could not deliver in its attempts;
- `address`: an undeliverable address to which e-mails were held back (logic/outgoing_mail.py).

What the operator sees is what to act on and how urgent it is, never whom it is about: the kind, since
when, how many attempts (for an address: how many e-mails held back), and an opaque reference to quote
when reporting it. The store seals the reference like a paging cursor: only the index can open it again
(`open_reference`), and it shows no pseudonym, id or address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.schemas import Strict
from verwijsindex.ports.work import StuckWork, WorkKind, WorkStore


class StuckItem(Strict):
    kind: WorkKind = Field(
        description="signal: not matched or not published; removal: a destroyed signal's removal not "
        "published; delivery: an e-mail not delivered; "
        "address: e-mails held back because the address is undeliverable"
    )
    since: datetime = Field(description="when the work began (for an address: the first e-mail held back), UTC")
    age_minutes: int = Field(ge=0, description="minutes since `since`")
    attempts: int = Field(ge=0, description="the sweeper's attempts; for an address, the e-mails held back")
    reference: str = Field(description="opaque: quote it when reporting the problem")


class StuckPage(Strict):
    items: list[StuckItem] = Field(description="oldest first")
    next_cursor: str | None = Field(default=None, description="the next page, if any")


@dataclass
class StuckWorkService:
    work: WorkStore
    clock: Clock

    def page(self, caller: Caller, kind: WorkKind, limit: int, cursor: str | None = None) -> StuckPage:
        """One page of one kind of stuck work, oldest first (operator only)."""
        require_operator(caller)
        items, next_cursor = self.work.stuck(kind, limit, cursor)
        now = self.clock.now()
        return StuckPage(items=[self._view(kind, item, now) for item in items], next_cursor=next_cursor)

    def open_reference(self, reference: str) -> dict[str, Any]:
        """The table key a reference stands for (for whoever maintains the index; 422 if forged)."""
        return self.work.open_reference(reference)

    def _view(self, kind: WorkKind, item: StuckWork, now: datetime) -> StuckItem:
        return StuckItem(
            kind=kind,
            since=item.since,
            age_minutes=max(0, int((now - item.since).total_seconds() // 60)),
            attempts=item.attempts,
            reference=self.work.reference(item),
        )
