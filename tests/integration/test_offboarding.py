"""Offboarding: the operator lists, updates and deactivates professionals (the account disabled and
signed out in Cognito), hands their active signals to a colleague (the other parties e-mailed once
with the new contact), and sees the handovers that wait too long."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import boto3
import pytest

from infra.local.outbox import Mailbox
from tests.conftest import NAMES, OPERATOR, PRO_A, PRO_A2, PRO_B, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.accounts import CognitoAccounts
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock

pytestmark = pytest.mark.usefixtures("region")

Y, Z = valid_bsn("35000001"), valid_bsn("35000002")
MAIL_A, MAIL_A2, MAIL_B = "sub-a@org-a.example.org", "sub-a2@org-a.example.org", "sub-b@org-b.example.org"


@pytest.fixture(autouse=True)
def youths(persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2014, 2, 2)))
    persons.add(youth(Z, date(2012, 3, 3)))


@pytest.fixture
def user_pool(services: wiring.Services) -> tuple[Any, str]:
    """The region's Cognito user pool (moto) with the professionals' accounts, named by their sub."""
    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="verwijsindex-test")["UserPool"]["Id"]
    for sub in ("sub-a", "sub-a2", "sub-b"):
        cognito.admin_create_user(UserPoolId=pool, Username=sub)
    services.accounts = CognitoAccounts(cognito, pool)
    return cognito, pool


@pytest.fixture
def held(signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox) -> dict[str, str]:
    """Anna (org-a) signals Y and Z; Bram (org-b) signals Y: one client match on Y."""
    ids = {
        name: signals_api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": name}).json[
            "signal_id"
        ]
        for name, claims, bsn in (("a-y", PRO_A, Y), ("a-z", PRO_A, Z), ("b-y", PRO_B, Y))
    }
    match_stream.drain()
    return ids


def audit(dynamodb: Any, action: str) -> list[dict[str, Any]]:
    return [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == action]


def test_the_operator_lists_an_organisations_professionals(registry_api: Invoke) -> None:
    listed = registry_api("GET", "/organisations/org-a/professionals", claims=OPERATOR)
    assert listed.status == 200
    assert [(p["user_id"], p["status"]) for p in listed.json] == [("sub-a", "active"), ("sub-a2", "active")]
    assert registry_api("GET", "/organisations/ghost/professionals", claims=OPERATOR).status == 404


def test_registering_a_user_id_twice_is_refused(registry_api: Invoke) -> None:
    again = {"user_id": "sub-a", "name": "Iemand Anders", "email": "x@org-a.example.org", "phone": "0201234567"}
    response = registry_api("POST", "/organisations/org-a/professionals", claims=OPERATOR, body=again)
    assert response.status == 409
    [anna] = [
        p
        for p in registry_api("GET", "/organisations/org-a/professionals", claims=OPERATOR).json
        if p["user_id"] == "sub-a"
    ]
    assert anna["contact"]["name"] == "Anna Aalders"


def test_an_update_is_audited_with_old_and_new_values_and_reaches_the_signals(
    registry_api: Invoke,
    signals_api: Invoke,
    held: dict[str, str],
    match_stream: MatchStream,
    mailbox: Mailbox,
    dynamodb: Any,
) -> None:
    before = len(mailbox.sent)
    response = registry_api(
        "PATCH",
        "/organisations/org-a/professionals/sub-a",
        claims=OPERATOR,
        body={"name": "Anna Aalders-Bos", "phone": "06 1234 5678"},
    )
    assert response.status == 200, response.text
    assert response.json["contact"] == {"name": "Anna Aalders-Bos", "email": MAIL_A, "phone": "+31612345678"}
    details = sorted(e["detail"] for e in audit(dynamodb, "professional.updated"))
    assert details == ["name: Anna Aalders -> Anna Aalders-Bos", "phone: +31201234567 -> +31612345678"]
    signal = signals_api("GET", f"/signals/{held['a-y']}", claims=PRO_A).json
    assert signal["professional"]["name"] == "Anna Aalders-Bos"
    match_stream.drain()
    [mail] = mailbox.sent[before:]
    assert mail.to == (MAIL_B,)
    assert "Anna Aalders-Bos" in mail.text and "+31612345678" in mail.text
    bad = registry_api("PATCH", "/organisations/org-a/professionals/sub-a", claims=OPERATOR, body={"name": "A\u202eB"})
    assert (bad.status, bad.json["errors"][0]["field"]) == (422, "name")


def test_deactivation_disables_the_account_and_the_professional_reaches_nothing(
    registry_api: Invoke, signals_api: Invoke, held: dict[str, str], user_pool: tuple[Any, str], dynamodb: Any
) -> None:
    cognito, pool = user_pool
    response = registry_api("POST", "/organisations/org-a/professionals/sub-a/deactivate", claims=OPERATOR)
    assert response.status == 200, response.text
    body = response.json
    assert body["professional"]["status"] == "deactivated"
    assert sorted(body["active_signals"]) == sorted([held["a-y"], held["a-z"]])
    assert body["handover_due_on"] == "2026-12-07"  # 14 days, the region's default
    user = cognito.admin_get_user(UserPoolId=pool, Username="sub-a")
    assert user["Enabled"] is False
    assert cognito.admin_get_user(UserPoolId=pool, Username="sub-a2")["Enabled"] is True
    for method, path in (
        ("GET", "/signals"),
        ("GET", f"/signals/{held['a-y']}"),
        ("GET", f"/signals/{held['a-y']}/matches"),
    ):
        assert signals_api(method, path, claims=PRO_A).status == 403
    # The signals themselves stay active: the organisation is still involved.
    assert signals_api("GET", f"/signals/{held['a-y']}", claims=PRO_A2).json["status"] == "active"
    [entry] = audit(dynamodb, "professional.deactivated")
    assert (entry["actor"], entry["target"]) == ("operator-1", "sub-a")
    # Again: nothing changes, the account is disabled again (a failed first call is made good).
    assert registry_api("POST", "/organisations/org-a/professionals/sub-a/deactivate", claims=OPERATOR).status == 200
    assert len(audit(dynamodb, "professional.deactivated")) == 1


def test_unassigned_signals_are_listed_for_the_operator_when_overdue(
    registry_api: Invoke, held: dict[str, str], user_pool: tuple[Any, str], clock: FixedClock
) -> None:
    registry_api("POST", "/organisations/org-a/professionals/sub-a/deactivate", claims=OPERATOR)
    waiting = registry_api("GET", "/handovers", claims=OPERATOR).json["items"]
    assert [(h["org_id"], h["user_id"], h["overdue"]) for h in waiting] == [("org-a", "sub-a", False)]
    assert registry_api("GET", "/handovers", claims=OPERATOR, query={"overdue": "true"}).json["items"] == []
    clock.moment += timedelta(days=15)
    [late] = registry_api("GET", "/handovers", claims=OPERATOR, query={"overdue": "true"}).json["items"]
    assert sorted(late["signal_ids"]) == sorted([held["a-y"], held["a-z"]])
    assert late["due_on"] == "2026-12-07"


def test_reassignment_hands_the_signals_to_a_colleague_and_e_mails_the_other_party_once(
    registry_api: Invoke,
    signals_api: Invoke,
    held: dict[str, str],
    user_pool: tuple[Any, str],
    match_stream: MatchStream,
    mailbox: Mailbox,
    dynamodb: Any,
) -> None:
    registry_api("POST", "/organisations/org-a/professionals/sub-a/deactivate", claims=OPERATOR)
    before = len(mailbox.sent)
    response = registry_api(
        "POST", "/organisations/org-a/professionals/sub-a/reassign", claims=OPERATOR, body={"to_user_id": "sub-a2"}
    )
    assert response.status == 200, response.text
    assert sorted(response.json["moved"]) == sorted([held["a-y"], held["a-z"]])
    for key in ("a-y", "a-z"):
        signal = signals_api("GET", f"/signals/{held[key]}", claims=PRO_A2).json
        assert (signal["status"], signal["professional"]["email"]) == ("active", MAIL_A2)
    match_stream.drain()
    [mail] = mailbox.sent[before:]  # Bram, the only other party of a live match
    assert mail.to == (MAIL_B,)
    assert "Arend Abma" in mail.text and MAIL_A2 in mail.text and "b-y" in mail.text
    assert Y not in mail.everything
    match_stream.drain()
    assert len(mailbox.sent) == before + 1  # exactly once
    # Bram's view of the match names the new contact.
    [match] = signals_api("GET", f"/signals/{held['b-y']}/matches", claims=PRO_B).json["items"]
    assert match["other"]["professional"]["email"] == MAIL_A2
    assert registry_api("GET", "/handovers", claims=OPERATOR).json["items"] == []
    assert len(audit(dynamodb, "signal.reassigned")) == 2
    # Arend now holds the signal on Y: signalling Y again gives it back, never a second one.
    again = signals_api("POST", "/signals", claims=PRO_A2, body={"bsn": Y, "client_reference": "again"})
    assert (again.status, again.json["signal_id"]) == (200, held["a-y"])


def test_a_colleague_who_already_signals_the_youth_keeps_one_signal(
    registry_api: Invoke, signals_api: Invoke, held: dict[str, str], user_pool: tuple[Any, str]
) -> None:
    own = signals_api("POST", "/signals", claims=PRO_A2, body={"bsn": Y, "client_reference": "A2"}).json["signal_id"]
    response = registry_api(
        "POST", "/organisations/org-a/professionals/sub-a/reassign", claims=OPERATOR, body={"to_user_id": "sub-a2"}
    )
    assert response.json == {"moved": [held["a-z"]], "closed": [held["a-y"]]}
    assert signals_api("GET", f"/signals/{held['a-y']}", claims=PRO_A2).json["status"] == "closed"
    assert signals_api("GET", f"/signals/{own}", claims=PRO_A2).json["status"] == "active"


@pytest.mark.parametrize("to_user_id", ["sub-a", "sub-b", "nobody"])
def test_signals_go_only_to_another_active_colleague(
    registry_api: Invoke, held: dict[str, str], to_user_id: str, dynamodb: Any
) -> None:
    before = all_items(dynamodb, NAMES.main)
    response = registry_api(
        "POST", "/organisations/org-a/professionals/sub-a/reassign", claims=OPERATOR, body={"to_user_id": to_user_id}
    )
    assert (response.status, response.json["errors"][0]["field"]) == (422, "to_user_id")
    assert all_items(dynamodb, NAMES.main) == before


def test_a_new_e_mail_address_keeps_one_active_signal_per_youth(
    registry_api: Invoke, signals_api: Invoke, held: dict[str, str], dynamodb: Any
) -> None:
    new_mail = "anna.aalders@org-a.example.org"
    response = registry_api(
        "PATCH", "/organisations/org-a/professionals/sub-a", claims=OPERATOR, body={"email": new_mail}
    )
    assert response.status == 200, response.text
    [entry] = audit(dynamodb, "professional.updated")
    assert entry["detail"] == f"email: {MAIL_A} -> {new_mail}"
    assert signals_api("GET", f"/signals/{held['a-y']}", claims=PRO_A).json["professional"]["email"] == new_mail
    # The same person signalling Y again gets the signal they hold, never a second one.
    again = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y, "client_reference": "again"})
    assert (again.status, again.json["signal_id"]) == (200, held["a-y"])
