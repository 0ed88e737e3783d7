"""The operator's organisation registry through its API, on moto."""

from typing import Any

import pytest

from infra.local.events import rest_event, user_claims
from tests.conftest import NAMES, OPERATOR, PRO_A, Invoke
from tests.support import all_items
from verwijsindex.api.identity import caller_from_event
from verwijsindex.domain.models import DEFAULT_SIGNALLING_PROFILE


def test_the_operator_registers_lists_suspends_and_reactivates(registry_api: Invoke, dynamodb: Any) -> None:
    created = registry_api(
        "POST",
        "/organisations",
        claims=OPERATOR,
        body={"org_id": "veilig-thuis", "name": "Veilig Thuis", "machine_clients": ["vt-cs"]},
    )
    assert created.status == 201
    # The rules of the registry are tested on the in-memory ports (tests/unit/test_registry_rules.py);
    # here the HTTP answers: a second registration is a conflict, an unknown organisation not found.
    again = registry_api("POST", "/organisations", claims=OPERATOR, body={"org_id": "veilig-thuis", "name": "VT"})
    assert again.status == 409 and again.json["errors"][0]["field"] == "org_id"
    assert registry_api("POST", "/organisations/ghost/suspend", claims=OPERATOR).status == 404
    assert created.json == {
        "org_id": "veilig-thuis",
        "name": "Veilig Thuis",
        "status": "active",
        "machine_clients": ["vt-cs"],
        "signalling_profile": DEFAULT_SIGNALLING_PROFILE,
    }
    assert [o["org_id"] for o in registry_api("GET", "/organisations", claims=OPERATOR).json] == ["veilig-thuis"]
    assert registry_api("POST", "/organisations/veilig-thuis/suspend", claims=OPERATOR).json["status"] == "suspended"
    assert registry_api("GET", "/organisations", claims=OPERATOR).json[0]["status"] == "suspended"
    actions = sorted(e["action"] for e in all_items(dynamodb, NAMES.audit))
    assert actions == ["organisation.created", "organisation.suspended"]


def test_professionals_belong_to_a_registered_organisation(registry_api: Invoke, dynamodb: Any) -> None:
    body = {"user_id": "s-9", "name": "Eva", "email": "eva@example.org", "phone": "+31612345678"}
    assert registry_api("POST", "/organisations/nope/professionals", claims=OPERATOR, body=body).status == 404
    registry_api("POST", "/organisations", claims=OPERATOR, body={"org_id": "org-x", "name": "X"})
    added = registry_api("POST", "/organisations/org-x/professionals", claims=OPERATOR, body=body)
    assert added.status == 201
    assert added.json["contact"]["email"] == "eva@example.org"
    bad = registry_api(
        "POST", "/organisations/org-x/professionals", claims=OPERATOR, body={**body, "email": "not-an-email"}
    )
    assert bad.status == 422
    assert bad.json["errors"][0]["field"] == "email"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/organisations", None),
        ("POST", "/organisations", {"org_id": "org-z", "name": "Z"}),
        ("POST", "/organisations/org-a/suspend", None),
        ("POST", "/organisations/org-a/reactivate", None),
        (
            "POST",
            "/organisations/org-a/professionals",
            {"user_id": "s", "name": "n", "email": "e@example.org", "phone": "0201234567"},
        ),
    ],
)
def test_only_the_operator_manages_the_registry(
    registry_api: Invoke, dynamodb: Any, method: str, path: str, body: Any
) -> None:
    response = registry_api(method, path, claims=PRO_A, body=body)
    assert response.status == 403
    assert all_items(dynamodb, NAMES.main) == []


def test_a_non_operator_is_refused_before_the_body_is_looked_at(registry_api: Invoke) -> None:
    response = registry_api("POST", "/organisations", claims=PRO_A, body={"unknown": "field"})
    assert response.status == 403
    assert "unknown" not in response.text


def test_the_operator_records_an_organisations_signalling_profile(registry_api: Invoke, services: Any) -> None:
    created = registry_api("POST", "/organisations", claims=OPERATOR, body={"org_id": "kdv-zon", "name": "KDV De Zon"})
    assert created.json["signalling_profile"] == DEFAULT_SIGNALLING_PROFILE
    text = "Wij signaleren bij zorgen over de ontwikkeling die we niet zelf kunnen wegnemen."

    refused = registry_api(
        "PUT", "/organisations/kdv-zon/profile", claims=PRO_A, body={"signalling_profile": "Altijd."}
    )
    recorded = registry_api("PUT", "/organisations/kdv-zon/profile", claims=OPERATOR, body={"signalling_profile": text})
    missing = registry_api("PUT", "/organisations/nergens/profile", claims=OPERATOR, body={"signalling_profile": text})

    assert refused.status == 403
    assert recorded.status == 200 and recorded.json["signalling_profile"] == text
    assert missing.status == 404
    [listed] = [o for o in registry_api("GET", "/organisations", claims=OPERATOR).json if o["org_id"] == "kdv-zon"]
    assert listed["signalling_profile"] == text
    # Only a registered professional of the organisation reads it (the registry check of every route).
    contact = {"user_id": "sub-z", "name": "Zoë Zon", "email": "zoe@kdv-zon.example.org", "phone": "0201234567"}
    assert registry_api("POST", "/organisations/kdv-zon/professionals", claims=OPERATOR, body=contact).status == 201
    professional = user_claims("sub-z", "kdv-zon", ["professional"])
    assert services.registry_service.profile_of(caller_from_event(rest_event("GET", "/", claims=professional))) == text
