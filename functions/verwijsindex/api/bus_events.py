"""Events received from an EventBridge bus: the envelope and a detail validated by its
detail-type, shared by the national function and the region's inbox.

The envelope is our own model rather than Powertools Parser's: importing the parser's models
package cost the bus functions more at every cold start than parsing their events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from verwijsindex.api.observability import logger, metrics
from verwijsindex.domain.national import NATIONAL_SOURCE, REGION_SOURCE, NationalEvent, RegionEvent, parse_detail


class EventBridgeEnvelope(BaseModel):
    """What EventBridge wraps every event in; the detail is validated by its detail-type."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str
    id: str
    source: str = Field(min_length=1)
    # The sending account: the national index checks it against the region the detail names.
    account: str = Field(pattern=r"^[0-9]{12}$")
    time: datetime
    region: str
    resources: list[str]
    detail_type: str = Field(alias="detail-type", min_length=1)
    detail: dict[str, Any]


Detail = TypeVar("Detail", bound=RegionEvent | NationalEvent)


@dataclass(frozen=True)
class Received(Generic[Detail]):
    source: str
    account: str
    detail_type: str
    detail: Detail


class Rejected(Exception):
    """Not an event we accept. Holds why in a few words: never the event's contents."""


def received(event: dict[str, Any]) -> Received[RegionEvent | NationalEvent]:
    try:
        envelope = EventBridgeEnvelope.model_validate(event)
        detail = parse_detail(envelope.detail_type, envelope.detail)
    except (ValidationError, ValueError, KeyError) as error:
        # The names of the fields at fault only; pydantic's text would quote their values.
        fields = (
            sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
            if isinstance(error, ValidationError)
            else []
        )
        raise Rejected(f"invalid event: {', '.join(fields) or 'unknown detail-type'}") from None
    return Received(source=envelope.source, account=envelope.account, detail_type=envelope.detail_type, detail=detail)


def from_a_region(event: dict[str, Any]) -> Received[RegionEvent]:
    """A region's event, as the national index takes it: sent by a region, about a region's work."""
    incoming = received(event)
    if incoming.source != REGION_SOURCE or not isinstance(incoming.detail, RegionEvent):
        raise Rejected("not a region event")
    return Received(incoming.source, incoming.account, incoming.detail_type, incoming.detail)


def from_the_national_index(event: dict[str, Any]) -> Received[NationalEvent]:
    """The national index's event, as a region's inbox takes it: sent by the national index, its answer."""
    incoming = received(event)
    if incoming.source != NATIONAL_SOURCE or not isinstance(incoming.detail, NationalEvent):
        raise Rejected("not a national event")
    return Received(incoming.source, incoming.account, incoming.detail_type, incoming.detail)


def rejected(error: Exception) -> dict[str, Any]:
    """An event dropped and counted, as retrying it could never succeed. The log names the reason
    and the error's type at most: never keys or contact details."""
    metrics.add_metric(name="NationalEventsRejected", unit=MetricUnit.Count, value=1)
    logger.warning("event rejected", extra={"reason": str(error), "error_type": type(error).__name__})
    return {"outcome": "rejected"}
