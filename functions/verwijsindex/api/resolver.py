"""One way to build and run a REST resolver, so every Lambda answers alike."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex.api.identity import Caller, caller_from_event
from verwijsindex.api.problems import PROBLEM_JSON, install_problem_handlers
from verwijsindex.domain.errors import DomainError

MAX_BODY_BYTES = 8 * 1024


def new_resolver(title: str, version: str = "1.0.0") -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True)
    install_problem_handlers(app)
    # Only the local run serves Swagger UI (no API Gateway route leads to it); in Lambda it would
    # import Powertools' OpenAPI models at every cold start for nothing.
    if not os.getenv("AWS_LAMBDA_FUNCTION_NAME"):
        app.enable_swagger(path="/swagger", title=title, version=version)
    return app


def _refusal(status: int, title: str, detail: str) -> dict[str, Any]:
    problem = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return {
        "statusCode": status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "body": json.dumps(problem, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def _content_type(event: dict[str, Any]) -> str:
    headers = event.get("headers") or {}
    value = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return str(value).split(";")[0].strip().lower()


def resolve(
    app: APIGatewayRestResolver,
    event: dict[str, Any],
    context: LambdaContext,
    gate: Callable[[Caller], None] | None = None,
) -> dict[str, Any]:
    """Refuses oversized and non-JSON bodies before anything parses them: Powertools validates
    first, and would read a form body's content as field names and echo them in errors.
    A `gate` refuses callers who have no business with this API at all, before validation,
    so they learn nothing about its request shapes."""
    if gate is not None:
        try:
            gate(caller_from_event(event))
        except DomainError as error:
            return _refusal(error.status, HTTPStatus(error.status).phrase, error.detail)
    body = event.get("body") or ""
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        return _refusal(413, "Content Too Large", f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    if body and _content_type(event) != "application/json":
        return _refusal(415, "Unsupported Media Type", "Send the request body as application/json.")
    return app.resolve(event, context)
