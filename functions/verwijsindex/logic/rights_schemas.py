"""Rights of families (DESIGN.md section 2, Rights): the HTTP models and the dossier produced
for inzage and kopie. No model here holds a BSN except the requests that carry it in; the stored
request (`domain/rights.py`) keeps only the youth's pseudonym."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.bsn import Bsn
from verwijsindex.domain.matches import MatchKind, MatchStatus
from verwijsindex.domain.models import Address, Contact, InvestigatedData, OrgId, SignalStatus
from verwijsindex.domain.rights import RIGHTS_PERIOD_DAYS, RequestedBy, RightsKind, RightsRequest, RightsStatus
from verwijsindex.logic.schemas import SignalFacts, Strict, same_named

# The stored request and its kinds are domain values; the use cases name them through this module too.
__all__ = ["RIGHTS_PERIOD_DAYS", "RequestedBy", "RightsKind", "RightsRequest", "RightsStatus"]


# --- HTTP boundary ---------------------------------------------------------------------------


class CreateRightsRequest(Strict):
    kind: RightsKind
    bsn: Bsn
    requested_by: RequestedBy
    received_on: date = Field(description="The day the municipality received the written request.")
    details: str | None = Field(default=None, max_length=2000)


class RightsRequestView(Strict):
    request_id: str
    kind: RightsKind
    requested_by: RequestedBy
    received_on: date
    deadline: date
    overdue: bool
    details: str | None = None
    status: RightsStatus
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    reason: str | None = None

    @classmethod
    def of(cls, request: RightsRequest, today: date) -> RightsRequestView:
        """The request's values under the same names (not the youth's pseudonym), and whether it is overdue."""
        return cls(**same_named(request, cls, overdue=request.status is RightsStatus.OPEN and today > request.deadline))


class RightsRequestPage(Strict):
    items: list[RightsRequestView]
    next_cursor: str | None = None


class SignalCorrection(Strict):
    """Correctie of a wrong signal attribute by the operator (organisation and/or professional)."""

    signal_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    org_id: OrgId | None = None
    professional: Contact | None = None


class ObjectionJudgement(Strict):
    signal_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    unjustified: bool = Field(description="True: the signal was unjustified and is destroyed; else it is closed.")


class DecisionRequest(Strict):
    outcome: Literal["granted", "refused"]
    reason: str | None = Field(default=None, min_length=1, max_length=1000, description="Required when refused.")
    bsn: Bsn | None = Field(
        default=None,
        description="Required to grant: the BSN of the request (checked against it); the dossier and the BRP "
        "refresh are produced from it, as the index never stores a BSN.",
    )
    format: Literal["json", "html"] | None = Field(
        default=None, description="Dossier format: inzage defaults to json, kopie to an html download."
    )
    corrections: list[SignalCorrection] = Field(default_factory=list, max_length=50)
    objections: list[ObjectionJudgement] = Field(
        default_factory=list,
        max_length=50,
        description="Bezwaar: the signals objected to; empty means every signal on the youth, judged justified.",
    )


class SignalOutcome(Strict):
    signal_id: str
    status: SignalStatus
    professional_notified: bool


class CorrectionOutcome(Strict):
    signal_id: str
    attribute: Literal["organisation", "professional"]
    old: str
    new: str


class RefreshOutcome(Strict):
    destroy_on_before: date | None
    destroy_on_now: date
    changed: bool


# --- the dossier (inzage and kopie) -----------------------------------------------------------


class DossierPerson(Strict):
    name: str
    birth_date: date
    birth_date_precision: BirthDatePrecision = BirthDatePrecision.DAY
    sex: str
    address: Address | None = None
    death_date: date | None = None
    under_investigation: list[InvestigatedData] = Field(
        default_factory=list, description="BRP data under investigation (in onderzoek): it may be wrong"
    )
    confidential: bool = Field(default=False, description="geheimhouding: the BRP gives this data to no third party")


class DossierOrganisation(Strict):
    org_id: str
    name: str


class DossierSignal(SignalFacts):
    organisation: DossierOrganisation
    placed_at: datetime
    destroy_on: date
    municipality: str = Field(
        default="-", description="For the statistics: the youth's municipality (CBS code) when placed; - if unknown."
    )
    age_band: str = Field(default="-", description="For the statistics: the youth's age band when placed.")


class DossierMatch(Strict):
    """A client match names the other organisation; a family match says only that it exists."""

    match_id: str
    kind: MatchKind
    signal_id: str = Field(description="This youth's signal in the match")
    created_at: datetime
    status: MatchStatus
    other_organisation: DossierOrganisation | None = None
    other_signal_id: str | None = None


class DossierRecipient(Strict):
    organisation: DossierOrganisation
    via: Literal["signal", "client_match", "national_index"]


class DossierSource(Strict):
    data: str
    source: str


class Dossier(Strict):
    request_id: str
    produced_on: date
    purpose: str
    person: DossierPerson
    signals: list[DossierSignal]
    matches: list[DossierMatch]
    family_matches: int = Field(description="How many family matches exist (about brothers or sisters: nothing more)")
    recipients: list[DossierRecipient]
    sources: list[DossierSource]


class DecisionResponse(Strict):
    request: RightsRequestView
    dossier: Dossier | None = None
    signals: list[SignalOutcome] = Field(default_factory=list)
    corrections: list[CorrectionOutcome] = Field(default_factory=list)
    refreshed: RefreshOutcome | None = None


class DecisionOutcome(Strict):
    """What the use case returns; the handler turns an html dossier into a document."""

    response: DecisionResponse
    html: str | None = None
    attachment: bool = False


class AuditEntryView(Strict):
    at: datetime
    actor: str
    actor_org: str | None = None
    action: str
    subject: str
    target: str | None = None
    detail: str | None = None


class AuditTrail(Strict):
    items: list[AuditEntryView] = Field(description="newest first")
    next_cursor: str | None = Field(default=None, description="the next (older) page, if any")
