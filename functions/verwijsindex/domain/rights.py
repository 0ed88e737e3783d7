"""Rights of families as stored: the request, its kind, who asked and where it stands.

The stored request keeps only the youth's regional pseudonym, never the BSN.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

RIGHTS_PERIOD_DAYS = 28  # "binnen 4 weken"


class RightsKind(StrEnum):
    INZAGE = "inzage"  # access
    KOPIE = "kopie"  # copy
    CORRECTIE = "correctie"  # correction
    BEZWAAR = "bezwaar"  # objection (verzet)


class RequestedBy(StrEnum):
    PARENTS = "parents"
    YOUTH = "youth"
    BOTH = "both"  # parents and youth together


class RightsStatus(StrEnum):
    OPEN = "open"
    GRANTED = "granted"
    REFUSED = "refused"


class RightsRequest(BaseModel):
    """As stored: the youth's regional pseudonym, never the BSN."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    request_id: str
    kind: RightsKind
    youth_key: str
    requested_by: RequestedBy
    received_on: date
    deadline: date
    details: str | None = None
    status: RightsStatus = RightsStatus.OPEN
    created_at: datetime
    created_by: str
    decided_at: datetime | None = None
    decided_by: str | None = None
    reason: str | None = None
