"""Reading and closing signals: own organisation only, every read audited."""

from datetime import date
from typing import Any

import pytest

from tests.conftest import CASE_SYSTEM_A, NAMES, PRO_A, PRO_A2, PRO_B, Invoke
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region")

BSNS = [valid_bsn(f"3000000{i}") for i in range(3)]


@pytest.fixture
def placed(signals_api: Invoke, persons: FakePersonRegistry) -> list[str]:
    """Three signals of org-a (two youths by Anna, one by Arend) and one of org-b."""
    for bsn in BSNS:
        persons.add(youth(bsn, date(2015, 3, 3)))
    ids = [
        signals_api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": f"R{n}"}).json["signal_id"]
        for n, (claims, bsn) in enumerate([(PRO_A, BSNS[0]), (PRO_A, BSNS[1]), (PRO_A2, BSNS[2]), (PRO_B, BSNS[0])])
    ]
    return ids


def audit_actions(dynamodb: Any, action: str) -> list[dict[str, Any]]:
    return [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == action]


def test_get_returns_the_signal_and_audits_the_read(signals_api: Invoke, placed: list[str], dynamodb: Any) -> None:
    response = signals_api("GET", f"/signals/{placed[0]}", claims=PRO_A2)  # a colleague may look
    assert response.status == 200
    view = response.json
    assert view["signal_id"] == placed[0]
    assert view["client_reference"] == "R0"
    assert view["professional"]["name"] == "Anna Aalders"
    assert "bsn" not in view and "youth_key" not in view
    [read] = audit_actions(dynamodb, "signal.read")
    assert (read["actor"], read["target"]) == ("sub-a2", placed[0])


def test_listing_pages_through_the_organisations_signals(signals_api: Invoke, placed: list[str], dynamodb: Any) -> None:
    seen: list[str] = []
    cursor: str | None = None
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = signals_api("GET", "/signals", claims=PRO_A, query=query).json
        assert len(page["items"]) <= 2
        seen += [item["signal_id"] for item in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert sorted(seen) == sorted(placed[:3])
    assert sorted(e["target"] for e in audit_actions(dynamodb, "signals.listed")) == sorted(placed[:3])
    # A case system of the same organisation sees the same list.
    assert len(signals_api("GET", "/signals", claims=CASE_SYSTEM_A).json["items"]) == 3


def test_a_cursor_of_another_organisation_is_refused(signals_api: Invoke, placed: list[str]) -> None:
    cursor = signals_api("GET", "/signals", claims=PRO_A, query={"limit": "1"}).json["next_cursor"]
    response = signals_api("GET", "/signals", claims=PRO_B, query={"cursor": cursor})
    assert response.status == 422
    assert response.json["errors"][0]["field"] == "cursor"
    assert signals_api("GET", "/signals", claims=PRO_A, query={"cursor": "garbage!"}).status == 422


@pytest.mark.parametrize(("query", "field"), [({"limit": "0"}, "limit"), ({"limit": "101"}, "limit")])
def test_page_size_is_bounded(signals_api: Invoke, query: dict[str, str], field: str) -> None:
    response = signals_api("GET", "/signals", claims=PRO_A, query=query)
    assert response.status == 422
    assert response.json["errors"][0]["field"] == field


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("GET", "", None), ("POST", "/close", {"reason": "ended"}), ("POST", "/close", {"reason": "unjustified"})],
)
def test_another_organisation_gets_404_on_every_route(
    signals_api: Invoke, placed: list[str], dynamodb: Any, method: str, suffix: str, body: Any
) -> None:
    before = all_items(dynamodb, NAMES.main)
    foreign = signals_api(method, f"/signals/{placed[0]}{suffix}", claims=PRO_B, body=body)
    missing = signals_api(method, f"/signals/00000000-0000-0000-0000-000000000000{suffix}", claims=PRO_B, body=body)
    assert foreign.status == missing.status == 404
    assert foreign.json == missing.json  # nothing tells "exists elsewhere" from "does not exist"
    assert all_items(dynamodb, NAMES.main) == before
    assert audit_actions(dynamodb, "signal.read") == []


def test_closing_keeps_history_and_lets_the_professional_signal_again(
    signals_api: Invoke, placed: list[str], dynamodb: Any
) -> None:
    response = signals_api("POST", f"/signals/{placed[0]}/close", claims=PRO_A, body={"reason": "ended"})
    assert response.json == {"signal_id": placed[0], "status": "closed"}
    [closed] = [
        i for i in all_items(dynamodb, NAMES.main) if i.get("signal_id") == placed[0] and i["entity"] == "signal"
    ]
    assert (closed["status"], closed["closed_on"], closed["close_reason"]) == ("closed", "2026-11-23", "ended")
    assert closed["GSI2PK"] == "DUE#2031-11-23"  # destroyed 5 years after closing
    [entry] = audit_actions(dynamodb, "signal.closed")
    assert entry["target"] == placed[0]
    # Closing twice changes nothing; a new signal (renewal) is a new active signal.
    assert signals_api("POST", f"/signals/{placed[0]}/close", claims=PRO_A, body={"reason": "ended"}).status == 200
    assert len(audit_actions(dynamodb, "signal.closed")) == 1
    again = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": BSNS[0], "client_reference": "R0"})
    assert again.status == 201
    assert again.json["signal_id"] != placed[0]


def test_withdrawing_as_unjustified_destroys_without_history(
    signals_api: Invoke, placed: list[str], dynamodb: Any
) -> None:
    response = signals_api("POST", f"/signals/{placed[1]}/close", claims=PRO_A, body={"reason": "unjustified"})
    assert response.json == {"signal_id": placed[1], "status": "destroyed"}
    remaining = all_items(dynamodb, NAMES.main)
    assert not [i for i in remaining if i.get("signal_id") == placed[1]]
    assert signals_api("GET", f"/signals/{placed[1]}", claims=PRO_A).status == 404
    [entry] = audit_actions(dynamodb, "signal.destroyed")
    assert (entry["target"], entry["detail"]) == (placed[1], "withdrawn as unjustified")


@pytest.mark.parametrize("body", [{"reason": "because"}, {}, {"reason": "ended", "note": "x"}])
def test_closing_needs_a_known_reason(signals_api: Invoke, placed: list[str], body: dict[str, str]) -> None:
    response = signals_api("POST", f"/signals/{placed[0]}/close", claims=PRO_A, body=body)
    assert response.status == 422
    assert signals_api("GET", f"/signals/{placed[0]}", claims=PRO_A).json["status"] == "active"


def test_there_is_no_route_to_look_a_youth_up(signals_api: Invoke, placed: list[str]) -> None:
    for path, query in (("/signals", {"bsn": BSNS[0]}), (f"/youths/{BSNS[0]}", None), ("/search", {"q": "x"})):
        response = signals_api("GET", path, claims=PRO_A, query=query)
        assert BSNS[0] not in response.text
        if path == "/signals":
            # The unknown parameter is ignored: the list is the organisation's own, not a lookup.
            assert {i["signal_id"] for i in response.json["items"]} == set(placed[:3])
        else:
            assert response.status == 404


def test_withdrawing_an_old_closed_signal_keeps_the_guard_of_the_renewed_one(
    signals_api: Invoke, placed: list[str], dynamodb: Any
) -> None:
    signals_api("POST", f"/signals/{placed[0]}/close", claims=PRO_A, body={"reason": "ended"})
    renewed = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": BSNS[0], "client_reference": "R0"}).json
    signals_api("POST", f"/signals/{placed[0]}/close", claims=PRO_A, body={"reason": "unjustified"})
    guards = [
        i for i in all_items(dynamodb, NAMES.main) if i["entity"] == "guard" and i["signal_id"] == renewed["signal_id"]
    ]
    assert len(guards) == 1
    # Signalling again still returns the renewed signal instead of placing a duplicate.
    again = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": BSNS[0], "client_reference": "R0"})
    assert (again.status, again.json["signal_id"]) == (200, renewed["signal_id"])
