"""The audit trail, queryable by the operator per youth (itself audited) and per actor."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import NAMES, OPERATOR, PRO_A, PRO_B, Invoke, _invoker
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("34000001")
OTHER = valid_bsn("34000002")


@pytest.fixture
def rights_api(services: wiring.Services) -> Invoke:
    from rights_request.handler import lambda_handler

    return _invoker(lambda_handler)


@pytest.fixture
def placed(persons: FakePersonRegistry, signals_api: Invoke) -> dict[str, str]:
    persons.add(youth(Y, date(2012, 1, 1), name="Yvo Privé"))
    persons.add(youth(OTHER, date(2013, 1, 1), name="Otto Anders"))
    ids = {}
    for name, claims, bsn in (("a", PRO_A, Y), ("b", PRO_B, Y), ("other", PRO_A, OTHER)):
        response = signals_api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": f"R-{name}"})
        assert response.status == 201, response.text
        ids[name] = response.json["signal_id"]
    return ids


def test_the_operator_reads_a_youths_trail_and_that_look_is_itself_in_it(
    rights_api: Invoke, placed: dict[str, str], services: wiring.Services
) -> None:
    trail = rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": Y})
    assert trail.status == 200, trail.text
    items = trail.json["items"]
    placed_entries = [e for e in items if e["action"] == "signal.placed"]
    assert {(e["actor"], e["actor_org"], e["target"]) for e in placed_entries} == {
        ("sub-a", "org-a", placed["a"]),
        ("sub-b", "org-b", placed["b"]),
    }
    assert all(e["at"].startswith("2026-11-23") for e in items)
    # The clock is fixed, so entries share one moment: look for it rather than at the end.
    looks = [e for e in items if e["action"] == "audit.read"]
    assert [(e["actor"], e["detail"]) for e in looks] == [("operator-1", "by youth")]
    subject = f"YOUTH#{services.pseudonyms.regional(Y)}"
    assert {e["subject"] for e in items} == {subject}
    # Nothing about the other youth, and never a BSN in clear, neither in the answer nor stored.
    assert placed["other"] not in trail.text
    assert Y not in trail.text
    assert Y not in json.dumps(all_items(services.dynamodb, NAMES.audit))
    # Asking again shows both looks.
    again = rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": Y}).json["items"]
    assert [e["action"] for e in again].count("audit.read") == 2


def test_the_trail_of_an_actor(rights_api: Invoke, placed: dict[str, str]) -> None:
    trail = rights_api("GET", "/audit", claims=OPERATOR, query={"actor": "sub-a"})
    assert trail.status == 200, trail.text
    items = trail.json["items"]
    assert {e["target"] for e in items if e["action"] == "signal.placed"} == {placed["a"], placed["other"]}
    assert all(e["actor"] == "sub-a" for e in items)
    operator = rights_api("GET", "/audit", claims=OPERATOR, query={"actor": "operator-1"}).json["items"]
    # The registry set-up, the look at sub-a's trail and this very look are the operator's own entries.
    reads = [e for e in operator if e["action"] == "audit.read"]
    assert {(e["subject"], e["target"]) for e in reads} == {
        ("ACTOR#sub-a", "sub-a"),
        ("ACTOR#operator-1", "operator-1"),
    }
    assert any(e["action"] == "organisation.created" for e in operator)


def test_exactly_one_of_bsn_or_actor_and_a_valid_bsn(rights_api: Invoke) -> None:
    assert rights_api("GET", "/audit", claims=OPERATOR).status == 422
    assert rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": Y, "actor": "sub-a"}).status == 422
    bad = rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": "123456789"})
    assert bad.status == 422 and "123456789" not in bad.text


def test_rights_steps_are_in_the_youths_trail(rights_api: Invoke, placed: dict[str, str]) -> None:
    created = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "inzage", "bsn": Y, "requested_by": "both", "received_on": "2026-11-20"},
    )
    assert created.status == 201, created.text
    request_id = created.json["request_id"]
    assert rights_api("GET", f"/rights-requests/{request_id}", claims=OPERATOR).status == 200
    granted = rights_api(
        "POST", f"/rights-requests/{request_id}/decision", claims=OPERATOR, body={"outcome": "granted", "bsn": Y}
    )
    assert granted.status == 200, granted.text
    items = rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": Y}).json["items"]
    steps = [e["action"] for e in items if e["target"] == request_id]
    assert sorted(steps) == sorted(["rights.received", "rights.read", "rights.granted", "rights.dossier_issued"])


def _busy_actor_entries(count: int, actor: str = "sub-busy") -> list[AuditEntry]:
    """`count` entries of one actor, one minute apart: entry i happened at minute i."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        AuditEntry(
            entry_id=f"e{i:05d}",
            at=start + timedelta(minutes=i),
            actor=actor,
            actor_org="org-a",
            action=AuditAction.SIGNAL_READ,
            subject=AuditSubject.youth(f"busy-{i % 7}"),
            target=f"signal-{i}",
        )
        for i in range(count)
    ]


def test_a_busy_actors_newest_entries_come_first_page_by_page(rights_api: Invoke, services: wiring.Services) -> None:
    services.audit.record_many(_busy_actor_entries(1_050))
    first = rights_api("GET", "/audit", claims=OPERATOR, query={"actor": "sub-busy", "limit": "1000"})
    assert first.status == 200, first.text
    targets = [e["target"] for e in first.json["items"]]
    # Newest first, exactly the limit: the 1,000 newest of 1,050, the very newest on top.
    assert targets == [f"signal-{i}" for i in range(1_049, 49, -1)]
    rest = rights_api(
        "GET",
        "/audit",
        claims=OPERATOR,
        query={"actor": "sub-busy", "limit": "1000", "cursor": first.json["next_cursor"]},
    )
    assert [e["target"] for e in rest.json["items"]] == [f"signal-{i}" for i in range(49, -1, -1)]
    assert rest.json["next_cursor"] is None


def test_a_youths_trail_is_bounded_by_the_limit_newest_first_with_a_cursor(
    rights_api: Invoke, placed: dict[str, str], services: wiring.Services
) -> None:
    subject = AuditSubject.youth(services.pseudonyms.regional(Y))
    services.audit.record_many(
        [e.model_copy(update={"subject": subject}) for e in _busy_actor_entries(30, actor="sub-reader")]
    )
    page = rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": Y, "limit": "10"})
    assert page.status == 200, page.text
    items = page.json["items"]
    # The look itself (at the fixed clock, 2026-11-23) is the newest; then the placements
    # (same moment), then the seeded reads from January, newest first.
    assert len(items) == 10
    ats = [e["at"] for e in items]
    assert ats == sorted(ats, reverse=True)
    assert items[0]["at"].startswith("2026-11-23")
    seen = [e["target"] for e in items]
    cursor = page.json["next_cursor"]
    while cursor:
        more = rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": Y, "limit": "10", "cursor": cursor}).json
        assert len(more["items"]) <= 10
        seen += [e["target"] for e in more["items"]]
        cursor = more["next_cursor"]
    assert [t for t in seen if t and t.startswith("signal-")] == [f"signal-{i}" for i in range(29, -1, -1)]
    # A cursor is honoured only for the trail it came from.
    other = rights_api("GET", "/audit", claims=OPERATOR, query={"bsn": OTHER, "cursor": page.json["next_cursor"]})
    assert other.status == 422 and "cursor" in other.text
