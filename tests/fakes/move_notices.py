"""In-memory MoveNoticeStore (functions/verwijsindex/ports/move_notices.py): each notice once, with its
audit entry in the FakeIndex, and the delivery of its e-mail to the operator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tests.fakes.index import FakeIndex, Mail
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import NotificationState
from verwijsindex.domain.national import MoveNotice
from verwijsindex.ports.move_notices import ReceivedMoveNotice


@dataclass
class _Received(Mail):
    notice: MoveNotice = field(kw_only=True)
    received_at: datetime = field(kw_only=True)

    @property
    def order(self) -> str:
        # The table lists them by <received_at>#<notice_id>, as strings.
        return f"{self.received_at.isoformat()}#{self.notice.notice_id}"


class FakeMoveNoticeStore:
    def __init__(self, index: FakeIndex | None = None) -> None:
        self.index = index if index is not None else FakeIndex()
        self._notices: dict[str, _Received] = {}

    def record(self, notice: MoveNotice, received_at: datetime, audit: AuditEntry) -> bool:
        if notice.notice_id in self._notices:
            return False
        self._notices[notice.notice_id] = _Received(notice=notice, received_at=received_at)
        self.index.audit.append(audit)
        return True

    def recent(self, limit: int) -> list[ReceivedMoveNotice]:
        newest_first = sorted(self._notices.values(), key=lambda r: r.order, reverse=True)
        return [ReceivedMoveNotice(r.notice, r.received_at, r.state) for r in newest_first[:limit]]

    def claim(self, notice: MoveNotice, token: str) -> NotificationState | None:
        received = self._notices.get(notice.notice_id)
        return None if received is None else received.claim(token)

    def release(self, notice: MoveNotice, token: str) -> None:
        received = self._notices.get(notice.notice_id)
        if received is not None:
            received.release(token)

    def mark_undeliverable(self, notice: MoveNotice, token: str) -> bool:
        received = self._notices.get(notice.notice_id)
        return received is not None and received.finish(NotificationState.UNDELIVERABLE, token)

    def mark_sent(self, notice: MoveNotice, token: str, message_id: str, now: datetime) -> bool:
        received = self._notices.get(notice.notice_id)
        return received is not None and received.finish(NotificationState.SENT, token)
