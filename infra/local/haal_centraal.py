"""The fake BRP behind Haal Centraal's own endpoints, so `make run` uses the real adapters.

A small HTTP server on loopback (its own port: a lookup made while the local API handles a
request must not wait for that request's lock) serves, from the FakePersonRegistry that
`POST /_local/brp/persons` fills:

- BRP Personen Bevragen: `POST {BEVRAGEN_PATH}/personen` (RaadpleegMetBurgerservicenummer,
  up to 20 BSNs, `fields` honoured per top-level group; opschortingBijhouding,
  geheimhoudingPersoonsgegevens and inOnderzoek delivered unasked, as the specification says);
- BRP Update API: `PUT {UPDATE_PATH}/volgindicaties/{bsn}` and `GET {UPDATE_PATH}/wijzigingen?vanaf=`.

It checks the `X-API-Key` and answers problem details shaped like the specification's. The
shapes are written from the public specification; the people are the fake BRP's.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.domain.models import InvestigatedData, RecordSuspension, Youth

BEVRAGEN_PATH = "/haalcentraal/api/brp"
UPDATE_PATH = "/haalcentraal/api/brpupdate"
LOCAL_API_KEY = "local-only-brp-api-key"
_NUMBER = re.compile(r"^([0-9]{1,5})([A-Za-z]?)(?:-(.{1,4}))?$")
_SUSPENSION_CODES = {
    RecordSuspension.DEATH: ("O", "overlijden"),
    RecordSuspension.EMIGRATION: ("E", "emigratie"),
    RecordSuspension.MINISTERIAL_DECISION: ("M", "ministerieel besluit"),
    RecordSuspension.NON_RESIDENT: ("R", "pl is aangelegd in de rni"),
    RecordSuspension.UNKNOWN: (".", "onbekend"),
}
_SEX = {"M": "man", "V": "vrouw", "O": "onbekend"}


def _datum(day: date, precision: BirthDatePrecision = BirthDatePrecision.DAY) -> dict[str, Any]:
    if precision is BirthDatePrecision.YEAR:
        return {"type": "JaarDatum", "jaar": day.year, "langFormaat": str(day.year)}
    if precision is BirthDatePrecision.MONTH:
        return {
            "type": "JaarMaandDatum",
            "jaar": day.year,
            "maand": day.month,
            "langFormaat": f"{day.month}-{day.year}",
        }
    return {"type": "Datum", "datum": day.isoformat(), "langFormaat": day.isoformat()}


def _verblijfplaats(person: Youth) -> dict[str, Any] | None:
    address = person.address
    if address is None:
        return None
    number = _NUMBER.match(address.house_number)
    if number is None:  # no house number: a Locatie (a houseboat, a caravan site)
        description = f"{address.street} {address.house_number}".strip()
        return {"type": "Locatie", "verblijfadres": {"locatiebeschrijving": description}}
    adres: dict[str, Any] = {
        "officieleStraatnaam": address.street,
        "huisnummer": int(number.group(1)),
        "postcode": address.postcode,
        "woonplaats": address.city,
    }
    if number.group(2):
        adres["huisletter"] = number.group(2)
    if number.group(3):
        adres["huisnummertoevoeging"] = number.group(3)
    return {"type": "Adres", "verblijfadres": adres, "functieAdres": {"code": "W", "omschrijving": "woonadres"}}


def persoon(person: Youth, fields: list[str], registered_since: date | None = None) -> dict[str, Any]:
    """One person in the shape of the specification, with the groups asked for."""
    groups = {field.split(".")[0] for field in fields}
    found: dict[str, Any] = {"burgerservicenummer": person.bsn}
    investigated = set(person.under_investigation)
    since = {"datumIngangOnderzoek": _datum(date(2026, 1, 1))}
    if "naam" in groups:
        found["naam"] = {"volledigeNaam": person.name}
        if InvestigatedData.NAME in investigated:
            found["naam"]["inOnderzoek"] = {"volledigeNaam": True, **since}
    if "geboorte" in groups:
        found["geboorte"] = {"datum": _datum(person.birth_date, person.birth_date_precision)}
        if InvestigatedData.BIRTH_DATE in investigated:
            found["geboorte"]["inOnderzoek"] = {"datum": True, **since}
    if "geslacht" in groups:
        found["geslacht"] = {"code": person.sex, "omschrijving": _SEX[person.sex]}
    municipality = person.address.municipality_code if person.address else ""
    if person.suspension in {RecordSuspension.EMIGRATION, RecordSuspension.NON_RESIDENT}:
        municipality = "1999"
    elif groups & {"verblijfplaatsBinnenland", "verblijfplaats"} and (plaats := _verblijfplaats(person)):
        found["verblijfplaats"] = plaats
        if InvestigatedData.ADDRESS in investigated:
            plaats["inOnderzoek"] = {"type": True, **since}
    if "gemeenteVanInschrijving" in groups and municipality:
        found["gemeenteVanInschrijving"] = {"code": municipality, "omschrijving": f"gemeente {municipality}"}
    if "datumInschrijvingInGemeente" in groups and registered_since is not None:
        found["datumInschrijvingInGemeente"] = _datum(registered_since)
    if "ouders" in groups and person.parents:
        found["ouders"] = [
            {"burgerservicenummer": bsn, "ouderAanduiding": str(index)} for index, bsn in enumerate(person.parents, 1)
        ]
    if "overlijden" in groups and person.death_date is not None:
        found["overlijden"] = {"datum": _datum(person.death_date)}
    return found | _unasked(person)


def _unasked(person: Youth) -> dict[str, Any]:
    """What the BRP delivers without being asked: suspension, confidentiality, investigation."""
    found: dict[str, Any] = {}
    if person.suspension is not None:
        code, words = _SUSPENSION_CODES[person.suspension]
        on = person.death_date if person.suspension is RecordSuspension.DEATH and person.death_date else None
        found["opschortingBijhouding"] = {
            "reden": {"code": code, "omschrijving": words},
            "datum": _datum(on) if on else {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"},
        }
    if person.confidential:
        found["geheimhoudingPersoonsgegevens"] = True
    top = {InvestigatedData.SEX: "geslacht", InvestigatedData.MUNICIPALITY: "gemeenteVanInschrijving"}
    flagged = {name: True for data, name in top.items() if data in person.under_investigation}
    if flagged:
        found["inOnderzoek"] = flagged | {"datumIngangOnderzoekPersoon": _datum(date(2026, 1, 1))}
    return found


def _params_problem(instance: str, name: str, code: str, reason: str) -> tuple[int, dict[str, Any]]:
    return 400, {
        "type": "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
        "title": "Een of meerdere parameters zijn niet correct.",
        "status": 400,
        "detail": f"De foutieve parameter(s) zijn: {name}.",
        "instance": instance,
        "code": "paramsValidation",
        "invalidParams": [{"code": code, "name": name, "reason": reason}],
    }


class FakeHaalCentraal:
    """The endpoints, over a FakePersonRegistry; `start` serves them on a loopback port."""

    def __init__(self, persons: FakePersonRegistry, api_key: str = LOCAL_API_KEY) -> None:
        self.persons = persons
        self.api_key = api_key
        self._server: ThreadingHTTPServer | None = None

    def answer(self, method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(url)
        if headers.get("x-api-key") != self.api_key:
            return 401, {"title": "Niet correct geauthenticeerd.", "status": 401, "code": "authentication"}
        if method == "POST" and parts.path == f"{BEVRAGEN_PATH}/personen":
            return self._personen(parts.path, body)
        if method == "PUT" and parts.path.startswith(f"{UPDATE_PATH}/volgindicaties/"):
            return self._volg(parts.path, body)
        if method == "GET" and parts.path == f"{UPDATE_PATH}/wijzigingen":
            vanaf = parse_qs(parts.query).get("vanaf", [""])[0]
            try:
                day = date.fromisoformat(vanaf)
            except ValueError:
                return _params_problem(parts.path, "vanaf", "date", "Waarde is geen geldige datum.")
            return 200, {"burgerservicenummers": self.persons.changed_since(day)}
        return 404, {"title": "Opgevraagde resource bestaat niet.", "status": 404, "code": "notFound"}

    def _personen(self, instance: str, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            request = json.loads(body)
        except ValueError:
            return _params_problem(instance, "body", "json", "Geen geldige JSON.")
        if not isinstance(request, dict) or request.get("type") != "RaadpleegMetBurgerservicenummer":
            return _params_problem(instance, "type", "value", "Waarde wordt niet ondersteund.")
        bsns, fields = request.get("burgerservicenummer"), request.get("fields")
        if not isinstance(bsns, list) or not 1 <= len(bsns) <= 20:
            return _params_problem(instance, "burgerservicenummer", "maxItems", "Array bevat 1 tot 20 items.")
        if not isinstance(fields, list) or not fields:
            return _params_problem(instance, "fields", "required", "Parameter is verplicht.")
        for index, name in enumerate(fields):
            if str(name).split(".")[0] in {"opschortingBijhouding", "geheimhoudingPersoonsgegevens", "inOnderzoek"}:
                reason = "Parameter bevat een niet toegestane veldnaam."
                return _params_problem(instance, f"fields[{index}]", "fields", reason)
        found = []
        for bsn in bsns:
            person = self.persons.recorded(str(bsn))
            if person is not None:
                found.append(persoon(person, [str(f) for f in fields], self.persons.registered_since(person.bsn)))
        return 200, {"type": "RaadpleegMetBurgerservicenummer", "personen": found}

    def _volg(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        bsn = path.rsplit("/", 1)[1]
        if not passes_elfproef(bsn):
            return _params_problem(path, "burgerservicenummer", "pattern", "Waarde voldoet niet aan patroon.")
        try:
            until = date.fromisoformat(json.loads(body)["einddatum"])
        except (ValueError, KeyError, TypeError):
            return _params_problem(path, "einddatum", "date", "Waarde is geen geldige datum.")
        known = bsn in self.persons.follows
        self.persons.follow(bsn, until)
        return (200 if known else 201), {"burgerservicenummer": bsn, "einddatum": until.isoformat()}

    def environment(self, base_url: str) -> dict[str, str]:
        """The functions' BRP settings (functions/verwijsindex/config.py) for these endpoints."""
        return {
            "BRP_MODE": "haal_centraal",
            "BRP_BASE_URL": base_url + BEVRAGEN_PATH,
            "BRP_UPDATE_BASE_URL": base_url + UPDATE_PATH,
            "BRP_AUTH": "api_key",
            "BRP_API_KEY": self.api_key,
        }

    # --- serving -----------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on a thread; the base URL (scheme, host, port) is returned."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, payload = fake.answer(self.command, self.path, headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/problem+json" if status >= 400 else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the Update API's paths hold BSNs: nothing is logged

        server = ThreadingHTTPServer((host, port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        self._server = server
        return f"http://{host}:{server.server_port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
