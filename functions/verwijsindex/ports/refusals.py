"""Refused placements per caller per day: the count that stops a caller probing BSNs."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry


class RefusalStore(Protocol):
    def count(self, actor: str, day: date) -> int: ...

    def record(self, actor: str, day: date, entry: AuditEntry) -> None:
        """One more refusal for the caller on that day, and its audit entry, together."""
        ...
