"""The audit log in memory: the same port as the audit table (ports/audit.py), for rules tested
without moto. The contract tests in tests/ports/test_audit_contract.py hold both to the same cases."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence

from verwijsindex.domain.audit import AuditEntry, AuditSubject
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.ports.audit import AuditPage


class FakeAuditLog:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def record_many(self, entries: Sequence[AuditEntry]) -> None:
        for entry in entries:
            self.record(entry)

    def for_subject(self, subject: AuditSubject, limit: int, cursor: str | None = None) -> AuditPage:
        scope = f"subject:{subject.kind.value}:{subject.id}"
        # The table sorts a subject's trail by <at>#<entry_id>.
        return self._page(lambda e: e.subject == subject, lambda e: (e.at, e.entry_id), scope, limit, cursor)

    def for_actor(self, actor: str, limit: int, cursor: str | None = None) -> AuditPage:
        return self._page(lambda e: e.actor == actor, lambda e: (e.at, e.entry_id), f"actor:{actor}", limit, cursor)

    def trail(self, subject: AuditSubject) -> list[AuditEntry]:
        """A subject's whole trail, oldest first: what a test asserts on."""
        return sorted((e for e in self.entries if e.subject == subject), key=lambda e: (e.at, e.entry_id))

    def _page(
        self,
        chosen: Callable[[AuditEntry], bool],
        order: Callable[[AuditEntry], tuple[object, ...]],
        scope: str,
        limit: int,
        cursor: str | None,
    ) -> AuditPage:
        newest_first = sorted((e for e in self.entries if chosen(e)), key=order, reverse=True)
        start = _open(cursor, scope) if cursor else 0
        page = newest_first[start : start + limit]
        # As a query with a limit: a full page names where the next would start, even when none follows.
        full = len(page) == limit
        return AuditPage(entries=page, next_cursor=_seal(start + limit, scope) if full else None)


def _seal(position: int, scope: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"at": position, "scope": scope}).encode()).decode()


def _open(cursor: str, scope: str) -> int:
    """A cursor is honoured only for the trail it was handed out for, as the table's sealed cursors."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        position, sealed_for = int(values["at"]), str(values["scope"])
    except (ValueError, KeyError, TypeError) as error:
        raise Unprocessable("cursor is not valid", field="cursor") from error
    if sealed_for != scope:
        raise Unprocessable("cursor is not valid", field="cursor")
    return position
