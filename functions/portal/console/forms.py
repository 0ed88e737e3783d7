"""Console forms into the use cases' pydantic models, with a Dutch message per field at fault."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ValidationError

from portal import pages
from portal.messages import dutch
from portal.sessions import Session
from verwijsindex.domain.errors import DomainError

Model = TypeVar("Model", bound=BaseModel)

FIELD_MESSAGES = {
    "org_id": "Vul een organisatie-id in: 2 tot 63 kleine letters, cijfers en streepjes, zonder spaties.",
    "name": "Vul een naam in (hoogstens 200 tekens).",
    "machine_clients": "Vul client-id's in met letters, cijfers, _ en -, elk één keer, hoogstens 10.",
    "signalling_profile": "Vul het signaleringsprofiel in (hoogstens 4000 tekens).",
    "email": "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.",
    "phone": "Vul een geldig telefoonnummer in, bijvoorbeeld 050 123 4567.",
    "to_user_id": "Kies een actieve collega van dezelfde organisatie.",
    "bsn": "Vul een geldig burgerservicenummer in: 9 cijfers.",
    "received_on": "Vul de datum van ontvangst in als dag-maand-jaar, niet in de toekomst.",
    "requested_by": "Kies wie het verzoek deed.",
    "kind": "Kies het soort verzoek.",
    "details": "Hoogstens 2000 tekens.",
    "reason": "Vul een reden in (hoogstens 1000 tekens).",
    "actor": "Vul de id van een gebruiker of koppeling in.",
}
# (field, start of the use case's message) -> what the operator reads
CONFLICTS = {
    "org_id": "Deze organisatie-id of een van de client-id's is al geregistreerd.",
    "email": "Er bestaat al een account met dit e-mailadres.",
    "user_id": "Deze professional is al geregistreerd.",
}


def for_field(name: str) -> str:
    return FIELD_MESSAGES.get(name, "Controleer dit veld.")


def parse(model: type[Model], fields: Mapping[str, object]) -> tuple[Model | None, dict[str, str]]:
    """The model, or the fields at fault with their Dutch message (the first field when none is named)."""
    try:
        return model.model_validate(fields), {}
    except ValidationError as error:
        errors: dict[str, str] = {}
        for problem in error.errors(include_input=False):
            name = str(problem["loc"][0]) if problem["loc"] else next(iter(fields), "")
            errors.setdefault(name, for_field(name))
        return None, errors


# (start of the use case's message, what the operator reads)
_KNOWN: tuple[tuple[str, str], ...] = (
    ("the person registry (BRP) knows no person with this BSN", "De BRP kent geen persoon met dit BSN."),
    ("received_on lies in the future", "De datum van ontvangst ligt in de toekomst."),
    ("received_on lies before the youth's birth date", "De datum van ontvangst ligt vóór de geboortedatum."),
    ("give the BSN of this request", "Dit BSN hoort niet bij dit verzoek. Typ het BSN van de jeugdige over."),
    ("a refusal needs a reason", "Vul de reden van de afwijzing in."),
    ("an objection names a signal that is not on this youth", "Een genoemd signaal hoort niet bij deze jeugdige."),
    ("a correction names a signal that is not on this youth", "Een genoemd signaal hoort niet bij deze jeugdige."),
    ("a correction names org_id or professional", "Noem bij elke correctie de juiste organisatie of professional."),
    ("no such organisation in this region", "Deze organisatie is niet aangesloten bij deze regio."),
    ("ask for exactly one of bsn or actor", "Vul een BSN of een gebruiker in."),
)
_ASKERS = {"parents": "de ouders", "youth": "de jeugdige zelf", "both": "de ouders en de jeugdige samen"}


def console_text(error: DomainError) -> str:
    """The use case's refusal in the operator's words; "" when the portal has none for it."""
    if error.detail.startswith("the youth was"):
        found = re.search(r"requested_by '(\w+)'", error.detail)
        who = _ASKERS.get(found.group(1), "iemand anders") if found else "iemand anders"
        return f"Op de dag van ontvangst mocht alleen {who} dit verzoek doen."
    for start, text in _KNOWN:
        if error.detail.startswith(start):
            return text
    text = dutch(error)
    return "" if text.startswith("Dit kon niet worden verwerkt") else text


def refusal(error: DomainError) -> dict[str, str]:
    """A use case's 409 or 422 as messages on the fields it names."""
    names = error.fields or ("",)
    messages: dict[str, str] = {}
    for name in names:
        top = name.split(".", 1)[0]
        if error.status == 409:
            messages[top] = CONFLICTS.get(top, "Dit bestaat al.")
        else:
            messages[top] = console_text(error) or for_field(top)
    return messages


def form_page(template: str, session: Session, current: str, errors: dict[str, str], **context: Any) -> Response[str]:
    """A console page with a form: 422 with the fields at fault and their summary, else 200."""
    return pages.page(
        template,
        session,
        status=422 if errors else 200,
        current=current,
        errors=errors,
        summary=summary(errors),
        **context,
    )


def summary(errors: dict[str, str]) -> dict[str, str]:
    """One line per message, linking to the first field that has it."""
    lines: dict[str, str] = {}
    for name, message in errors.items():
        lines.setdefault(message, name)
    return lines
