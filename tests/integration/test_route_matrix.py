"""Every route of the regional API against every kind of caller, in one table.

The routes come from the handlers' own resolvers, so a route added without a row here fails
`test_every_route_has_a_row`. Each cell is the status the Lambda answers; API Gateway's Cognito
authorizer refuses a garbage token with 401 before any Lambda runs, so its column is what the
function answers to a request without claims. Every 403 has the same body.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from moto import mock_aws

from infra.local.accounts import LocalAccounts
from infra.local.events import LocalContext, machine_claims, rest_event, user_claims
from infra.local.streams import StreamPump
from infra.local.tables import create_tables
from tests.conftest import NAMES, NOW, OPERATOR, runtime_config
from tests.support import HttpResult, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock
from verwijsindex.domain.errors import FORBIDDEN_DETAIL
from verwijsindex.domain.settings import RegionSettings

HANDLERS = ("place_signal.handler", "registry.handler", "rights_request.handler", "brp_notifications.handler")
PUBLIC = {("GET", "/swagger")}  # the API's description: no data, no caller check

CALLERS: dict[str, dict[str, str] | None] = {
    "owner": user_claims("m-own", "m-a", ["professional"]),
    "colleague": user_claims("m-col", "m-a", ["professional"]),
    "other_org": user_claims("m-oth", "m-b", ["professional"]),
    "unregistered": user_claims("intruder", "m-a", ["professional"]),  # a real org_id, an unknown person
    "deactivated": user_claims("m-gone", "m-a", ["professional"]),
    "suspended": user_claims("m-sus", "m-s", ["professional"]),
    "case_system": machine_claims("m-cs", ["verwijsindex/signals"]),
    "wrong_scope": machine_claims("m-cs", ["verwijsindex/other"]),
    "operator": OPERATOR,
    "brp": user_claims("brp-subscription", None, ["brp"]),
    "no_group": user_claims("m-own", "m-a", []),
    "garbage": None,
}

# fmt: off
#                                                       own  col  oth  unr  dea  sus  cs   csw  op   brp  nog  garb
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("POST", "/signals"):                               (201, 201, 201, 403, 403, 403, 201, 403, 403, 403, 403, 403),
    ("GET", "/signals"):                                (200, 200, 200, 403, 403, 200, 200, 403, 403, 403, 403, 403),
    ("GET", "/signals/<signal_id>"):                    (200, 200, 404, 403, 403, 200, 200, 403, 403, 403, 403, 403),
    ("POST", "/signals/<signal_id>/close"):             (200, 200, 404, 403, 403, 200, 200, 403, 403, 403, 403, 403),
    ("POST", "/signals/<signal_id>/informed"):          (200, 200, 404, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("GET", "/signals/<signal_id>/matches"):            (200, 200, 404, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("GET", "/signals/<signal_id>/history"):            (200, 200, 404, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("POST", "/matches/<match_id>/coordinator"):        (200, 200, 404, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("POST", "/matches/<match_id>/coordinated"):        (200, 200, 404, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("POST", "/organisations"):                         (403, 403, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403),
    ("GET", "/organisations"):                          (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/organisations/<org_id>/suspend"):        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/organisations/<org_id>/reactivate"):     (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/organisations/<org_id>/professionals"):  (403, 403, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403),
    ("PUT", "/organisations/<org_id>/profile"):         (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("GET", "/organisations/<org_id>/professionals"):   (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("PATCH", "/organisations/<org_id>/professionals/<user_id>"):
                                                        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/organisations/<org_id>/professionals/<user_id>/deactivate"):
                                                        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/organisations/<org_id>/professionals/<user_id>/reassign"):
                                                        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("GET", "/handovers"):                              (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/rights-requests"):                       (403, 403, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403),
    ("GET", "/rights-requests"):                        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("GET", "/rights-requests/<request_id>"):           (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/rights-requests/<request_id>/decision"): (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("GET", "/audit"):                                  (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("GET", "/operations/stuck"):                       (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("GET", "/statistics"):                             (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "/brp/notifications"):                     (403, 403, 403, 403, 403, 403, 403, 403, 403, 202, 403, 403),
}
# fmt: on

Y, Z, NEW, BRP_YOUTH = (valid_bsn(f"3600000{n}") for n in (1, 3, 5, 7))


def resolver_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the handlers register, as their resolvers hold them."""
    routes: set[tuple[str, str]] = set()
    for module in HANDLERS:
        app = importlib.import_module(module).app
        routes |= {(route.method, route.path) for route in app._static_routes + app._dynamic_routes}
    return routes - PUBLIC


def test_every_route_has_a_row() -> None:
    routes = resolver_routes()
    assert set(MATRIX) == routes, f"without a row: {routes - set(MATRIX)}; stale rows: {set(MATRIX) - routes}"
    assert all(len(row) == len(CALLERS) for row in MATRIX.values())


@dataclass
class Region:
    """One region for the whole table: organisations m-a (owner), m-b (other), m-c (a third party of
    the owner's match), m-s (suspended) and m-t (for the operator's writes)."""

    handlers: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]]
    pump: StreamPump
    ids: dict[str, str] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=itertools.count)

    def call(
        self, method: str, path: str, claims: dict[str, str] | None, body: Any = None, query: Any = None
    ) -> HttpResult:
        module = next(m for p, m in ROUTING if path == p or path.startswith(p + "/"))
        response = self.handlers[module](
            rest_event(method, path, body=body, claims=claims, query=query), LocalContext()
        )
        return HttpResult(response["statusCode"], dict(response.get("headers") or {}), response.get("body") or "")

    def ok(self, method: str, path: str, claims: dict[str, str] | None, body: Any = None) -> Any:
        response = self.call(method, path, claims, body)
        assert response.status in {200, 201, 202}, (method, path, response.text)
        return response.json

    def fresh(self) -> str:
        return f"{next(self.counter):04d}"

    def fresh_signal(self, caller: str) -> str:
        """A new active signal of m-a (or of m-s for the suspended caller, placed before it was)."""
        if caller == "suspended":
            return self.ids.pop("spare_s")
        bsn = valid_bsn(f"37{self.fresh():0>6}")
        PERSONS.add(youth(bsn, date(2015, 1, 1)))
        return str(self.ok("POST", "/signals", CALLERS["owner"], {"bsn": bsn, "client_reference": "F"})["signal_id"])


ROUTING = (
    ("/signals", "place_signal.handler"),
    ("/matches", "place_signal.handler"),
    ("/organisations", "registry.handler"),
    ("/handovers", "registry.handler"),
    ("/rights-requests", "rights_request.handler"),
    ("/audit", "rights_request.handler"),
    ("/operations", "rights_request.handler"),
    ("/statistics", "rights_request.handler"),
    ("/brp/notifications", "brp_notifications.handler"),
)
PERSONS = FakePersonRegistry()


@pytest.fixture(scope="module")
def region() -> Iterator[Region]:
    with mock_aws():
        import boto3

        dynamodb = boto3.client("dynamodb")
        create_tables(dynamodb, NAMES)
        for bsn, born in (
            (Y, date(2014, 4, 4)),
            (Z, date(2013, 3, 3)),
            (NEW, date(2016, 6, 6)),
            (BRP_YOUTH, date(2012, 2, 2)),
        ):
            PERSONS.add(youth(bsn, born))
        services = wiring.Services(
            config=runtime_config(),
            settings=RegionSettings(),
            clock=FixedClock(NOW),
            persons=PERSONS,
            dynamodb=dynamodb,
        )
        services.accounts = LocalAccounts()
        boto3.client("ses").verify_email_identity(EmailAddress=services.config.ses_sender)
        wiring.install(services)
        try:
            handlers = {module: importlib.import_module(module).lambda_handler for _, module in ROUTING}
            yield seeded(Region(handlers=handlers, pump=StreamPump.for_table(NAMES.main, dynamodb=dynamodb)))
        finally:
            wiring.install(None)


def seeded(region: Region) -> Region:
    op = OPERATOR
    for org_id, clients in (("m-a", ["m-cs"]), ("m-b", []), ("m-c", []), ("m-s", []), ("m-t", [])):
        region.ok("POST", "/organisations", op, {"org_id": org_id, "name": f"Org {org_id}", "machine_clients": clients})
    for org_id, sub in (
        ("m-a", "m-own"),
        ("m-a", "m-col"),
        ("m-a", "m-gone"),
        ("m-b", "m-oth"),
        ("m-c", "m-third"),
        ("m-s", "m-sus"),
        ("m-t", "m-keeper"),
    ):
        contact = {"name": f"Pro {sub}", "email": f"{sub}@{org_id}.example.org", "phone": "0201234567"}
        region.ok("POST", f"/organisations/{org_id}/professionals", op, {"user_id": sub, **contact})
    third = user_claims("m-third", "m-c", ["professional"])
    region.ids["own"] = region.ok("POST", "/signals", CALLERS["owner"], {"bsn": Y, "client_reference": "OWN"})[
        "signal_id"
    ]
    region.ok("POST", "/signals", third, {"bsn": Y, "client_reference": "THIRD"})
    region.ids["s"] = region.ok("POST", "/signals", CALLERS["suspended"], {"bsn": Z, "client_reference": "S"})[
        "signal_id"
    ]
    region.ids["spare_s"] = region.ok("POST", "/signals", CALLERS["suspended"], {"bsn": Y, "client_reference": "S2"})[
        "signal_id"
    ]
    from match.handler import lambda_handler as match_handler

    region.pump.drain(match_handler)
    matches = region.ok("GET", f"/signals/{region.ids['own']}/matches", CALLERS["owner"])["items"]
    [match] = [m for m in matches if m["other"]["org_id"] == "m-c"]
    region.ids["match"] = match["match_id"]
    region.ok("POST", "/organisations/m-a/professionals/m-gone/deactivate", op)
    region.ok("POST", "/organisations/m-s/suspend", op)
    rights = {"kind": "inzage", "bsn": Y, "requested_by": "both", "received_on": "2026-11-20"}
    region.ids["rights"] = region.ok("POST", "/rights-requests", op, rights)["request_id"]
    return region


def request_for(region: Region, route: tuple[str, str], caller: str) -> tuple[str, Any, Any]:
    """The path, body and query a caller of this kind sends to the route."""
    method, template = route
    signal = region.ids["s"] if caller == "suspended" else region.ids["own"]
    n = region.fresh()
    contact = {"name": "Dirk Dekker", "email": f"dirk{n}@m-a.example.org", "phone": "0501234567"}
    if template == "/signals" and method == "POST":
        body: Any = {"bsn": NEW, "client_reference": f"N{n}"}
        return template, body | ({"professional": contact} if caller in {"case_system", "wrong_scope"} else {}), None
    if template == "/signals/<signal_id>/close":
        target = region.fresh_signal(caller) if MATRIX[route][list(CALLERS).index(caller)] == 200 else signal
        return f"/signals/{target}/close", {"reason": "ended"}, None
    if template == "/signals/<signal_id>/informed":
        return template.replace("<signal_id>", signal), {"informed": "yes"}, None
    if template == "/organisations/<org_id>/profile":
        return template.replace("<org_id>", "m-t"), {"signalling_profile": "Wij signaleren bij zorgen."}, None
    if template.startswith("/signals/<signal_id>"):
        return template.replace("<signal_id>", signal), None, None
    if template.startswith("/matches/<match_id>"):
        body = {"signal_id": region.ids["own"]} if template.endswith("coordinator") else None
        return template.replace("<match_id>", region.ids["match"]), body, None
    if template == "/organisations" and method == "POST":
        return template, {"org_id": f"m-new-{n}", "name": "Nieuw"}, None
    if template.startswith("/organisations/<org_id>/professionals/<user_id>"):
        user = f"m-leaver-{n}"
        if MATRIX[route][list(CALLERS).index(caller)] != 403:
            region.ok("POST", "/organisations/m-t/professionals", OPERATOR, {"user_id": user, **contact})
        path = template.replace("<org_id>", "m-t").replace("<user_id>", user)
        body = {"to_user_id": "m-keeper"} if path.endswith("reassign") else None
        return path, {"phone": "0611111111"} if method == "PATCH" else body, None
    if template == "/organisations/<org_id>/professionals" and method == "POST":
        return "/organisations/m-t/professionals", {"user_id": f"m-new-{n}", **contact}, None
    if template.startswith("/organisations/<org_id>"):
        return template.replace("<org_id>", "m-t"), None, None
    if template == "/rights-requests" and method == "POST":
        return template, {"kind": "inzage", "bsn": Y, "requested_by": "both", "received_on": "2026-11-20"}, None
    if template == "/rights-requests/<request_id>/decision":
        target = region.ids["rights"]
        if caller == "operator":
            rights = {"kind": "inzage", "bsn": Y, "requested_by": "both", "received_on": "2026-11-20"}
            target = region.ok("POST", "/rights-requests", OPERATOR, rights)["request_id"]
        return template.replace("<request_id>", target), {"outcome": "refused", "reason": "niet ondertekend"}, None
    if template.startswith("/rights-requests/<request_id>"):
        return template.replace("<request_id>", region.ids["rights"]), None, None
    if template == "/audit":
        return template, None, {"actor": "m-own"}
    if template == "/operations/stuck":
        return template, None, {"kind": "delivery"}
    if template == "/statistics":
        return template, None, {"from": "2026-01", "to": "2026-11", "by": "organisation"}
    if template == "/brp/notifications":
        return template, {"bsn": BRP_YOUTH, "kind": "move", "date": "2026-11-01", "municipality": "0363"}, None
    return template, None, None


CASES = [(route, caller) for route in MATRIX for caller in CALLERS]


@pytest.mark.parametrize(("route", "caller"), CASES, ids=[f"{m} {p} as {c}" for (m, p), c in CASES])
def test_route_by_caller(region: Region, route: tuple[str, str], caller: str) -> None:
    expected = MATRIX[route][list(CALLERS).index(caller)]
    path, body, query = request_for(region, route, caller)
    response = region.call(route[0], path, CALLERS[caller], body, query)
    assert response.status == expected, response.text
    if expected == 403:
        assert response.json["detail"] == FORBIDDEN_DETAIL
        assert "errors" not in response.json  # refused before the body was read
