"""The audit log port: the same cases against the in-memory fake and the audit table on moto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.audit import FakeAuditLog
from verwijsindex import wiring
from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.errors import Conflict, Unprocessable
from verwijsindex.ports.audit import AuditLog

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
YOUTH = AuditSubject.youth("youth-key-1")
OTHER_YOUTH = AuditSubject.youth("youth-key-2")


@pytest.fixture(params=["fake", "dynamodb"])
def audit(request: pytest.FixtureRequest) -> AuditLog:
    if request.param == "fake":
        return FakeAuditLog()
    services: wiring.Services = request.getfixturevalue("services")
    return services.audit


def entry(n: int, subject: AuditSubject = YOUTH, actor: str = "sub-a", **values: str) -> AuditEntry:
    return AuditEntry(
        entry_id=f"e{n:04d}",
        at=START + timedelta(minutes=n),
        actor=actor,
        action=AuditAction.SIGNAL_READ,
        subject=subject,
        **values,
    )


def read_all(audit: AuditLog, subject: AuditSubject, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = audit.for_subject(subject, limit, cursor)
        pages.append([e.entry_id for e in page.entries])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_an_entry_reads_back_as_it_was_recorded(audit: AuditLog) -> None:
    recorded = [
        entry(1, YOUTH, actor_org="org-a", target="signal-1", detail="3 matches"),
        entry(2, AuditSubject.organisation("org-a"), actor="operator-1", target="sub-b"),
        entry(3, AuditSubject.actor("sub-a"), actor="operator-1"),
        entry(4, AuditSubject.move_notice("notice-1"), actor="national-link"),
        entry(5, AuditSubject.address("Piet@Example.org"), actor="email-events"),
    ]
    for e in recorded:
        audit.record(e)
    for e in recorded:
        assert audit.for_subject(e.subject, 10).entries == [e]


def test_a_subjects_trail_holds_only_its_own_entries_newest_first(audit: AuditLog) -> None:
    audit.record_many([entry(n, YOUTH if n % 2 else OTHER_YOUTH) for n in range(10)])
    page = audit.for_subject(YOUTH, 100)
    assert [e.entry_id for e in page.entries] == ["e0009", "e0007", "e0005", "e0003", "e0001"]
    assert all(e.subject == YOUTH for e in page.entries)


def test_the_cursor_pages_through_the_whole_trail_once_each(audit: AuditLog) -> None:
    # More than one batch write of 25, and pages that do not divide the trail evenly.
    audit.record_many([entry(n) for n in range(33)])
    pages = read_all(audit, YOUTH, 10)
    assert [len(p) for p in pages[:4]] == [10, 10, 10, 3]
    assert all(p == [] for p in pages[4:])
    seen = [entry_id for p in pages for entry_id in p]
    assert seen == [f"e{n:04d}" for n in reversed(range(33))]


def test_the_limit_bounds_a_page(audit: AuditLog) -> None:
    audit.record_many([entry(n) for n in range(5)])
    page = audit.for_subject(YOUTH, 2)
    assert [e.entry_id for e in page.entries] == ["e0004", "e0003"]
    assert page.next_cursor is not None


def test_an_actors_entries_across_subjects_newest_first(audit: AuditLog) -> None:
    audit.record_many(
        [entry(n, YOUTH if n % 2 else OTHER_YOUTH, actor="sub-a" if n < 6 else "sub-b") for n in range(9)]
    )
    page = audit.for_actor("sub-a", 100)
    assert [e.entry_id for e in page.entries] == ["e0005", "e0004", "e0003", "e0002", "e0001", "e0000"]
    first = audit.for_actor("sub-b", 2)
    rest = audit.for_actor("sub-b", 2, first.next_cursor)
    assert [e.entry_id for e in first.entries + rest.entries] == ["e0008", "e0007", "e0006"]


def test_a_cursor_is_honoured_only_for_the_trail_it_came_from(audit: AuditLog) -> None:
    audit.record_many([entry(n, YOUTH if n % 2 else OTHER_YOUTH) for n in range(6)])
    cursor = audit.for_subject(YOUTH, 1).next_cursor
    assert cursor is not None
    with pytest.raises(Unprocessable):
        audit.for_subject(OTHER_YOUTH, 1, cursor)
    with pytest.raises(Unprocessable):
        audit.for_actor("sub-a", 1, cursor)
    with pytest.raises(Unprocessable):
        audit.for_subject(YOUTH, 1, "not-a-cursor")


def test_an_unknown_subject_has_an_empty_trail(audit: AuditLog) -> None:
    page = audit.for_subject(AuditSubject.youth("nobody"), 10)
    assert page.entries == [] and page.next_cursor is None


def test_an_entry_is_written_once_and_never_changed(audit: AuditLog) -> None:
    first = entry(1, detail="first")
    audit.record(first)
    with pytest.raises(Conflict):
        audit.record(first.model_copy(update={"detail": "rewritten"}))
    assert audit.for_subject(YOUTH, 10).entries == [first]
