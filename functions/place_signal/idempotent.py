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

from verwijsindex.api.identity import Caller
from verwijsindex.domain.errors import Conflict, Unprocessable
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
    services: Services, caller: Caller, request: PlaceSignalRequest, key: str, context: LambdaContext | None
) -> PlacementOutcome:
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
        return services.signals.place(caller, command.request)

    try:
        outcome: PlacementOutcome = place(command=IdempotentPlacement(key=key, subject=caller.subject, request=request))
    except IdempotencyValidationError:
        raise Unprocessable(
            "This Idempotency-Key was used with a different request.", field="Idempotency-Key"
        ) from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry later.") from None
    return outcome
