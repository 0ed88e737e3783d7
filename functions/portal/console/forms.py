"""Console forms into the use cases' pydantic models, with a Dutch message per field at fault."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from portal.messages import dutch
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


def refusal(error: DomainError) -> dict[str, str]:
    """A use case's 409 or 422 as messages on the fields it names."""
    names = error.fields or ("",)
    messages: dict[str, str] = {}
    for name in names:
        top = name.split(".", 1)[0]
        if error.status == 409:
            messages[top] = CONFLICTS.get(top, "Dit bestaat al.")
        else:
            messages[top] = dutch_detail(error) or for_field(top)
    return messages


def dutch_detail(error: DomainError) -> str:
    """The use case's own words where the portal knows them in Dutch, else the field's message."""
    text = dutch(error)
    return "" if text.startswith("Dit kon niet worden verwerkt") else text


def summary(errors: dict[str, str]) -> dict[str, str]:
    """One line per message, linking to the first field that has it."""
    lines: dict[str, str] = {}
    for name, message in errors.items():
        lines.setdefault(message, name)
    return lines
