"""The dossier as a printable Dutch HTML document (assembled in `dossier.py`). Every value is
escaped; nothing is loaded from outside the document."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.matches import MatchKind
from verwijsindex.domain.models import Informed, InformedStatus, InvestigatedData, SignalStatus
from verwijsindex.logic.rights_schemas import Dossier

_STATUS = {SignalStatus.ACTIVE: "actief", SignalStatus.CLOSED: "gesloten", SignalStatus.DESTROYED: "vernietigd"}
_STYLE = (
    "body{font-family:sans-serif;max-width:50em;margin:2em auto}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1em}"
    "th,td{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}"
    "@media print{section{page-break-inside:avoid}}"
)


_RECEIVED = {
    "signal": "plaatste een signaal",
    "client_match": "ontving contactgegevens na een match",
    "national_index": (
        "ontving, zolang een signaal actief was, een pseudoniem (geen BSN, geen naam), de organisatie en de "
        "contactgegevens van de professional, om matches met andere regio's te vinden"
    ),
}


_INVESTIGATED = {
    InvestigatedData.NAME: "naam",
    InvestigatedData.BIRTH_DATE: "geboortedatum",
    InvestigatedData.SEX: "geslacht",
    InvestigatedData.ADDRESS: "adres",
    InvestigatedData.MUNICIPALITY: "gemeente van inschrijving",
    InvestigatedData.PARENTS: "ouders",
    InvestigatedData.DEATH: "overlijden",
}


def _birth_date(earliest: date, precision: BirthDatePrecision) -> str:
    if precision is BirthDatePrecision.YEAR:
        return f"{earliest.year} (maand en dag onbekend)"
    if precision is BirthDatePrecision.MONTH:
        return f"{earliest.year}-{earliest.month:02d} (dag onbekend)"
    return earliest.isoformat()


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _informed(informed: Informed | None) -> str:
    if informed is None:
        return "niet vastgelegd"
    if informed.status is InformedStatus.YES:
        return f"ja, bevestigd op {informed.on.isoformat()}"
    return f"nog niet; de professional gaf op {informed.on.isoformat()} aan dit te zullen doen"


def _rows(rows: Sequence[tuple[str, object]]) -> str:
    return "".join(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>" for label, value in rows)


def render_dossier(dossier: Dossier) -> str:
    person = dossier.person
    address = person.address
    person_rows: list[tuple[str, object]] = [
        ("Naam", person.name),
        ("Geboortedatum", _birth_date(person.birth_date, person.birth_date_precision)),
        ("Geslacht", person.sex),
    ]
    if address is not None:
        person_rows.append(("Adres", f"{address.street} {address.house_number}, {address.postcode} {address.city}"))
    if person.death_date is not None:
        person_rows.append(("Overleden op", person.death_date.isoformat()))
    if person.under_investigation:
        investigated = ", ".join(_INVESTIGATED[data] for data in person.under_investigation)
        person_rows.append(("In onderzoek bij de BRP", f"{investigated} (deze gegevens kunnen onjuist zijn)"))
    if person.confidential:
        person_rows.append(("Geheimhouding", "ja: de BRP verstrekt deze gegevens niet aan derden"))

    signals = []
    for s in dossier.signals:
        rows: list[tuple[str, object]] = [
            ("Signaal", s.signal_id),
            ("Organisatie", f"{s.organisation.name} ({s.organisation.org_id})"),
            ("Professional", s.professional.name),
            ("E-mail", s.professional.email),
            ("Telefoon", s.professional.phone),
            ("Kenmerk van de organisatie", s.client_reference),
            ("Status", _STATUS[s.status]),
            ("Geplaatst op", s.placed_at.date().isoformat()),
            ("Actief van", s.active_from.isoformat()),
            ("Actief tot en met", s.active_until.isoformat()),
        ]
        if s.closed_on is not None:
            rows.append(("Gesloten op", s.closed_on.isoformat()))
        rows.append(("Gezin geïnformeerd", _informed(s.informed)))
        rows.append(("Uiterlijk vernietigd op", s.destroy_on.isoformat()))
        # What the signal keeps for the statistics (counted without personal data).
        rows.append(("Voor de statistiek: gemeente en leeftijdsgroep bij plaatsing", f"{s.municipality}, {s.age_band}"))
        signals.append(f'<table class="signal" id="signal-{_e(s.signal_id)}">{_rows(rows)}</table>')
    signals_html = "".join(signals) or "<p>Er staan geen signalen op naam van deze jeugdige.</p>"

    match_rows = []
    for m in dossier.matches:
        if m.kind is MatchKind.CLIENT and m.other_organisation is not None:
            what = f"Match met {m.other_organisation.name} ({m.other_organisation.org_id})"
        else:
            what = "Gezinsmatch (een broer of zus is ook gesignaleerd)"
        status = "afgestemd" if m.status.value == "coordinated" else "open"
        match_rows.append(
            f"<tr><td>{_e(m.created_at.date().isoformat())}</td><td>{_e(what)}</td>"
            f"<td>{_e(m.signal_id)}</td><td>{_e(status)}</td></tr>"
        )
    matches_html = (
        "<table><tr><th>Datum</th><th>Match</th><th>Signaal</th><th>Status</th></tr>" + "".join(match_rows) + "</table>"
        if match_rows
        else "<p>Er zijn geen matches.</p>"
    )
    recipients = "".join(
        f"<li>{_e(r.organisation.name)} ({_e(r.organisation.org_id)}): {_RECEIVED[r.via]}</li>"
        for r in dossier.recipients
    )
    if dossier.family_matches:
        recipients += (
            f"<li>Bij {dossier.family_matches} gezinsmatch(es) ontving een organisatie die betrokken is bij een "
            "broer of zus de contactgegevens van de professional (welke organisatie, zeggen wij niet: "
            "dat gaat over een ander).</li>"
        )
    sources = "".join(f"<li>{_e(s.data)}: {_e(s.source)}</li>" for s in dossier.sources)
    title = "Overzicht van gegevens in de Verwijsindex"
    return (
        f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{_STYLE}</style></head>\n<body>\n"
        f"<h1>{_e(title)}</h1>\n"
        f"<p>Verzoek {_e(dossier.request_id)}, opgesteld op {_e(dossier.produced_on.isoformat())}.</p>\n"
        f"<section><h2>Doel van de verwijsindex</h2><p>{_e(dossier.purpose)}</p></section>\n"
        f"<section><h2>Persoonsgegevens (uit de BRP, niet opgeslagen)</h2><table>{_rows(person_rows)}</table>"
        "</section>\n"
        f"<section><h2>Signalen</h2>{signals_html}</section>\n"
        f"<section><h2>Matches</h2>{matches_html}</section>\n"
        f"<section><h2>Ontvangers van gegevens</h2><ul>{recipients or '<li>Niemand.</li>'}</ul></section>\n"
        f"<section><h2>Herkomst van de gegevens</h2><ul>{sources}</ul></section>\n"
        "</body></html>\n"
    )
