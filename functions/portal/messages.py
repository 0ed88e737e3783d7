"""The use cases speak English to API clients; the portal says the same in plain Dutch."""

from __future__ import annotations

import re

from verwijsindex.domain.errors import DomainError, Forbidden, NotFound

# (start of the use case's message, what the professional reads)
_KNOWN: tuple[tuple[str, str], ...] = (
    (
        "the person registry (BRP) knows no person with this BSN and date of birth",
        "Het BSN en de geboortedatum horen volgens de BRP niet bij één persoon. Controleer beide.",
    ),
    ("the person registry records this youth as deceased", "Volgens de BRP is deze jeugdige overleden."),
    ("the youth is", "Deze persoon is 23 jaar of ouder. De Verwijsindex is voor jeugdigen tot 23 jaar."),
    ("the youth's birth date lies in the future", "Volgens de BRP is deze jeugdige nog niet geboren."),
    ("active_until lies in the past", "Kies een einddatum vanaf vandaag."),
    ("a signal is active at most", "Een signaal is hoogstens twee jaar actief. Kies een eerdere einddatum."),
    ("your organisation is suspended", "Uw organisatie is geschorst en kan nu geen signalen afgeven."),
    ("your organisation is not registered", "Uw organisatie is niet aangesloten bij deze Verwijsindex."),
    ("you are not registered", "U bent niet geregistreerd als professional van uw organisatie."),
    ("only professionals", "Alleen professionals van aangesloten organisaties werken met signalen."),
    ("matches and history are shown only", "Matches en historie zijn alleen te zien zolang uw signaal actief is."),
    ("the regievoerder must have an active signal", "De regievoerder moet een actief signaal hebben."),
    ("only an active signal records", "Dit kan alleen bij een actief signaal."),
)
_BY_FIELD = {
    "bsn": "Vul een geldig burgerservicenummer in: 9 cijfers.",
    "birth_date": "Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 14-05-2020.",
    "client_reference": "Vul uw eigen cliëntnummer in: letters, cijfers en . / : # - _, zonder spaties.",
    "active_until": "Vul de einddatum in als dag-maand-jaar, of laat het veld leeg.",
}


def dutch(error: DomainError) -> str:
    for start, text in _KNOWN:
        if error.detail.startswith(start):
            return text
    if isinstance(error, NotFound):
        return "Deze pagina bestaat niet, of hoort niet bij uw organisatie."
    if isinstance(error, Forbidden):
        return "U mag dit niet doen."
    return "Dit kon niet worden verwerkt. Probeer het opnieuw."


_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")


def iso_date(text: str) -> str:
    """ "14-05-2020" (as people write dates here) -> "2020-05-14"; anything else is left for the
    request model to refuse, ISO dates included as they are."""
    found = _DUTCH_DATE.match(text.strip())
    if found is None:
        return text
    day, month, year = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def for_field(field: str) -> str:
    return _BY_FIELD.get(field, "Controleer dit veld.")
