"""Contract tests: the Haal Centraal adapters against bodies shaped like the specifications.

The shapes (polymorphic dates, `opschortingBijhouding`, `geheimhoudingPersoonsgegevens`,
`inOnderzoek`, the verblijfplaats types, problem details with `invalidParams`) follow the
public feature files of BRP Personen Bevragen v2 and the BRP Update API; the people and values
are our own, in the 9999xxxxx test range.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from verwijsindex.adapters.brp.haal_centraal import FIELDS, STATUS_FIELDS, HaalCentraalPersonRegistry
from verwijsindex.adapters.brp.http import ApiKeyAuth, BrpHttp, CircuitBreaker, OAuth2ClientCredentials, pool
from verwijsindex.adapters.brp.update_api import UpdateApiChangeFeed
from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.models import Address, InvestigatedData, RecordSuspension, Youth
from verwijsindex.ports.person_registry import (
    PersonNotUsable,
    PersonRegistryError,
    RegistryMisconfigured,
    RegistryUnavailable,
)

API_KEY = "test-key-123"
CLIENT_ID, CLIENT_SECRET = "regio-test", "client-secret-456"
CHILD, FATHER, MOTHER, GHOST = "999990147", "999990007", "999990056", "999991309"
BAD_BSN = "999990000"  # fails the elfproef
PATH = "/haalcentraal/api/brp"


def _datum(value: str) -> dict[str, Any]:
    return {"type": "Datum", "datum": value, "langFormaat": "(niet gebruikt)"}


JAAR_MAAND = {"type": "JaarMaandDatum", "jaar": 2010, "maand": 5, "langFormaat": "mei 2010"}
JAAR = {"type": "JaarDatum", "jaar": 2010, "langFormaat": "2010"}
ONBEKEND = {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}

FULL_PERSON: dict[str, Any] = {
    "burgerservicenummer": CHILD,
    "aNummer": "1234567890",  # more than we ask for: must be ignored
    "naam": {
        "voornamen": "Sem Pieter",
        "voorvoegsel": "de",
        "geslachtsnaam": "Vries",
        "voorletters": "S.P.",
        "volledigeNaam": "Sem Pieter de Vries",
    },
    "geboorte": {"datum": _datum("2009-08-30"), "plaats": {"code": "0363", "omschrijving": "Amsterdam"}},
    "geslacht": {"code": "M", "omschrijving": "man"},
    "verblijfplaats": {
        "type": "Adres",
        "verblijfadres": {
            "officieleStraatnaam": "Tulpstraat",
            "korteStraatnaam": "Tulpstr",
            "huisnummer": 12,
            "huisletter": "A",
            "huisnummertoevoeging": "2",
            "postcode": "1015AB",
            "woonplaats": "Amsterdam",
        },
        "functieAdres": {"code": "W", "omschrijving": "woonadres"},
        "datumVan": _datum("2015-01-01"),
    },
    "gemeenteVanInschrijving": {"code": "0363", "omschrijving": "Amsterdam"},
    "ouders": [
        {"burgerservicenummer": FATHER, "ouderAanduiding": "1", "naam": {"volledigeNaam": "Pieter de Vries"}},
        {"burgerservicenummer": MOTHER, "ouderAanduiding": "2"},
        {"ouderAanduiding": "3"},  # an unknown parent without BSN is not a link
    ],
}
ALIVE_CHILD = Youth(
    bsn=CHILD,
    name="Sem Pieter de Vries",
    birth_date=date(2009, 8, 30),
    sex="M",
    address=Address(
        street="Tulpstraat", house_number="12A-2", postcode="1015AB", city="Amsterdam", municipality_code="0363"
    ),
    parents=(FATHER, MOTHER),
)
PARAMS_PROBLEM = {
    "type": "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
    "title": "Een of meerdere parameters zijn niet correct.",
    "status": 400,
    "detail": "De foutieve parameter(s) zijn: fields[4].",
    "instance": f"{PATH}/personen",
    "code": "paramsValidation",
    "invalidParams": [
        {"code": "fields", "name": "fields[4]", "reason": "Parameter bevat een niet bestaande veldnaam."}
    ],
}
FORBIDDEN_FIELD = {
    "type": "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3",
    "title": "U bent niet geautoriseerd voor één of meerdere opgegeven field waarden.",
    "status": 403,
    "instance": f"{PATH}/personen",
    "code": "unauthorizedField",
}


@dataclass
class Scripted:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeBrp:
    """State of the fake APIs: who they know, what they answer next, what they were asked."""

    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    script: list[Scripted] = field(default_factory=list)  # answered first, one per request
    raw_reply: bytes | None = None
    delay_seconds: float = 0.0
    auth: str = "api_key"  # or "oauth2"
    tokens_issued: int = 0
    token_lifetime: int = 300
    revoked: set[str] = field(default_factory=set)
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    follows: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    shape_errors: list[str] = field(default_factory=list)


def _shape_problems(request: Any) -> list[str]:
    if not isinstance(request, dict) or set(request) != {"type", "burgerservicenummer", "fields"}:
        return ["body keys"]
    problems = []
    if request["type"] != "RaadpleegMetBurgerservicenummer":
        problems.append("type")
    bsns = request["burgerservicenummer"]
    if not (isinstance(bsns, list) and 1 <= len(bsns) <= 20 and all(isinstance(b, str) for b in bsns)):
        problems.append("burgerservicenummer must be a list of 1 to 20 strings")
    fields = request["fields"]
    if not (isinstance(fields, list) and fields and all(isinstance(f, str) for f in fields)):
        problems.append("fields must be a non-empty list of strings")
    # Asked-for automatically delivered fields are an error in the specification.
    if any(
        f.split(".")[0] in {"opschortingBijhouding", "geheimhoudingPersoonsgegevens", "inOnderzoek"} for f in fields
    ):
        problems.append("fields asks for what is delivered unasked")
    return problems


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/token":
            return self._token(body)
        if self.path != f"{PATH}/personen":
            return self._reply(404, {"title": "not found"})
        if self._gate():
            return
        brp = self.server.brp
        request = json.loads(body)
        brp.requests.append(request)
        problems = _shape_problems(request)
        if self.headers.get("Content-Type") != "application/json":
            problems.append("content type")
        if problems:
            brp.shape_errors.extend(problems)  # recorded, not asserted here: a server-thread assert is lost
            return self._reply(400, {"title": "Ongeldige vraag"})
        if brp.raw_reply is not None:
            return self._send(200, brp.raw_reply)
        found = [brp.people[bsn] for bsn in request["burgerservicenummer"] if bsn in brp.people]
        return self._reply(200, {"type": "RaadpleegMetBurgerservicenummer", "personen": found})

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not self.path.startswith(f"{PATH}update/volgindicaties/"):
            return self._reply(404, {"title": "not found"})
        if self._gate():
            return
        bsn = self.path.rsplit("/", 1)[1]
        einddatum = json.loads(body)["einddatum"]
        created = bsn not in self.server.brp.follows
        self.server.brp.follows[bsn] = einddatum
        return self._reply(201 if created else 200, {"burgerservicenummer": bsn, "einddatum": einddatum})

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != f"{PATH}update/wijzigingen":
            return self._reply(404, {"title": "not found"})
        if self._gate():
            return
        self.server.brp.paths.append(self.path)
        vanaf = parse_qs(url.query).get("vanaf", [""])[0]
        assert vanaf
        return self._reply(200, {"burgerservicenummers": self.server.brp.changed, "_links": {"self": {"href": "x"}}})

    def _gate(self) -> bool | None:
        """Authentication, then the script and the delay; None when the request may proceed."""
        brp = self.server.brp
        time.sleep(brp.delay_seconds)
        if brp.auth == "api_key" and self.headers.get("X-API-Key") != API_KEY:
            self._reply(401, {"title": "Niet correct geauthenticeerd.", "status": 401, "code": "authentication"})
            return True
        if brp.auth == "oauth2":
            bearer = self.headers.get("Authorization", "")
            if not bearer.startswith("Bearer tok-") or bearer.removeprefix("Bearer ") in brp.revoked:
                self._reply(401, {"title": "Niet correct geauthenticeerd.", "status": 401, "code": "authentication"})
                return True
        if brp.script:
            step = brp.script.pop(0)
            self._reply(step.status, step.body, step.headers)
            return True
        return None

    def _token(self, body: bytes) -> None:
        brp = self.server.brp
        expected = "Basic " + __import__("base64").b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = parse_qs(body.decode())
        if self.headers.get("Authorization") != expected or form.get("grant_type") != ["client_credentials"]:
            return self._reply(401, {"error": "invalid_client"})
        brp.tokens_issued += 1
        token = f"tok-{brp.tokens_issued}"
        return self._reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": brp.token_lifetime})

    def _reply(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        content = "application/problem+json" if status >= 400 else "application/json"
        self._send(status, json.dumps(payload).encode(), {"Content-Type": content, **(headers or {})})

    def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {"Content-Type": "application/json"}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    brp: FakeBrp

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout test) breaks the pipe: expected


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[_Server, str]]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.brp = FakeBrp()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield server, f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def brp(server: tuple[_Server, str]) -> Iterator[tuple[FakeBrp, str]]:
    server[0].brp = FakeBrp(people={CHILD: FULL_PERSON})
    yield server[0].brp, server[1]
    assert server[0].brp.shape_errors == []


def _client(
    root: str, *, key: str = API_KEY, budget: float = 2.0, attempt_timeout: float = 1.0, **kwargs: Any
) -> BrpHttp:
    kwargs.setdefault("backoff_seconds", 0.01)
    return BrpHttp(auth=ApiKeyAuth(key), budget_seconds=budget, attempt_timeout_seconds=attempt_timeout, **kwargs)


# Tests that count the requests the BRP received allow a slow answer on a loaded machine: a second
# request after a timed-out first one would be the client's retry, not the behaviour under test.
PATIENT = {"budget": 30.0, "attempt_timeout": 15.0}


def _registry(root: str, **kwargs: Any) -> HaalCentraalPersonRegistry:
    return HaalCentraalPersonRegistry(root + PATH, _client(root, **kwargs))


def _with(**changes: Any) -> dict[str, Any]:
    return {**FULL_PERSON, **changes}


# --- the request ---------------------------------------------------------------------------------


def test_full_person_maps_to_youth_through_the_domestic_alias(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    assert _registry(root, **PATIENT).lookup(CHILD) == ALIVE_CHILD
    (request,) = fake.requests
    assert request == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [CHILD],
        "fields": list(FIELDS),
    }
    # Asking for `verblijfplaats` would be refused (403) to a client not authorised for addresses abroad.
    assert "verblijfplaatsBinnenland" in request["fields"] and "verblijfplaats" not in request["fields"]


def test_name_is_composed_when_volledige_naam_is_absent(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.people[CHILD] = _with(naam={"voornamen": "Sem", "voorvoegsel": "de", "geslachtsnaam": "Vries"})
    youth = _registry(root).lookup(CHILD)
    assert youth is not None and youth.name == "Sem de Vries"


def test_a_person_not_found_is_none(brp: tuple[FakeBrp, str]) -> None:
    _, root = brp
    assert _registry(root).lookup(GHOST) is None


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("datum", "earliest", "precision", "latest"),
    [
        (_datum("2010-05-17"), date(2010, 5, 17), BirthDatePrecision.DAY, date(2010, 5, 17)),
        (JAAR_MAAND, date(2010, 5, 1), BirthDatePrecision.MONTH, date(2010, 5, 31)),
        (JAAR, date(2010, 1, 1), BirthDatePrecision.YEAR, date(2010, 12, 31)),
    ],
)
def test_every_known_birth_date_type_keeps_its_precision(
    brp: tuple[FakeBrp, str], datum: dict[str, Any], earliest: date, precision: BirthDatePrecision, latest: date
) -> None:
    fake, root = brp
    fake.people[CHILD] = _with(geboorte={"datum": datum})
    youth = _registry(root).lookup(CHILD)
    assert youth is not None
    assert (youth.birth_date, youth.birth_date_precision, youth.latest_birth_date) == (earliest, precision, latest)


def test_an_unknown_birth_date_makes_the_person_unusable_with_a_reason(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.people[CHILD] = _with(geboorte={"datum": ONBEKEND})
    with pytest.raises(PersonNotUsable, match="birth date as unknown") as caught:
        _registry(root).lookup(CHILD)
    assert CHILD not in str(caught.value)


@pytest.mark.parametrize(
    ("datum", "death"),
    [
        (_datum("2026-10-01"), date(2026, 10, 1)),
        (JAAR_MAAND | {"jaar": 2026, "maand": 10}, date(2026, 10, 1)),
        (JAAR | {"jaar": 2026}, date(2026, 1, 1)),
        (ONBEKEND, date(2009, 8, 30)),  # unknown: the earliest safe day, the birth date
    ],
)
def test_every_death_date_type_is_a_death(brp: tuple[FakeBrp, str], datum: dict[str, Any], death: date) -> None:
    fake, root = brp
    fake.people[CHILD] = _with(overlijden={"datum": datum})
    youth = _registry(root).lookup(CHILD)
    assert youth is not None and youth.death_date == death


# --- suspension, confidentiality, investigation --------------------------------------------------


def _suspended(code: str, datum: dict[str, Any] | None = None) -> dict[str, Any]:
    words = {"O": "overlijden", "E": "emigratie", "M": "ministerieel besluit", "R": "pl is aangelegd in de rni"}
    return {
        "reden": {"code": code, "omschrijving": words.get(code, "onbekend")},
        "datum": datum or _datum("2026-09-15"),
    }


@pytest.mark.parametrize(
    ("code", "suspension"),
    [
        ("O", RecordSuspension.DEATH),
        ("E", RecordSuspension.EMIGRATION),
        ("M", RecordSuspension.MINISTERIAL_DECISION),
        ("R", RecordSuspension.NON_RESIDENT),
        (".", RecordSuspension.UNKNOWN),
    ],
)
def test_every_suspension_reason_is_carried(brp: tuple[FakeBrp, str], code: str, suspension: RecordSuspension) -> None:
    fake, root = brp
    fake.people[CHILD] = _with(opschortingBijhouding=_suspended(code))
    youth = _registry(root).lookup(CHILD)
    assert youth is not None and youth.suspension is suspension
    # Suspended for death without an `overlijden`: dead as of the suspension, not alive.
    assert youth.death_date == (date(2026, 9, 15) if code == "O" else None)


def test_confidentiality_is_carried(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.people[CHILD] = _with(geheimhoudingPersoonsgegevens=True)
    youth = _registry(root).lookup(CHILD)
    assert youth is not None and youth.confidential and youth.name == "Sem Pieter de Vries"


def test_data_under_investigation_is_named(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    since = {"datumIngangOnderzoek": _datum("2026-06-01")}
    person = _with(
        geboorte={"datum": _datum("2009-08-30"), "inOnderzoek": {"datum": True, **since}},
        inOnderzoek={"geslacht": True, "gemeenteVanInschrijving": True, **since},
    )
    person["verblijfplaats"] = {**FULL_PERSON["verblijfplaats"], "inOnderzoek": {"type": True, **since}}
    fake.people[CHILD] = person
    youth = _registry(root).lookup(CHILD)
    assert youth is not None
    assert youth.under_investigation == (
        InvestigatedData.BIRTH_DATE,
        InvestigatedData.SEX,
        InvestigatedData.ADDRESS,
        InvestigatedData.MUNICIPALITY,
    )
    plain = _with()
    fake.people[CHILD] = plain
    assert _registry(root).lookup(CHILD) == ALIVE_CHILD  # nothing under investigation: nothing named


# --- addresses -----------------------------------------------------------------------------------


def test_a_locatie_is_an_address_by_its_description(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.people[CHILD] = _with(
        verblijfplaats={
            "type": "Locatie",
            "verblijfadres": {"locatiebeschrijving": "Woonboot bij de Amstel"},
            "functieAdres": {"code": "W", "omschrijving": "woonadres"},
        }
    )
    youth = _registry(root).lookup(CHILD)
    assert youth is not None and youth.address == Address(
        street="Woonboot bij de Amstel", house_number="", postcode="", city="", municipality_code="0363"
    )


@pytest.mark.parametrize(
    "verblijfplaats",
    [
        {
            "type": "VerblijfplaatsBuitenland",
            "verblijfadres": {"regel1": "Rue de la Paix 1", "regel2": "Paris", "land": {"code": "5002"}},
        },
        {"type": "VerblijfplaatsOnbekend", "datumVan": _datum("2024-01-01")},
        None,  # through verblijfplaatsBinnenland an address abroad is simply left out
    ],
)
def test_abroad_unknown_or_left_out_is_no_address(brp: tuple[FakeBrp, str], verblijfplaats: Any) -> None:
    fake, root = brp
    person = _with(gemeenteVanInschrijving={"code": "1999", "omschrijving": "Registratie Niet Ingezetenen (RNI)"})
    person.pop("verblijfplaats")
    if verblijfplaats is not None:
        person["verblijfplaats"] = verblijfplaats
    fake.people[CHILD] = person
    youth = _registry(root).lookup(CHILD)
    assert youth is not None and youth.address is None


# --- problems and failures -----------------------------------------------------------------------


def test_invalid_params_are_kept_and_the_request_is_not_retried(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.script = [Scripted(400, PARAMS_PROBLEM), Scripted(200, {"personen": []})]
    with pytest.raises(RegistryMisconfigured) as caught:
        _registry(root).lookup(CHILD)
    error = caught.value
    assert (error.status, error.code) == (400, "paramsValidation")
    assert [(p.name, p.code, p.reason) for p in error.invalid_params] == [
        ("fields[4]", "fields", "Parameter bevat een niet bestaande veldnaam.")
    ]
    assert len(fake.script) == 1  # one request only: a wrong request stays wrong


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (403, FORBIDDEN_FIELD),
        (401, {"status": 401, "title": "Niet correct geauthenticeerd.", "code": "authentication"}),
    ],
)
def test_403_and_401_are_misconfiguration(brp: tuple[FakeBrp, str], status: int, body: dict[str, Any]) -> None:
    fake, root = brp
    fake.script = [Scripted(status, body)]
    with pytest.raises(RegistryMisconfigured, match=str(status)) as caught:
        _registry(root).lookup(CHILD)
    assert caught.value.code == body["code"]


def test_a_wrong_api_key_is_misconfiguration(brp: tuple[FakeBrp, str]) -> None:
    _, root = brp
    with pytest.raises(RegistryMisconfigured, match="401"):
        _registry(root, key="wrong-key").lookup(CHILD)


def test_429_is_retried_after_the_time_the_brp_asks(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    waits: list[float] = []
    fake.script = [Scripted(429, {"status": 429, "title": "Too many requests"}, {"Retry-After": "1"})]
    registry = _registry(root, sleep=waits.append)
    assert registry.lookup(CHILD) == ALIVE_CHILD
    assert waits == [1.0]


def test_503_beyond_the_budget_gives_up_at_once_as_unavailable(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    waits: list[float] = []
    fake.script = [Scripted(503, {"status": 503, "title": "Service Unavailable"}, {"Retry-After": "120"})]
    with pytest.raises(RegistryUnavailable) as caught:
        _registry(root, budget=2.0, sleep=waits.append).lookup(CHILD)
    assert waits == [] and caught.value.retry_after == 120.0


def test_repeated_503_backs_off_then_reports_unavailable(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.script = [Scripted(503, {"status": 503}) for _ in range(50)]
    # The client's own clock, moved only by its waits: the budget is spent on backing off, not on a loaded machine.
    now = [0.0]
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    with pytest.raises(RegistryUnavailable, match="503"):
        _registry(root, budget=0.5, backoff_seconds=0.05, clock=lambda: now[0], sleep=wait, jitter=lambda: 1.0).lookup(
            CHILD
        )
    # Each wait doubles; the next one (0.4 s) would end past the budget, so the fourth try is the last.
    assert waits == [0.05, 0.1, 0.2]
    assert 50 - len(fake.script) == 4


def test_the_circuit_opens_after_repeated_outages_and_fails_fast(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    now = [0.0]
    breaker = CircuitBreaker(threshold=2, cooldown_seconds=30, clock=lambda: now[0])
    registry = _registry(root, budget=2.0, breaker=breaker)
    # Retry-After beyond the budget: each lookup gives up after one request.
    fake.script = [Scripted(503, {"status": 503}, {"Retry-After": "60"}) for _ in range(20)]
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            registry.lookup(CHILD)
    asked = len(fake.script)
    with pytest.raises(RegistryUnavailable, match="circuit is open") as caught:
        registry.lookup(CHILD)
    assert len(fake.script) == asked and caught.value.retry_after == 30  # no request reached the BRP
    fake.script = []
    now[0] = 31.0  # after the cool-down one trial goes through, and closes the circuit
    assert registry.lookup(CHILD) == ALIVE_CHILD
    assert not breaker.is_open


def test_a_timeout_is_unavailable_within_the_budget(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.delay_seconds = 1.0
    # The BRP would answer after a second, well within one attempt's own timeout: a client that let an
    # attempt run past its 0.3 s budget would get the person.
    with pytest.raises(RegistryUnavailable) as caught:
        _registry(root, budget=0.3, attempt_timeout=5.0).lookup(CHILD)
    assert CHILD not in str(caught.value)


def test_an_unreachable_brp_is_unavailable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(RegistryUnavailable, match="request failed"):
        _registry(f"http://127.0.0.1:{port}", budget=0.3).lookup(CHILD)


def test_a_500_carries_no_bsn(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.script = [Scripted(500, {"status": 500, "title": "Fout", "detail": f"fout bij {CHILD}"})]
    with pytest.raises(PersonRegistryError, match="500") as caught:
        _registry(root).lookup(CHILD)
    assert CHILD not in str(caught.value)


@pytest.mark.parametrize(
    "reply",
    [
        b"<html>proxy error</html>",
        b'{"personen": [{"burgerservicenummer": ',
        b'{"personen": "nobody"}',
        json.dumps({"personen": [{"burgerservicenummer": CHILD, "naam": {"volledigeNaam": "Sem de Vries"}}]}).encode(),
        json.dumps({"personen": [{**FULL_PERSON, "geslacht": {"code": "X"}}]}).encode(),
        json.dumps({"personen": [{**FULL_PERSON, "ouders": [{"burgerservicenummer": BAD_BSN}]}]}).encode(),
        json.dumps({"personen": [{**FULL_PERSON, "burgerservicenummer": GHOST}]}).encode(),
        json.dumps({"personen": [{**FULL_PERSON, "geboorte": {"datum": {"type": "Onzin"}}}]}).encode(),
    ],
)
def test_malformed_reply_is_an_error_without_bsn_or_name(brp: tuple[FakeBrp, str], reply: bytes) -> None:
    fake, root = brp
    fake.raw_reply = reply
    with pytest.raises(PersonRegistryError) as caught:
        _registry(root).lookup(CHILD)
    # Neither the message nor a logged traceback (with its chained causes) may show them.
    logged = "".join(traceback.format_exception(caught.value))
    for secret in (CHILD, GHOST, BAD_BSN, "Vries"):
        assert secret not in logged


# --- OAuth2 --------------------------------------------------------------------------------------


def _oauth_registry(root: str, now: list[float]) -> HaalCentraalPersonRegistry:
    http = pool()
    auth = OAuth2ClientCredentials(
        token_url=f"{root}/token",
        client_id=CLIENT_ID,
        client_secret=lambda: CLIENT_SECRET,
        http=http,
        clock=lambda: now[0],
    )
    return HaalCentraalPersonRegistry(root + PATH, BrpHttp(auth=auth, http=http, budget_seconds=2.0))


def test_an_oauth2_token_is_cached_until_it_expires(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.auth, fake.token_lifetime = "oauth2", 300
    now = [0.0]
    registry = _oauth_registry(root, now)
    assert registry.lookup(CHILD) == ALIVE_CHILD
    assert registry.lookup(CHILD) == ALIVE_CHILD
    assert fake.tokens_issued == 1
    now[0] = 280.0  # within the safety margin before expiry: a new token
    assert registry.lookup(CHILD) == ALIVE_CHILD
    assert fake.tokens_issued == 2


def test_a_revoked_token_is_replaced_once(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.auth = "oauth2"
    registry = _oauth_registry(root, [0.0])
    assert registry.lookup(CHILD) == ALIVE_CHILD
    fake.revoked.add("tok-1")
    assert registry.lookup(CHILD) == ALIVE_CHILD
    assert fake.tokens_issued == 2


def test_a_wrong_client_secret_is_misconfiguration(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.auth = "oauth2"
    http = pool()
    auth = OAuth2ClientCredentials(token_url=f"{root}/token", client_id=CLIENT_ID, client_secret="wrong", http=http)
    registry = HaalCentraalPersonRegistry(root + PATH, BrpHttp(auth=auth, http=http))
    with pytest.raises(RegistryMisconfigured, match="token endpoint answered HTTP 401"):
        registry.lookup(CHILD)


# --- status reads in batches, and the Update API -------------------------------------------------


def test_statuses_are_read_in_one_request_per_batch(brp: tuple[FakeBrp, str]) -> None:
    fake, root = brp
    fake.people[GHOST] = {
        "burgerservicenummer": GHOST,
        "gemeenteVanInschrijving": {"code": "1999", "omschrijving": "Registratie Niet Ingezetenen (RNI)"},
        "datumInschrijvingInGemeente": _datum("2026-09-01"),
        "opschortingBijhouding": _suspended("E", _datum("2026-09-01")),
    }
    fake.people[MOTHER] = {"burgerservicenummer": MOTHER, "opschortingBijhouding": _suspended("O", JAAR_MAAND)}
    statuses = {s.bsn: s for s in _registry(root, **PATIENT).statuses([CHILD, GHOST, MOTHER, FATHER])}
    (request,) = fake.requests
    assert request["burgerservicenummer"] == [CHILD, GHOST, MOTHER, FATHER]
    assert request["fields"] == list(STATUS_FIELDS)
    assert set(statuses) == {CHILD, GHOST, MOTHER}  # FATHER is not found
    assert statuses[GHOST].suspension is RecordSuspension.EMIGRATION
    assert (statuses[GHOST].municipality, statuses[GHOST].suspended_on) == ("1999", date(2026, 9, 1))
    assert statuses[MOTHER].deceased and statuses[MOTHER].death_date == date(2010, 5, 1)
    with pytest.raises(ValueError, match="at most 20"):
        _registry(root).statuses([CHILD] * 21)


def test_following_and_reading_changes_keep_the_bsn_out_of_logs(
    brp: tuple[FakeBrp, str], caplog: pytest.LogCaptureFixture
) -> None:
    fake, root = brp
    feed = UpdateApiChangeFeed(root + PATH + "update", _client(root))
    fake.changed = [CHILD, BAD_BSN, GHOST]
    with caplog.at_level(logging.DEBUG):
        feed.follow(CHILD, until=date(2032, 8, 30))
        feed.follow(CHILD, until=date(2032, 8, 30))  # placing it again is an update, not an error
        assert feed.changed_since(date(2026, 11, 22)) == [CHILD, GHOST]  # a malformed BSN is dropped
        fake.script = [Scripted(503, {"status": 503}) for _ in range(50)]
        with pytest.raises(RegistryUnavailable) as caught:
            UpdateApiChangeFeed(root + PATH + "update", _client(root, budget=0.2)).follow(GHOST, date(2030, 1, 1))
    assert fake.follows == {CHILD: "2032-08-30"}
    assert fake.paths == [f"{PATH}update/wijzigingen?vanaf=2026-11-22"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "volgindicaties" in logged  # urllib3 did log the request line ...
    assert CHILD not in logged and GHOST not in logged  # ... without the BSN
    assert GHOST not in "".join(traceback.format_exception(caught.value))


def test_update_api_calls_are_left_out_of_xray_traces(brp: tuple[FakeBrp, str]) -> None:
    import importlib

    xray_patch = importlib.import_module("aws_xray_sdk.ext.httplib.patch")
    _, root = brp
    before = set(xray_patch._XRAY_IGNORE)
    try:
        UpdateApiChangeFeed(root + PATH + "update", _client(root))
        added = set(xray_patch._XRAY_IGNORE) - before
        assert [rule.hostname for rule in added] == ["127.0.0.1"]  # the URL path would show the BSN
    finally:
        xray_patch._XRAY_IGNORE.clear()
        xray_patch._XRAY_IGNORE.update(before)
