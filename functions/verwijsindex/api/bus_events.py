"""Events received from an EventBridge bus: the envelope (Powertools Parser) and a detail
validated by its detail-type, shared by the national function and the region's inbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import ValidationError

from verwijsindex.domain.national import NationalEvent, RegionEvent, parse_detail


@dataclass(frozen=True)
class Received:
    source: str
    account: str
    detail_type: str
    detail: RegionEvent | NationalEvent


class Rejected(Exception):
    """Not an event we accept. Holds why in a few words: never the event's contents."""


def received(event: dict[str, Any]) -> Received:
    try:
        envelope = EventBridgeModel.model_validate(event)
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
