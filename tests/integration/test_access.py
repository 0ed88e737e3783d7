"""Access that holds: the registry is checked on every route before anything is parsed, a suspended
organisation only winds down its own signals, every refusal reads the same, case systems' contact
data is clean, and an idempotent replay tells the signal's current state."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infra.local.events import machine_claims, user_claims
from tests.conftest import BRP, CASE_SYSTEM_A, NAMES, OPERATOR, PRO_A, PRO_B, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.errors import FORBIDDEN_DETAIL

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("33000001")
INTRUDER = user_claims("intruder", "org-a", ["professional"])
CONTACT = {"name": "Dirk Dekker", "email": "dirk@org-a.example.org", "phone": "050-1234567"}


@pytest.fixture(autouse=True)
def known_youth(persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2015, 5, 5)))


@pytest.fixture
def matched(signals_api: Invoke, match_stream: MatchStream) -> dict[str, str]:
    """Signals of org-a and org-b on Y, matched; returns their ids and the match id."""
    ids = {
        name: signals_api("POST", "/signals", claims=claims, body={"bsn": Y, "client_reference": name}).json[
            "signal_id"
        ]
        for name, claims in (("a", PRO_A), ("b", PRO_B))
    }
    match_stream.drain()
    [match] = signals_api("GET", f"/signals/{ids['a']}/matches", claims=PRO_A).json["items"]
    return {**ids, "match": match["match_id"]}


def routes(matched: dict[str, str]) -> list[tuple[str, str, Any]]:
    a, match = matched["a"], matched["match"]
    return [
        ("GET", "/signals", None),
        ("GET", f"/signals/{a}", None),
        ("GET", f"/signals/{a}/matches", None),
        ("GET", f"/signals/{a}/history", None),
        ("POST", f"/matches/{match}/coordinator", {"signal_id": a}),
        ("POST", f"/matches/{match}/coordinated", None),
        ("POST", f"/signals/{a}/close", {"reason": "ended"}),
        ("POST", f"/signals/{a}/close", {"reason": "unjustified"}),
        ("POST", "/signals", {"bsn": Y, "client_reference": "x"}),
    ]


def test_an_unregistered_person_with_a_real_org_id_reaches_nothing(
    signals_api: Invoke, matched: dict[str, str], dynamodb: Any
) -> None:
    before = all_items(dynamodb, NAMES.main)
    audit_before = len(all_items(dynamodb, NAMES.audit))
    for method, path, body in routes(matched):
        response = signals_api(method, path, claims=INTRUDER, body=body)
        assert response.status == 403, (method, path, response.text)
        assert response.json["detail"] == FORBIDDEN_DETAIL
        assert "Dirk" not in response.text and "sub-b" not in response.text
    assert all_items(dynamodb, NAMES.main) == before  # nothing closed, destroyed or coordinated
    assert len(all_items(dynamodb, NAMES.audit)) == audit_before


def test_a_suspended_organisation_may_only_see_and_close_its_own_signals(
    signals_api: Invoke, registry_api: Invoke, matched: dict[str, str]
) -> None:
    assert registry_api("POST", "/organisations/org-a/suspend", claims=OPERATOR).status == 200
    a, match = matched["a"], matched["match"]
    for claims in (PRO_A, CASE_SYSTEM_A):
        assert signals_api("GET", "/signals", claims=claims).status == 200
        assert signals_api("GET", f"/signals/{a}", claims=claims).status == 200
        refused = [
            signals_api("GET", f"/signals/{a}/matches", claims=claims),
            signals_api("GET", f"/signals/{a}/history", claims=claims),
            signals_api("POST", f"/matches/{match}/coordinator", claims=claims, body={"signal_id": a}),
            signals_api("POST", f"/matches/{match}/coordinated", claims=claims),
            signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y, "client_reference": "again"}),
        ]
        assert [r.status for r in refused] == [403] * 5
    closed = signals_api("POST", f"/signals/{a}/close", claims=PRO_A, body={"reason": "ended"})
    assert closed.json == {"signal_id": a, "status": "closed"}
    # The other party is not held up by the suspension.
    assert signals_api("POST", f"/matches/{match}/coordinated", claims=PRO_B).status == 200


@pytest.mark.parametrize(
    ("api", "path", "claims"),
    [
        ("brp", "/brp/notifications", PRO_A),
        ("brp", "/brp/notifications", OPERATOR),
        ("signals", "/signals", INTRUDER),
        ("signals", "/signals", OPERATOR),
        ("signals", "/signals", BRP),
        ("signals", "/signals/x/close", INTRUDER),
        ("signals", "/matches/x/coordinator", INTRUDER),
    ],
)
def test_the_caller_is_refused_before_the_body_is_read(
    request: pytest.FixtureRequest, api: str, path: str, claims: dict[str, str]
) -> None:
    invoke: Invoke = request.getfixturevalue(f"{api}_api")
    response = invoke("POST", path, claims=claims, body={"nonsense": True, "bsn": "123"})
    assert response.status == 403, response.text
    assert "errors" not in response.json  # no list of the fields the route expects


def test_every_refusal_reads_the_same(
    signals_api: Invoke, registry_api: Invoke, brp_api: Invoke, rights_api: Invoke, matched: dict[str, str]
) -> None:
    registry_api("POST", "/organisations", claims=OPERATOR, body={"org_id": "org-s", "name": "S"})
    registry_api(
        "POST",
        "/organisations/org-s/professionals",
        claims=OPERATOR,
        body={"user_id": "sub-s", "name": "Sara", "email": "s@org-s.example.org", "phone": "0201234567"},
    )
    registry_api("POST", "/organisations/org-s/suspend", claims=OPERATOR)
    refusals = [
        signals_api("GET", "/signals", claims=user_claims("sub-a", "org-nowhere", ["professional"])),  # no such org
        signals_api("GET", "/signals", claims=INTRUDER),  # no such professional
        signals_api("GET", "/signals", claims=user_claims("sub-a", "org-a", [])),  # no group
        signals_api("GET", "/signals", claims=machine_claims("case-system-a", ["other/scope"])),  # wrong scope
        signals_api("GET", "/signals", claims=machine_claims("unknown-client", ["verwijsindex/signals"])),
        signals_api("POST", "/signals", claims=user_claims("sub-s", "org-s", ["professional"]), body={}),  # suspended
        signals_api("GET", f"/signals/{matched['a']}/matches", claims=OPERATOR),
        signals_api("GET", "/signals", claims=None),  # no authenticated caller
        registry_api("GET", "/organisations", claims=PRO_A),
        rights_api("GET", "/rights-requests", claims=PRO_A),
        brp_api("POST", "/brp/notifications", claims=CASE_SYSTEM_A, body={}),
    ]
    assert {r.status for r in refusals} == {403}
    assert len({r.text for r in refusals}) == 1, {r.text for r in refusals}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Dirk\u202eDekker"),  # right-to-left override
        ("name", "Dirk\u200bDekker"),  # zero-width space
        ("name", "Dirk\x00"),
        ("name", "Dirk\r\nBcc: x@example.org"),
        ("name", "Dirk\x1b[31m"),
        ("email", "dirk@org-a"),
        ("email", "dirk\n@org-a.example.org"),
        ("email", "dirk@org-a.example.org\r\nBcc: x@example.org"),
        ("email", "Dirk <dirk@org-a.example.org>"),
        ("phone", "12345"),
        ("phone", "+31 6 1234 567"),  # a Dutch number has ten digits
        ("phone", "020\u202e1234567"),
    ],
)
def test_case_system_contact_data_is_printable_and_well_formed(
    signals_api: Invoke, dynamodb: Any, field: str, value: str
) -> None:
    body = {"bsn": Y, "client_reference": "CS-1", "professional": {**CONTACT, field: value}}
    response = signals_api("POST", "/signals", claims=CASE_SYSTEM_A, body=body)
    assert response.status == 422, response.text
    assert response.json["errors"][0]["field"] == f"professional.{field}"
    assert value not in response.text
    assert [i for i in all_items(dynamodb, NAMES.main) if i["entity"] == "signal"] == []


def test_contact_data_is_normalised(signals_api: Invoke, dynamodb: Any) -> None:
    body = {
        "bsn": Y,
        "client_reference": "CS-1",
        "professional": {"name": "  Dirk Dekker ", "email": "Dirk@Org-A.Example.ORG", "phone": "0031 (50) 123-4567"},
    }
    assert signals_api("POST", "/signals", claims=CASE_SYSTEM_A, body=body).status == 201
    [signal] = [i for i in all_items(dynamodb, NAMES.main) if i["entity"] == "signal"]
    assert signal["professional"] == {"name": "Dirk Dekker", "email": "Dirk@org-a.example.org", "phone": "+31501234567"}


def test_an_idempotent_replay_answers_the_current_state(signals_api: Invoke) -> None:
    body = {"bsn": Y, "client_reference": "CS-1", "professional": CONTACT}
    headers = {"Idempotency-Key": "sync-1"}
    first = signals_api("POST", "/signals", claims=CASE_SYSTEM_A, body=body, headers=headers)
    assert (first.status, first.json["status"]) == (201, "active")
    signal_id = first.json["signal_id"]
    signals_api("POST", f"/signals/{signal_id}/close", claims=CASE_SYSTEM_A, body={"reason": "ended"})
    closed = signals_api("POST", "/signals", claims=CASE_SYSTEM_A, body=body, headers=headers)
    assert (closed.json["signal_id"], closed.json["status"]) == (signal_id, "closed")
    signals_api("POST", f"/signals/{signal_id}/close", claims=CASE_SYSTEM_A, body={"reason": "unjustified"})
    gone = signals_api("POST", "/signals", claims=CASE_SYSTEM_A, body=body, headers=headers)
    assert gone.status == 404, gone.text
    assert signal_id not in gone.text
