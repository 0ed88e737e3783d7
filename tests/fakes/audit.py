"""The audit log in memory: the same port as the audit table (ports/audit.py), for rules tested
without moto. The contract tests in tests/ports/test_audit_contract.py hold both to the same cases."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tests.fakes.cursors import seal, unseal
from verwijsindex.domain.audit import AuditEntry, AuditSubject
from verwijsindex.domain.errors import Conflict
from verwijsindex.ports.audit import AuditPage


class FakeAuditLog:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> None:
        if any(e.subject == entry.subject and e.at == entry.at and e.entry_id == entry.entry_id for e in self.entries):
            raise Conflict("this audit entry is recorded already")  # as the table's condition on its key
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
        start = unseal(cursor, scope, int) if cursor else 0
        page = newest_first[start : start + limit]
        # As a query with a limit: a full page names where the next would start, even when none follows.
        full = len(page) == limit
        return AuditPage(entries=page, next_cursor=seal(start + limit, scope) if full else None)
