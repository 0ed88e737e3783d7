"""RFC 9457 problem details for every error, naming the field at fault.

Validation messages come from pydantic; its `input` is dropped on purpose so that a BSN
or a name typed into the wrong field is never echoed back.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from verwijsindex.domain.errors import DomainError
from verwijsindex.ports.person_registry_errors import (
    PersonNotUsable,
    PersonRegistryError,
    RegistryMisconfigured,
    RegistryUnavailable,
)

PROBLEM_JSON = "application/problem+json"
logger = Logger(child=True)


def problem(
    status: int,
    detail: str,
    errors: Sequence[dict[str, str]] = (),
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = list(errors)
    return Response(
        status_code=status, content_type=PROBLEM_JSON, body=json.dumps(body, separators=(",", ":")), headers=headers
    )


BRP_MISCONFIGURED_METRIC = "BrpLinkMisconfigured"


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")


def _field(loc: Sequence[Any]) -> str:
    """("body", "professional", "email") -> "professional.email"; ("query", "limit") -> "limit".

    An unknown key is caller input and could be anything, a BSN included: a part that is not
    a plain name (or a list index) is reported as "<unknown field>".
    """
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    safe = [part if _NAME.match(part) or (part.isdigit() and len(part) < 4) else "<unknown field>" for part in parts]
    return ".".join(safe) or "body"


# pydantic puts these before the text of a validator's own ValueError or assertion.
_LIBRARY_PREFIXES = ("Value error, ", "Assertion failed, ")


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "invalid"))
    for prefix in _LIBRARY_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def install_problem_handlers(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(RequestValidationError)
    def _validation(error: RequestValidationError) -> Response[str]:
        errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in error.errors()]
        return problem(422, "The request is not valid.", errors)

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response[str]:
        errors = [{"field": field, "message": error.detail} for field in error.fields]
        return problem(error.status, error.detail, errors)

    @app.exception_handler(PersonNotUsable)
    def _person_not_usable(error: PersonNotUsable) -> Response[str]:
        # Retrying never helps: the BRP's data itself rules the person out.
        return problem(422, error.reason, [{"field": "bsn", "message": error.reason}])

    @app.exception_handler(RegistryMisconfigured)
    def _registry_misconfigured(error: RegistryMisconfigured) -> Response[str]:
        # Our request, credentials or authorisation are wrong: the operator must act, not the caller.
        logger.error(
            "person registry link misconfigured",
            extra={
                "reason": str(error),
                "brp_status": error.status,
                "brp_code": error.code,
                "invalid_params": [p.model_dump() for p in error.invalid_params],
            },
        )
        from aws_lambda_powertools.metrics import MetricUnit, single_metric

        with single_metric(
            name=BRP_MISCONFIGURED_METRIC, unit=MetricUnit.Count, value=1, namespace="Verwijsindex"
        ) as metric:
            metric.add_dimension(name="service", value="verwijsindex")
        return problem(
            502,
            "The region's link to the person registry (BRP) is misconfigured; nothing was stored. "
            "The operator has been alerted.",
        )

    @app.exception_handler(PersonRegistryError)
    def _registry_down(error: PersonRegistryError) -> Response[str]:
        # The message is generic by contract (no BSN); retrying later is the right move.
        logger.warning("person registry unavailable", extra={"reason": str(error)})
        wait = error.retry_after if isinstance(error, RegistryUnavailable) else None
        return problem(
            503,
            "The person registry (BRP) cannot be reached; nothing was stored. Retry later.",
            headers={"Retry-After": str(max(1, math.ceil(wait)))} if wait is not None else None,
        )

    @app.not_found
    def _not_found(_: NotFoundError) -> Response[str]:
        return problem(404, "No such resource.")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        # Log the type only: exception text may quote data from the request.
        logger.error("unhandled error", extra={"error_type": type(error).__name__})
        return problem(500, "Something went wrong on our side; nothing was changed if no response said so.")
