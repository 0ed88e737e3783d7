"""The person registry against Haal Centraal "BRP Personen Bevragen" API v2.

One POST per lookup (the API uses POST so no BSN ends up in URLs or access logs).
We ask only for the fields a signal needs (data minimisation), and every error message
is generic: the API's problem details can echo the BSN, so we never pass them on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import urllib3
from pydantic import BaseModel, ConfigDict, ValidationError

from verwijsindex.adapters.brp.port import PersonRegistryError
from verwijsindex.domain.models import Address, Youth

# What we map, nothing more: the API returns only what is asked for.
FIELDS = (
    "burgerservicenummer",
    "naam",
    "geboorte.datum",
    "geslacht",
    "verblijfplaats",
    "gemeenteVanInschrijving",
    "ouders.burgerservicenummer",
    "overlijden.datum",
)


class _In(BaseModel):
    # The API returns more than we map, and may add fields in minor versions.
    # Inputs are hidden from validation errors: they would carry a BSN or a name.
    model_config = ConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)


class _Datum(_In):
    """A polymorphic BRP date: full (Datum), year-month, year only, or unknown."""

    type: str = "Datum"
    datum: date | None = None
    jaar: int | None = None
    maand: int | None = None

    def earliest(self) -> date | None:
        """The earliest day the date can be; incomplete BRP dates are common after immigration.

        Earliest is the safe side for us: a birthday reached earlier destroys signals
        sooner, and a death is never missed.
        """
        if self.datum is not None:
            return self.datum
        if self.jaar is not None:
            return date(self.jaar, self.maand or 1, 1)
        return None


class _Naam(_In):
    volledigeNaam: str | None = None
    voornamen: str | None = None
    voorvoegsel: str | None = None
    geslachtsnaam: str | None = None

    def full(self) -> str:
        if self.volledigeNaam and self.volledigeNaam.strip():
            return self.volledigeNaam.strip()
        parts = (self.voornamen, self.voorvoegsel, self.geslachtsnaam)
        return " ".join(part.strip() for part in parts if part and part.strip())


class _Geboorte(_In):
    datum: _Datum | None = None


class _Overlijden(_In):
    datum: _Datum | None = None


class _Waardetabel(_In):
    code: str | None = None


class _Verblijfadres(_In):
    officieleStraatnaam: str | None = None
    korteStraatnaam: str | None = None
    locatiebeschrijving: str | None = None  # type "Locatie": a houseboat, a caravan site
    huisnummer: int | None = None
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None


class _Verblijfplaats(_In):
    # "Adres", "Locatie", "VerblijfplaatsBuitenland" or "VerblijfplaatsOnbekend".
    type: str | None = None
    verblijfadres: _Verblijfadres | None = None


class _Ouder(_In):
    burgerservicenummer: str | None = None


class _Persoon(_In):
    burgerservicenummer: str
    naam: _Naam | None = None
    geboorte: _Geboorte | None = None
    geslacht: _Waardetabel | None = None
    verblijfplaats: _Verblijfplaats | None = None
    gemeenteVanInschrijving: _Waardetabel | None = None
    ouders: tuple[_Ouder, ...] = ()
    overlijden: _Overlijden | None = None


class _Antwoord(_In):
    personen: tuple[_Persoon, ...] = ()


class HaalCentraalPersonRegistry:
    def __init__(
        self,
        base_url: str,
        api_key: str | Callable[[], str],
        timeout_seconds: float = 5.0,
        http: urllib3.PoolManager | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/personen"
        # A callable lets the key come from a secret store and be rotated without a redeploy.
        self._api_key = api_key
        self._timeout = urllib3.Timeout(total=timeout_seconds)
        # One connect retry is harmless; a read retry could double the wait of a slow BRP.
        self._http = http or urllib3.PoolManager(retries=urllib3.Retry(connect=1, read=False, redirect=False))

    def lookup(self, bsn: str) -> Youth | None:
        body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": FIELDS}
        try:
            response = self._http.request(
                "POST",
                self._url,
                body=json.dumps(body).encode(),
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                    "X-API-Key": self._key(),
                },
                timeout=self._timeout,
            )
        except urllib3.exceptions.HTTPError as error:
            # urllib3 messages name only the host and the path, never the body.
            raise PersonRegistryError(f"BRP request failed: {type(error).__name__}") from error
        if not 200 <= response.status < 300:
            raise PersonRegistryError(f"BRP answered HTTP {response.status}")
        try:
            answer = _Antwoord.model_validate(json.loads(response.data))
        except (ValueError, ValidationError):
            # `from None`: the parser's error could quote the reply, BSN and name included.
            raise PersonRegistryError("BRP reply is not the expected JSON") from None
        if not answer.personen:
            return None
        persoon = answer.personen[0]
        if persoon.burgerservicenummer != bsn:
            raise PersonRegistryError("BRP answered for another person than asked")
        try:
            return _to_youth(persoon)
        except ValidationError as error:
            # Name only the fields that failed: pydantic's own message quotes their values.
            failed = sorted({str(detail["loc"][0]) for detail in error.errors() if detail["loc"]})
            raise PersonRegistryError(f"BRP person cannot be mapped: {', '.join(failed)}") from None
        except ValueError:
            raise PersonRegistryError("BRP person cannot be mapped") from None

    def _key(self) -> str:
        if isinstance(self._api_key, str):
            return self._api_key
        try:
            return self._api_key()
        except Exception as error:
            raise PersonRegistryError("BRP API key is not available") from error


def _to_youth(persoon: _Persoon) -> Youth:
    birth_date = persoon.geboorte.datum.earliest() if persoon.geboorte and persoon.geboorte.datum else None
    if birth_date is None:
        # Without a birth date no age rule can be applied, so the person is unusable.
        raise PersonRegistryError("BRP person has no usable birth date")
    death_date: date | None = None
    if persoon.overlijden is not None and persoon.overlijden.datum is not None:
        # A death with a fully unknown date is still a death: date it at the earliest
        # possible day, the birth date, so every rule treats the person as deceased.
        death_date = persoon.overlijden.datum.earliest() or birth_date
    fields: dict[str, Any] = {
        "bsn": persoon.burgerservicenummer,
        "name": persoon.naam.full() if persoon.naam else "",
        "birth_date": birth_date,
        # BRP codes are M, V and O (onbekend); an absent sex is unknown too.
        "sex": (persoon.geslacht.code if persoon.geslacht else None) or "O",
        "address": _to_address(persoon),
        "parents": tuple(o.burgerservicenummer for o in persoon.ouders if o.burgerservicenummer),
        "death_date": death_date,
    }
    return Youth.model_validate(fields)


def _to_address(persoon: _Persoon) -> Address | None:
    plaats = persoon.verblijfplaats
    if plaats is None or plaats.type not in {"Adres", "Locatie"} or plaats.verblijfadres is None:
        # Abroad (its verblijfadres holds free address lines) or unknown: no Dutch address.
        return None
    adres = plaats.verblijfadres
    number = "" if adres.huisnummer is None else str(adres.huisnummer)
    number += adres.huisletter or ""
    if adres.huisnummertoevoeging:
        number += f"-{adres.huisnummertoevoeging}"
    municipality = persoon.gemeenteVanInschrijving
    return Address(
        street=adres.officieleStraatnaam or adres.korteStraatnaam or adres.locatiebeschrijving or "",
        house_number=number,
        postcode=adres.postcode or "",
        city=adres.woonplaats or "",
        municipality_code=(municipality.code or "") if municipality else "",
    )
