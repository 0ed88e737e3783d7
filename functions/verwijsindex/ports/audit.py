"""The audit log as the rules use it: entries appended, never changed, and read back one
subject's or one actor's trail at a time, newest first (adapters/dynamo/audit_log.py).

An entry that belongs to a change is handed to the store of that change instead, which writes
both together or neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry, AuditSubject


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_cursor: str | None  # opaque; honoured only for the same subject or actor


class AuditLog(Protocol):
    def record(self, entry: AuditEntry) -> None:
        """Written once: the same entry id again is refused with Conflict and the first one stays."""
        ...

    def record_many(self, entries: Sequence[AuditEntry]) -> None:
        """Entries that belong to no single change (what a page of a list showed)."""
        ...

    def for_subject(self, subject: AuditSubject, limit: int, cursor: str | None = None) -> AuditPage:
        """At most `limit` entries of a subject's trail (a youth, an organisation), newest first."""
        ...

    def for_actor(self, actor: str, limit: int, cursor: str | None = None) -> AuditPage:
        """At most `limit` entries of what an actor (user or case system) did, newest first."""
        ...
