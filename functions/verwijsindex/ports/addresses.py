"""Undeliverable addresses: no e-mail goes to an address that bounced for good or complained
(logic/outgoing_mail.py, logic/email_events.py, logic/delivery_problems.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry


@dataclass(frozen=True)
class UndeliverableAddress:
    email: str
    reason: str  # "bounce" or "complaint"
    since: datetime


class AddressStore(Protocol):
    def mark(self, email: str, reason: str, at: datetime, audit: AuditEntry | None = None) -> bool:
        """Records the address as undeliverable (with its audit entry); False when it already was."""
        ...

    def hold_back(self, email: str, kind: str, at: datetime) -> bool:
        """Counts one e-mail held back when the address is undeliverable; False when it is deliverable."""
        ...

    def undeliverable_among(self, emails: Iterable[str]) -> dict[str, UndeliverableAddress]: ...
