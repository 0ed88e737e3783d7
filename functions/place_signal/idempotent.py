"""Exactly-once placement for requests that carry an Idempotency-Key (case systems' bulk syncs).

A module of its own so that the idempotency layer (and its DynamoDB persistence) is imported on
the first request that needs it, not at every cold start of the signals API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict

from verwijsindex.domain.errors import Conflict, Unprocessable
from verwijsindex.logic.access import Actor
from verwijsindex.logic.schemas import PlacementOutcome, PlaceSignalRequest

if TYPE_CHECKING:
    from verwijsindex.wiring import Services

# A day is long enough for a case system to retry a bulk synchronisation.
CONFIG = IdempotencyConfig(
    event_key_jmespath="[subject, key]",
    payload_validation_jmespath="request",
    expires_after_seconds=24 * 3600,
)


class IdempotentPlacement(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    subject: str
    request: PlaceSignalRequest


def place_once(
    services: Services, actor: Actor, request: PlaceSignalRequest, key: str, context: LambdaContext | None
) -> PlacementOutcome:
    """The first answer for this caller and key; a replay answers what the signal is now
    (closed, or 404 once destroyed), not what it was."""
    placed_now = False
    if context is not None:
        # Lets idempotency expire an in-progress record when this invocation times out.
        CONFIG.register_lambda_context(context)

    @idempotent_function(
        data_keyword_argument="command",
        persistence_store=services.idempotency_store,
        config=CONFIG,
        output_serializer=PydanticSerializer(PlacementOutcome),
    )
    def place(command: IdempotentPlacement) -> PlacementOutcome:
        nonlocal placed_now
        placed_now = True
        return services.signals.place(actor, command.request)

    try:
        outcome: PlacementOutcome = place(
            command=IdempotentPlacement(key=key, subject=actor.caller.subject, request=request)
        )
    except IdempotencyValidationError:
        raise Unprocessable(
            "This Idempotency-Key was used with a different request.", field="Idempotency-Key"
        ) from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry later.") from None
    return outcome if placed_now else services.signals.replayed(actor, outcome)
