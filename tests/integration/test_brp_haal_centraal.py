"""The Haal Centraal adapter against a small fake BRP Personen API v2 on loopback."""

from __future__ import annotations

import json
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from verwijsindex.adapters.brp.haal_centraal import FIELDS, HaalCentraalPersonRegistry
from verwijsindex.adapters.brp.port import PersonRegistryError
from verwijsindex.domain.models import Address, Youth

API_KEY = "test-key-123"
CHILD, FATHER, MOTHER, GHOST = "999990147", "999990007", "999990056", "999991309"
BAD_BSN = "999990000"  # fails the elfproef


def _datum(value: str) -> dict[str, Any]:
    return {"type": "Datum", "datum": value, "langFormaat": "(niet gebruikt)"}


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
    "overlijden": {"datum": _datum("2026-10-01")},
}


@dataclass
class FakeBrp:
    """State of the fake API: who it knows and how it should misbehave."""

    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: int = 200
    raw_reply: bytes | None = None
    delay_seconds: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    shape_errors: list[str] = field(default_factory=list)


def _shape_problems(accept: str | None, content_type: str | None, request: Any) -> list[str]:
    problems = []
    if accept != "application/json" or content_type != "application/json":
        problems.append(f"headers: {accept=} {content_type=}")
    if not isinstance(request, dict) or set(request) != {"type", "burgerservicenummer", "fields"}:
        return [*problems, "body keys"]
    if request["type"] != "RaadpleegMetBurgerservicenummer":
        problems.append("type")
    bsns = request["burgerservicenummer"]
    if not (isinstance(bsns, list) and len(bsns) == 1 and isinstance(bsns[0], str)):
        problems.append("burgerservicenummer must be a list of one string")
    fields = request["fields"]
    if not (isinstance(fields, list) and fields and all(isinstance(f, str) for f in fields)):
        problems.append("fields must be a non-empty list of strings")
    return problems


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        brp = self.server.brp
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(brp.delay_seconds)
        if self.path != "/haalcentraal/api/brp/personen":
            return self._reply(404, {"title": "not found"})
        if self.headers.get("X-API-Key") != API_KEY:
            return self._reply(401, {"title": "Niet correct geauthenticeerd."})
        request = json.loads(body)
        brp.requests.append(request)
        problems = _shape_problems(self.headers.get("Accept"), self.headers.get("Content-Type"), request)
        if problems:
            # Recorded, not asserted here: an assert in the server thread would be lost.
            brp.shape_errors.extend(problems)
            return self._reply(400, {"title": "Ongeldige vraag"})
        (bsn,) = request["burgerservicenummer"]
        if brp.status != 200:
            # Real problem details may name the BSN; the adapter must not pass it on.
            return self._reply(brp.status, {"title": "Fout", "detail": f"fout bij {bsn}"})
        if brp.raw_reply is not None:
            return self._send(200, brp.raw_reply)
        found = [brp.people[bsn]] if bsn in brp.people else []
        return self._reply(200, {"type": "RaadpleegMetBurgerservicenummer", "personen": found})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode())

    def _send(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    brp: FakeBrp


@pytest.fixture
def brp() -> Iterator[tuple[FakeBrp, str]]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.brp = FakeBrp(people={CHILD: FULL_PERSON})
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield server.brp, f"http://{host!s}:{port}/haalcentraal/api/brp"
    finally:
        server.shutdown()
        server.server_close()
    assert server.brp.shape_errors == []


def test_full_person_maps_to_youth(brp: tuple[FakeBrp, str]) -> None:
    fake, url = brp
    youth = HaalCentraalPersonRegistry(url, API_KEY).lookup(CHILD)
    assert youth == Youth(
        bsn=CHILD,
        name="Sem Pieter de Vries",
        birth_date=date(2009, 8, 30),
        sex="M",
        address=Address(
            street="Tulpstraat",
            house_number="12A-2",
            postcode="1015AB",
            city="Amsterdam",
            municipality_code="0363",
        ),
        parents=(FATHER, MOTHER),
        death_date=date(2026, 10, 1),
    )
    (request,) = fake.requests
    assert request == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [CHILD],
        "fields": list(FIELDS),
    }


def test_name_is_composed_when_volledige_naam_is_absent(brp: tuple[FakeBrp, str]) -> None:
    fake, url = brp
    person = {**FULL_PERSON, "naam": {"voornamen": "Sem", "voorvoegsel": "de", "geslachtsnaam": "Vries"}}
    fake.people[CHILD] = person
    youth = HaalCentraalPersonRegistry(url, API_KEY).lookup(CHILD)
    assert youth is not None and youth.name == "Sem de Vries"


def test_minimal_person_abroad_alive_without_parents(brp: tuple[FakeBrp, str]) -> None:
    fake, url = brp
    fake.people[GHOST] = {
        "burgerservicenummer": GHOST,
        "naam": {"voornamen": "Kim", "geslachtsnaam": "Smit"},
        "geboorte": {"datum": {"type": "JaarMaandDatum", "jaar": 2010, "maand": 5, "langFormaat": "mei 2010"}},
        "geslacht": {"code": "O", "omschrijving": "onbekend"},
        "verblijfplaats": {
            "type": "VerblijfplaatsBuitenland",
            "verblijfadres": {"regel1": "Rue de la Paix 1", "regel2": "Paris", "land": {"code": "5002"}},
        },
    }
    youth = HaalCentraalPersonRegistry(url, API_KEY).lookup(GHOST)
    # An incomplete birth date takes its earliest day: the safe side for the age rules.
    assert youth == Youth(bsn=GHOST, name="Kim Smit", birth_date=date(2010, 5, 1), sex="O")


def test_death_with_unknown_date_still_counts_as_death(brp: tuple[FakeBrp, str]) -> None:
    fake, url = brp
    unknown = {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}
    fake.people[CHILD] = {**FULL_PERSON, "overlijden": {"datum": unknown}}
    youth = HaalCentraalPersonRegistry(url, API_KEY).lookup(CHILD)
    assert youth is not None and youth.death_date == youth.birth_date == date(2009, 8, 30)


def test_unknown_bsn_is_none(brp: tuple[FakeBrp, str]) -> None:
    _, url = brp
    assert HaalCentraalPersonRegistry(url, API_KEY).lookup(GHOST) is None


def test_api_key_can_come_from_a_callable(brp: tuple[FakeBrp, str]) -> None:
    _, url = brp
    calls: list[int] = []

    def key() -> str:
        calls.append(1)
        return API_KEY

    registry = HaalCentraalPersonRegistry(url, key)
    assert registry.lookup(CHILD) is not None
    assert registry.lookup(CHILD) is not None
    assert len(calls) == 2  # asked per request, so a rotated key is picked up


def test_wrong_api_key_is_an_error(brp: tuple[FakeBrp, str]) -> None:
    _, url = brp
    with pytest.raises(PersonRegistryError, match="401"):
        HaalCentraalPersonRegistry(url, "wrong-key").lookup(CHILD)


def test_server_error_is_an_error_without_the_bsn(brp: tuple[FakeBrp, str]) -> None:
    fake, url = brp
    fake.status = 500
    with pytest.raises(PersonRegistryError, match="500") as caught:
        HaalCentraalPersonRegistry(url, API_KEY).lookup(CHILD)
    assert CHILD not in str(caught.value)
    assert fake.requests  # the request did reach the server


@pytest.mark.parametrize(
    "reply",
    [
        b"<html>proxy error</html>",
        b'{"personen": [{"burgerservicenummer": ',
        b'{"personen": "nobody"}',
        # Valid JSON but unmappable: no birth date.
        json.dumps({"personen": [{"burgerservicenummer": CHILD, "naam": {"volledigeNaam": "Sem de Vries"}}]}).encode(),
        # Valid JSON but unmappable: a sex code outside M/V/O.
        json.dumps({"personen": [{**FULL_PERSON, "geslacht": {"code": "X"}}]}).encode(),
        # Valid JSON but unmappable: a parent BSN that fails the elfproef.
        json.dumps({"personen": [{**FULL_PERSON, "ouders": [{"burgerservicenummer": BAD_BSN}]}]}).encode(),
        # An answer about another person than asked.
        json.dumps({"personen": [{**FULL_PERSON, "burgerservicenummer": GHOST}]}).encode(),
    ],
)
def test_malformed_reply_is_an_error_without_bsn_or_name(brp: tuple[FakeBrp, str], reply: bytes) -> None:
    fake, url = brp
    fake.raw_reply = reply
    with pytest.raises(PersonRegistryError) as caught:
        HaalCentraalPersonRegistry(url, API_KEY).lookup(CHILD)
    # Neither the message nor a logged traceback (with its chained causes) may show them.
    logged = "".join(traceback.format_exception(caught.value))
    assert "PersonRegistryError" in logged
    for secret in (CHILD, GHOST, BAD_BSN, "Vries"):
        assert secret not in logged


def test_timeout_is_an_error(brp: tuple[FakeBrp, str]) -> None:
    fake, url = brp
    fake.delay_seconds = 1.0
    started = time.monotonic()
    with pytest.raises(PersonRegistryError) as caught:
        HaalCentraalPersonRegistry(url, API_KEY, timeout_seconds=0.2).lookup(CHILD)
    assert time.monotonic() - started < 0.9
    assert CHILD not in str(caught.value)


def test_unreachable_server_is_an_error() -> None:
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PersonRegistryError, match="request failed"):
        HaalCentraalPersonRegistry(f"http://127.0.0.1:{port}", API_KEY, timeout_seconds=0.5).lookup(CHILD)
