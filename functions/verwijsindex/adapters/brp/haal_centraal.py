"""The person registry against Haal Centraal "BRP Personen Bevragen" API v2.

One POST per lookup (the API uses POST so no BSN ends up in URLs or access logs). We ask
only for the fields a signal needs (data minimisation), through `verblijfplaatsBinnenland`:
a client not authorised for addresses abroad gets 403 for the whole request when it asks for
`verblijfplaats`, and an address abroad is of no use to the index anyway. The API adds
`opschortingBijhouding`, `geheimhoudingPersoonsgegevens` and each group's `inOnderzoek`
unasked (asking for them is an error).

How the answer becomes a Youth (README "Connecting the BRP" has the whole policy):
- birth date: Datum as is; JaarMaandDatum and JaarDatum as their earliest day with their
  precision (domain/birth_dates.py decides per rule); DatumOnbekend: PersonNotUsable (422).
- a record suspended for death (O) is a death, dated by `overlijden` or else the suspension;
  emigration (E), RNI (R), ministerial decision (M) and unknown (.) are carried as `suspension`.
- `inOnderzoek` becomes `under_investigation`, shown in the family's dossier.
Every error message is generic: the API's problem details can echo the BSN.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from verwijsindex.adapters.brp.http import BrpHttp, parse_json
from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.models import Address, InvestigatedData, RecordSuspension, Youth
from verwijsindex.ports.person_registry import STATUS_BATCH, PersonNotUsable, PersonRegistryError, PersonStatus

# What we map, nothing more: the API returns only what is asked for.
FIELDS = (
    "burgerservicenummer",
    "naam",
    "geboorte.datum",
    "geslacht",
    "verblijfplaatsBinnenland",
    "gemeenteVanInschrijving",
    "ouders.burgerservicenummer",
    "overlijden.datum",
)
# What the change poller needs again: alive, and registered where since when.
STATUS_FIELDS = (
    "burgerservicenummer",
    "overlijden.datum",
    "gemeenteVanInschrijving",
    "datumInschrijvingInGemeente",
)

_SUSPENSION = {
    "O": RecordSuspension.DEATH,
    "E": RecordSuspension.EMIGRATION,
    "M": RecordSuspension.MINISTERIAL_DECISION,
    "R": RecordSuspension.NON_RESIDENT,
    ".": RecordSuspension.UNKNOWN,
}


class _In(BaseModel):
    # The API returns more than we map, and may add fields in minor versions.
    # Inputs are hidden from validation errors: they would carry a BSN or a name.
    model_config = ConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)


class _Datum(_In):
    """A polymorphic BRP date: Datum, JaarMaandDatum, JaarDatum or DatumOnbekend."""

    type: str = "Datum"
    datum: date | None = None
    jaar: int | None = None
    maand: int | None = None

    def earliest(self) -> tuple[date, BirthDatePrecision] | None:
        """The earliest day the date can be, with how much of it is known; None when unknown."""
        if self.type == "Datum" and self.datum is not None:
            return self.datum, BirthDatePrecision.DAY
        if self.type == "JaarMaandDatum" and self.jaar is not None and self.maand is not None:
            return date(self.jaar, self.maand, 1), BirthDatePrecision.MONTH
        if self.type == "JaarDatum" and self.jaar is not None:
            return date(self.jaar, 1, 1), BirthDatePrecision.YEAR
        if self.type == "DatumOnbekend":
            return None
        raise ValueError("unknown date shape")

    def earliest_day(self) -> date | None:
        found = self.earliest()
        return found[0] if found else None


class _InOnderzoek(_In):
    """Any group's `inOnderzoek`: field name -> true, plus the date the investigation began."""

    model_config = ConfigDict(extra="allow", frozen=True, hide_input_in_errors=True)

    def any(self, *names: str) -> bool:
        extra = self.model_extra or {}
        return any(extra.get(name) is True for name in names)


class _Naam(_In):
    volledigeNaam: str | None = None
    voornamen: str | None = None
    voorvoegsel: str | None = None
    geslachtsnaam: str | None = None
    inOnderzoek: _InOnderzoek | None = None

    def full(self) -> str:
        if self.volledigeNaam and self.volledigeNaam.strip():
            return self.volledigeNaam.strip()
        parts = (self.voornamen, self.voorvoegsel, self.geslachtsnaam)
        return " ".join(part.strip() for part in parts if part and part.strip())


class _Geboorte(_In):
    datum: _Datum | None = None
    inOnderzoek: _InOnderzoek | None = None


class _Overlijden(_In):
    datum: _Datum | None = None
    inOnderzoek: _InOnderzoek | None = None


class _Waardetabel(_In):
    code: str | None = None


class _Opschorting(_In):
    reden: _Waardetabel | None = None
    datum: _Datum | None = None


class _Verblijfadres(_In):
    officieleStraatnaam: str | None = None
    korteStraatnaam: str | None = None
    locatiebeschrijving: str | None = None  # type "Locatie": a houseboat, a caravan site
    huisnummer: int | None = None
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    inOnderzoek: _InOnderzoek | None = None


class _Verblijfplaats(_In):
    # "Adres", "Locatie", "VerblijfplaatsBuitenland" or "VerblijfplaatsOnbekend".
    type: str | None = None
    verblijfadres: _Verblijfadres | None = None
    inOnderzoek: _InOnderzoek | None = None


class _Ouder(_In):
    burgerservicenummer: str | None = None
    inOnderzoek: _InOnderzoek | None = None


class _Persoon(_In):
    burgerservicenummer: str
    naam: _Naam | None = None
    geboorte: _Geboorte | None = None
    geslacht: _Waardetabel | None = None
    verblijfplaats: _Verblijfplaats | None = None
    gemeenteVanInschrijving: _Waardetabel | None = None
    datumInschrijvingInGemeente: _Datum | None = None
    ouders: tuple[_Ouder, ...] = ()
    overlijden: _Overlijden | None = None
    opschortingBijhouding: _Opschorting | None = None
    geheimhoudingPersoonsgegevens: bool = False
    inOnderzoek: _InOnderzoek | None = None

    def suspension(self) -> RecordSuspension | None:
        if self.opschortingBijhouding is None or self.opschortingBijhouding.reden is None:
            return None
        return _SUSPENSION.get(self.opschortingBijhouding.reden.code or ".", RecordSuspension.UNKNOWN)

    def death_date(self, fallback: date | None) -> date | None:
        """A death, from `overlijden` or a record suspended for death; a death whose date is
        unknown is still a death, dated at the earliest day known to be safe (`fallback`)."""
        if self.overlijden is not None and self.overlijden.datum is not None:
            return self.overlijden.datum.earliest_day() or self._suspended_on() or fallback
        if self.suspension() is RecordSuspension.DEATH:
            return self._suspended_on() or fallback
        return None

    def _suspended_on(self) -> date | None:
        opschorting = self.opschortingBijhouding
        return opschorting.datum.earliest_day() if opschorting and opschorting.datum else None


class _Antwoord(_In):
    personen: tuple[_Persoon, ...] = ()


class HaalCentraalPersonRegistry:
    def __init__(self, base_url: str, http: BrpHttp) -> None:
        self._url = base_url.rstrip("/") + "/personen"
        self.http = http  # shared with the Update API: one token, one circuit breaker

    def lookup(self, bsn: str) -> Youth | None:
        personen = self._ask([bsn], FIELDS)
        if not personen:
            return None
        persoon = personen[0]
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

    def statuses(self, bsns: Sequence[str]) -> list[PersonStatus]:
        if len(bsns) > STATUS_BATCH:
            raise ValueError(f"at most {STATUS_BATCH} persons per request")
        if not bsns:
            return []
        asked = set(bsns)
        try:
            found = [_to_status(p) for p in self._ask(list(bsns), STATUS_FIELDS)]
        except (ValidationError, ValueError):
            raise PersonRegistryError("BRP person status cannot be mapped") from None
        if any(status.bsn not in asked for status in found):
            raise PersonRegistryError("BRP answered for another person than asked")
        return found

    def _ask(self, bsns: list[str], fields: tuple[str, ...]) -> tuple[_Persoon, ...]:
        body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": bsns, "fields": list(fields)}
        reply = self.http.send("POST", self._url, body, ok=frozenset({200}))
        data: Any = parse_json(reply, "BRP")
        try:
            return _Antwoord.model_validate(data).personen
        except ValidationError:
            # `from None`: the parser's error could quote the reply, BSN and name included.
            raise PersonRegistryError("BRP reply is not the expected JSON") from None


def _investigated(persoon: _Persoon) -> tuple[InvestigatedData, ...]:
    found: list[InvestigatedData] = []
    top = persoon.inOnderzoek
    plaats = persoon.verblijfplaats
    checks = (
        (InvestigatedData.NAME, persoon.naam is not None and persoon.naam.inOnderzoek is not None),
        (InvestigatedData.BIRTH_DATE, bool(persoon.geboorte and persoon.geboorte.inOnderzoek)),
        (InvestigatedData.SEX, bool(top and top.any("geslacht"))),
        (
            InvestigatedData.ADDRESS,
            bool(plaats and (plaats.inOnderzoek or (plaats.verblijfadres and plaats.verblijfadres.inOnderzoek))),
        ),
        (InvestigatedData.MUNICIPALITY, bool(top and top.any("gemeenteVanInschrijving"))),
        (InvestigatedData.PARENTS, any(o.inOnderzoek for o in persoon.ouders)),
        (InvestigatedData.DEATH, bool(persoon.overlijden and persoon.overlijden.inOnderzoek)),
    )
    for data, flagged in checks:
        if flagged:
            found.append(data)
    return tuple(found)


def _to_youth(persoon: _Persoon) -> Youth:
    datum = persoon.geboorte.datum if persoon.geboorte else None
    birth = datum.earliest() if datum else None
    if birth is None:
        # No age rule (23rd birthday, informing, who may ask) can be applied without any birth date.
        raise PersonNotUsable(
            "the BRP records this person's birth date as unknown, so the age rules of the index cannot be applied"
        )
    birth_date, precision = birth
    fields: dict[str, Any] = {
        "bsn": persoon.burgerservicenummer,
        "name": persoon.naam.full() if persoon.naam else "",
        "birth_date": birth_date,
        "birth_date_precision": precision,
        # BRP codes are M, V and O (onbekend); an absent sex is unknown too.
        "sex": (persoon.geslacht.code if persoon.geslacht else None) or "O",
        "address": _to_address(persoon),
        "parents": tuple(o.burgerservicenummer for o in persoon.ouders if o.burgerservicenummer),
        "death_date": persoon.death_date(fallback=birth_date),
        "suspension": persoon.suspension(),
        "under_investigation": _investigated(persoon),
        "confidential": persoon.geheimhoudingPersoonsgegevens,
    }
    return Youth.model_validate(fields)


def _to_status(persoon: _Persoon) -> PersonStatus:
    municipality = (persoon.gemeenteVanInschrijving.code or "") if persoon.gemeenteVanInschrijving else ""
    since = persoon.datumInschrijvingInGemeente
    opschorting = persoon.opschortingBijhouding
    return PersonStatus(
        bsn=persoon.burgerservicenummer,
        deceased=persoon.death_date(fallback=date.min) is not None,
        # Without a birth date asked for, an undated death has no date here: the poller dates it.
        death_date=persoon.death_date(fallback=None),
        municipality=municipality,
        registered_since=since.earliest_day() if since else None,
        suspension=persoon.suspension(),
        suspended_on=opschorting.datum.earliest_day() if opschorting and opschorting.datum else None,
    )


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
