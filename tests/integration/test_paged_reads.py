"""Pages are full unless they are the last, and reads stay at their floor (counted requests).

Request counts are outcomes (what DynamoDB is asked), not timings: they come from the meter
on the services' client.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import NAMES, NOW, OPERATOR, PRO_A, Invoke, _invoker
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.adapters.dynamo.metering import DynamoMeter
from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.rights import RequestedBy, RightsKind, RightsRequest, RightsStatus

pytestmark = pytest.mark.usefixtures("region")


@pytest.fixture
def meter(services: wiring.Services) -> Iterator[DynamoMeter]:
    meter = DynamoMeter()
    meter.attach(services.dynamodb)
    yield meter
    meter.detach(services.dynamodb)


@pytest.fixture
def rights_api(services: wiring.Services) -> Invoke:
    from rights_request.handler import lambda_handler

    return _invoker(lambda_handler)


def _seed_requests(services: wiring.Services, count: int) -> dict[str, RightsStatus]:
    """`count` requests, deadlines a day apart; only every fifth one is still open."""
    statuses: dict[str, RightsStatus] = {}
    for i in range(count):
        status = RightsStatus.OPEN if i % 5 == 0 else RightsStatus.GRANTED
        request = RightsRequest(
            request_id=f"r{i:03d}",
            kind=RightsKind.INZAGE,
            youth_key=f"youth-{i}",
            requested_by=RequestedBy.YOUTH,
            received_on=date(2026, 1, 1) + timedelta(days=i),
            deadline=date(2026, 1, 29) + timedelta(days=i),
            status=status,
            created_at=datetime(2026, 1, 1, tzinfo=NOW.tzinfo),
            created_by="operator-1",
        )
        services.rights_store.create(request, _received(request.request_id))
        statuses[request.request_id] = status
    return statuses


def _received(request_id: str) -> AuditEntry:
    return AuditEntry(
        entry_id=f"seed-{request_id}",
        at=NOW,
        actor="operator-1",
        action=AuditAction.RIGHTS_REQUEST_RECEIVED,
        subject=AuditSubject.youth(f"youth-of-{request_id}"),
        target=request_id,
    )


def test_a_status_filter_never_gives_short_pages(rights_api: Invoke, services: wiring.Services) -> None:
    statuses = _seed_requests(services, 40)
    open_ids = sorted(r for r, s in statuses.items() if s is RightsStatus.OPEN)  # 8 of 40
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        query = {"status": "open", "limit": "3", **({"cursor": cursor} if cursor else {})}
        answer = rights_api("GET", "/rights-requests", claims=OPERATOR, query=query)
        assert answer.status == 200, answer.text
        pages.append([item["request_id"] for item in answer.json["items"]])
        cursor = answer.json["next_cursor"]
        if not cursor:
            break
    assert [len(page) for page in pages[:-1]] == [3, 3]
    assert [request_id for page in pages for request_id in page] == open_ids
    # Overdue (open, deadline before today) is a key condition as well: one full page.
    overdue = rights_api("GET", "/rights-requests", claims=OPERATOR, query={"overdue": "true", "limit": "8"})
    assert [item["request_id"] for item in overdue.json["items"]] == open_ids


def test_a_decided_request_leaves_the_open_list(rights_api: Invoke, services: wiring.Services) -> None:
    _seed_requests(services, 1)
    listed = rights_api("GET", "/rights-requests", claims=OPERATOR, query={"status": "open"}).json["items"]
    assert [item["request_id"] for item in listed] == ["r000"]
    refused = rights_api(
        "POST", "/rights-requests/r000/decision", claims=OPERATOR, body={"outcome": "refused", "reason": "test"}
    )
    assert refused.status == 200, refused.text
    assert rights_api("GET", "/rights-requests", claims=OPERATOR, query={"status": "open"}).json["items"] == []
    refused_list = rights_api("GET", "/rights-requests", claims=OPERATOR, query={"status": "refused"}).json["items"]
    assert [item["request_id"] for item in refused_list] == ["r000"]


def test_listing_a_page_writes_its_audit_entries_in_batches(
    signals_api: Invoke, persons: FakePersonRegistry, services: wiring.Services, meter: DynamoMeter
) -> None:
    placed = set()
    bsns = sorted({valid_bsn(f"35{i * 10:06d}") for i in range(26)})
    assert len(bsns) == 26
    for i, bsn in enumerate(bsns):
        persons.add(youth(bsn, date(2015, 1, 1)))
        answer = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": bsn, "client_reference": f"R-{i}"})
        assert answer.status == 201, answer.text
        placed.add(answer.json["signal_id"])
    meter.reset()
    page = signals_api("GET", "/signals", claims=PRO_A, query={"limit": "26"})
    assert page.status == 200, page.text
    reading = meter.reading()
    # The caller's organisation, one Query of the page, and 26 audit entries in 2 batches (25 + 1).
    assert reading.requests_by_operation["BatchWriteItem"] == 2
    assert reading.requests_by_operation["PutItem"] == 0
    assert reading.requests <= 4, reading.requests_by_operation
    listed = [e for e in all_items(services.dynamodb, NAMES.audit) if e["action"] == "signals.listed"]
    assert {e["target"] for e in listed} == placed
    assert len({e["PK"] for e in listed}) == 26  # one entry in each youth's own trail
