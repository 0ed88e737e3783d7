"""The open format in which signals move between indexes (README "Moving in and out").

One signal per row, the same columns in JSON Lines and in CSV (with a header). A row says who
(BSN), which organisation and professional, the case system's client reference and the signal's
own dates and state. Everything else (name, birth date, parents) comes from the BRP, as when a
signal is placed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from verwijsindex.domain.bsn import Bsn
from verwijsindex.domain.models import ClientReference, Email, Name, Phone

SourceId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128, pattern=r"^[\w.:#/-]+$")
]
Pseudonym = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
SourceOrg = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128, pattern=r"^[\w.:-]+$")
]


class RowStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class RowCloseReason(StrEnum):
    ENDED = "ended"
    EXPIRED = "expired"
    OBJECTION = "objection"
    # Accepted as a value so the report can say why the row is refused: a signal withdrawn as
    # unjustified is destroyed, never kept as history.
    UNJUSTIFIED = "unjustified"


class TransferRow(BaseModel):
    """One signal of another index, as the file gives it (before the BRP and the registry are asked).
    Its fields, in their order, are the file's columns (EXPORT_COLUMNS)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    # The source system's own id of the signal, which recognises a row again on a re-run; without
    # it the row's identity (BSN, organisation, professional, placed_on) does.
    source_id: SourceId | None = None
    bsn: Bsn
    org_id: SourceOrg = Field(description="The organisation in the source system; mapped to a registered one.")
    professional_name: Name
    professional_email: Email
    professional_phone: Phone
    client_reference: ClientReference
    placed_on: date
    active_until: date
    status: RowStatus
    closed_on: date | None = None
    close_reason: RowCloseReason | None = None
    # Written by an export of this index, which names the youth by its pseudonyms (the index keeps
    # no BSN) and by the BSN where the operator gave the BRP's list of the region's youths to
    # re-identify them (README); an import goes by the BSN and ignores them.
    youth_key: Pseudonym | None = None
    national_key: Pseudonym | None = None

    @model_validator(mode="after")
    def _dates_agree(self) -> TransferRow:
        if self.active_until < self.placed_on:
            raise ValueError("active_until: lies before placed_on")
        if self.status is RowStatus.ACTIVE:
            if self.closed_on is not None:
                raise ValueError("closed_on: an active signal has no closed_on")
            if self.close_reason is not None:
                raise ValueError("close_reason: an active signal has no close_reason")
            return self
        if self.closed_on is None:
            raise ValueError("closed_on: a closed signal needs closed_on")
        if self.close_reason is None:
            raise ValueError("close_reason: a closed signal needs close_reason")
        if self.closed_on < self.placed_on:
            raise ValueError("closed_on: lies before placed_on")
        if self.closed_on > date.fromordinal(self.active_until.toordinal() + 1):
            raise ValueError("closed_on: lies after the day after active_until (the signal had expired by then)")
        return self

    def row_key(self) -> str:
        """What recognises this row again in a later run of the same file (never stored as such)."""
        if self.source_id is not None:
            return f"id:{self.source_id}"
        return f"row:{self.bsn}|{self.org_id}|{self.professional_email.lower()}|{self.placed_on.isoformat()}"


# The columns in their order (CSV header, export): the fields of the row models, so that a
# column is declared once, with its type.
EXPORT_COLUMNS = tuple(TransferRow.model_fields)


class MatchRowStatus(StrEnum):
    OPEN = "open"
    COORDINATED = "coordinated"


class TransferMatch(BaseModel):
    """One match of an export (MATCH_COLUMNS): an import forms the match again from its signals and
    restores its coordination (regievoerder, afgestemd). Signals are named by their `source_id`."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    match_id: str | None = Field(default=None, max_length=64, description="the id in the source; not kept")
    kind: Literal["client", "family"]
    source_id: SourceId
    other_source_id: SourceId | None = None  # None: the other party is in another region
    other_region: str | None = Field(default=None, max_length=100)
    status: MatchRowStatus = MatchRowStatus.OPEN
    coordinator_source_id: SourceId | None = None
    coordinated_on: date | None = None
    coordinated_by_source_id: SourceId | None = None
    created_on: date | None = None

    @model_validator(mode="after")
    def _coordination_agrees(self) -> TransferMatch:
        if self.status is MatchRowStatus.COORDINATED and self.coordinated_on is None:
            raise ValueError("coordinated_on: a coordinated match needs coordinated_on")
        parties = {self.source_id, self.other_source_id}
        if self.coordinator_source_id is not None and self.coordinator_source_id not in parties:
            raise ValueError("coordinator_source_id: names neither signal of the match")
        if self.coordinated_by_source_id is not None and self.coordinated_by_source_id not in parties:
            raise ValueError("coordinated_by_source_id: names neither signal of the match")
        return self


# The matches of an export: one row per match, its signals named by their `source_id`.
MATCH_COLUMNS = tuple(TransferMatch.model_fields)
