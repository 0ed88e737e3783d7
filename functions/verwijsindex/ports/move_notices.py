"""Move notices from the national index, recorded once and e-mailed once to the region's operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import NotificationState
from verwijsindex.domain.national import MoveNotice


@dataclass(frozen=True)
class ReceivedMoveNotice:
    notice: MoveNotice
    received_at: datetime
    state: NotificationState  # of the e-mail to the operator


class MoveNoticeStore(Protocol):
    def record(self, notice: MoveNotice, received_at: datetime, audit: AuditEntry) -> bool:
        """Writes the notice (pending) with its audit entry; False when it was received before."""
        ...

    def recent(self, limit: int) -> list[ReceivedMoveNotice]:
        """At most `limit` of the notices received in the last year, newest first."""
        ...

    def claim(self, notice: MoveNotice, token: str) -> NotificationState | None: ...

    def release(self, notice: MoveNotice, token: str) -> None: ...

    def mark_undeliverable(self, notice: MoveNotice, token: str) -> bool:
        """sending -> undeliverable: not sent, the operator's address is undeliverable."""
        ...

    def mark_sent(self, notice: MoveNotice, token: str, message_id: str, now: datetime) -> bool: ...
