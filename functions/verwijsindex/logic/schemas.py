"""Request and response models of the signals API (the HTTP boundary)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from verwijsindex.domain.bsn import Bsn
from verwijsindex.domain.models import (
    ClientReference,
    CloseReason,
    Contact,
    Email,
    Informed,
    InformedStatus,
    Name,
    OrgId,
    Phone,
    Professional,
    Signal,
    SignallingProfile,
    SignalStatus,
)
from verwijsindex.domain.periods import InformParty


class Strict(BaseModel):
    # Validators are built on first use, so a function builds only the models its requests reach.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def same_named(source: object, view: type[BaseModel], **given: Any) -> dict[str, Any]:
    """The values of `source` for the fields of `view` it has under the same name, and `given`
    for those it names otherwise or not at all: a view shows what it is made from, field by field."""
    values = {name: getattr(source, name) for name in view.model_fields if name not in given and hasattr(source, name)}
    return {**values, **given}


class PlaceSignalRequest(Strict):
    bsn: Bsn
    client_reference: ClientReference = Field(
        description="The case system's own client reference; e-mails name it instead of the youth."
    )
    birth_date: date | None = Field(
        default=None,
        description="The youth's date of birth; when given it must agree with the BRP together with the BSN "
        "(a typo in either gets one answer that does not say which). The portal always sends it.",
    )
    active_until: date | None = Field(default=None, description="Last active day; at most 2 years ahead.")
    professional: Contact | None = Field(
        default=None, description="Only for case systems (machine clients): who is involved."
    )


class PlacementResponse(Strict):
    signal_id: str
    status: SignalStatus
    active_from: date
    active_until: date
    inform: list[InformParty] = Field(description="Whom the professional informs about this signal.")


class PlacementOutcome(Strict):
    """What the use case returns; `created` decides between 201 and 200."""

    created: bool
    response: PlacementResponse


class SignalFacts(Strict):
    """What a signal says, as the professional reads it through the API and the family in its
    dossier (the rights schemas): each view adds its own fields after these."""

    signal_id: str
    status: SignalStatus
    client_reference: str
    professional: Contact
    active_from: date
    active_until: date
    closed_on: date | None = None
    close_reason: CloseReason | None = None
    informed: Informed | None = Field(
        default=None,
        description="The professional's confirmation that they informed the family (yes) or will (later), "
        "and on which day.",
    )


class SignalView(SignalFacts):
    match_count: int | None = Field(
        default=None, description="Matches of an active signal, in lists; absent for a closed signal."
    )

    @classmethod
    def of(cls, signal: Signal) -> SignalView:
        """The signal's own values under the same names; the match count is added by a list."""
        return cls(**same_named(signal, cls))


class SignalPage(Strict):
    items: list[SignalView]
    next_cursor: str | None = None


class CloseSignalRequest(Strict):
    reason: Literal["ended", "unjustified"] = Field(
        description="ended: involvement ended, history kept; unjustified: destroyed at once."
    )


class InformedRequest(Strict):
    informed: InformedStatus = Field(
        description="yes: the parents and/or youth (as `inform` said) were informed; later: they will be."
    )


class CloseSignalResponse(Strict):
    signal_id: str
    status: SignalStatus


class OrganisationRequest(Strict):
    org_id: OrgId
    name: Name
    machine_clients: list[Annotated[str, StringConstraints(pattern=r"^[\w-]{1,128}$")]] = Field(
        default_factory=list, max_length=10
    )

    @field_validator("machine_clients")
    @classmethod
    def _each_client_once(cls, clients: list[str]) -> list[str]:
        # One client id is one CLIENT# item: listing it twice would write that item twice.
        if len(set(clients)) != len(clients):
            raise ValueError("each case system client id may be listed only once")
        return clients


class ProfileRequest(Strict):
    signalling_profile: SignallingProfile = Field(
        description="When the organisation's professionals signal (its signalling profile), in Dutch."
    )


class ProfessionalRequest(Strict):
    user_id: str = Field(min_length=1, max_length=128, description="The Cognito sub of the professional.")
    name: Name
    email: Email
    phone: Phone


class ProfessionalUpdate(Strict):
    """New contact details of a registered professional; what is left out stays."""

    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _something(self) -> ProfessionalUpdate:
        if self.name is None and self.email is None and self.phone is None:
            raise ValueError("name, email or phone: at least one")
        return self


class ReassignRequest(Strict):
    to_user_id: str = Field(
        min_length=1, max_length=128, description="An active professional of the same organisation (Cognito sub)."
    )


class Deactivation(Strict):
    professional: Professional
    active_signals: list[str] = Field(description="Ids of the signals still waiting for a colleague.")
    handover_due_on: date | None = Field(
        description="After this day the operator's handover listing calls them overdue."
    )


class Reassignment(Strict):
    moved: list[str] = Field(description="Signals now held by the colleague.")
    closed: list[str] = Field(description="Signals closed because the colleague already signals that youth.")


class HandoverView(Strict):
    org_id: str
    user_id: str
    deactivated_on: date
    due_on: date
    overdue: bool
    signal_ids: list[str]


class HandoverList(Strict):
    items: list[HandoverView]
