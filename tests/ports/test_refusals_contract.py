"""The refusal store's contract: the in-memory fake and the DynamoDB adapter answer these cases alike."""

from __future__ import annotations

from datetime import timedelta

from tests.ports.main_table import NOW, MainTable, entry
from verwijsindex.domain.audit import AuditAction

TODAY = NOW.date()


def test_refusals_are_counted_per_caller_per_day(table: MainTable) -> None:
    assert table.refusals.count("sub-a", TODAY) == 0
    for _ in range(3):
        table.refusals.record("sub-a", TODAY, entry("refused", action=AuditAction.SIGNAL_REFUSED))
    table.refusals.record("sub-b", TODAY, entry("refused", action=AuditAction.SIGNAL_REFUSED))
    assert table.refusals.count("sub-a", TODAY) == 3
    assert table.refusals.count("sub-b", TODAY) == 1
    assert table.refusals.count("sub-c", TODAY) == 0
    assert table.refusals.count("sub-a", TODAY + timedelta(days=1)) == 0  # a new day starts again
    assert table.refusals.count("sub-a", TODAY - timedelta(days=1)) == 0


def test_each_refusal_is_audited_with_its_count(table: MainTable) -> None:
    first = entry("refused", action=AuditAction.SIGNAL_REFUSED)
    second = entry("refused", at=NOW + timedelta(minutes=1), action=AuditAction.SIGNAL_REFUSED)
    table.refusals.record("sub-a", TODAY, first)
    table.refusals.record("sub-a", TODAY, second)
    assert table.audit.for_actor(first.actor, 10).entries == [second, first]
