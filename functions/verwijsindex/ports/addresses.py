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
        """Records the address as undeliverable, with its audit entry in the same transaction; False when it already was
        (a repeated SES event: no second entry)."""
        ...

    def hold_back(self, email: str, kind: str, at: datetime) -> bool:
        """Counts one e-mail of `kind` not sent to `email` when the address is undeliverable, and puts the entry on the
        operator's list of stuck work (since the first e-mail held back). False when the address is deliverable (nothing
        written)."""
        ...

    def undeliverable_among(self, emails: Iterable[str]) -> dict[str, UndeliverableAddress]:
        """Which of these addresses are marked (the operator's list)."""
        ...
