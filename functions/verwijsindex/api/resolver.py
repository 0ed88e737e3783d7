"""One way to build and run a REST resolver, so every Lambda answers alike."""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex.api.contract import SECURITY_SCHEMES, Tag
from verwijsindex.api.identity import Caller, caller_from_event
from verwijsindex.api.problems import PROBLEM_JSON, install_problem_handlers
from verwijsindex.domain.errors import DomainError

MAX_BODY_BYTES = 8 * 1024
# Our requests nest three levels at most; Python's JSON parser recurses once per level.
MAX_NESTING = 32
_ROUTE_SIGNATURE = inspect.signature(Router.route)
# The API's own description holds no data: no caller check.
SWAGGER_PATH = "/swagger"


@dataclass(frozen=True)
class DeclaredRoute:
    """One method on one path, as a handler declares it (`/signals/<signal_id>`)."""

    method: str
    rule: str

    @property
    def path(self) -> str:
        """The path as API Gateway and OpenAPI write it: `/signals/{signal_id}`."""
        return re.sub(r"<(\w+)>", r"{\1}", self.rule)

    def matches_path(self, path: str) -> bool:
        pattern = re.sub(r"<\w+>", "[^/]+", self.rule)
        return re.fullmatch(pattern, path.rstrip("/") or "/") is not None


Func = TypeVar("Func", bound=Callable[..., Any])


def operation_docs(func: Callable[..., Any]) -> tuple[str, str | None]:
    """The OpenAPI summary and description of an operation from its function's docstring: the first
    paragraph, then the others (each paragraph's lines joined into one)."""
    paragraphs = [" ".join(part.split("\n")) for part in inspect.cleandoc(func.__doc__ or "").split("\n\n")]
    return paragraphs[0], "\n\n".join(paragraphs[1:]) or None


def operation_id(func: Callable[..., Any]) -> str:
    """`place_signal` -> `placeSignal`: the function's name is the operation's."""
    first, *rest = func.__name__.split("_")
    return first + "".join(word.capitalize() for word in rest)


class ApiRouter(Router):
    """A Powertools Router that also keeps the list of what it declares: the one list of routes
    that the stack, the local run and the OpenAPI document are built from.

    What the OpenAPI document says of each operation has one home: the tag and the security of
    the router unless a route names its own, the operation id from the function's name, the
    summary and description from its docstring, and the success response's model from its
    return annotation (`contract.answers`)."""

    def __init__(self, tag: Tag, security: list[dict[str, list[str]]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.declared: list[DeclaredRoute] = []
        self.tag = tag
        self.security = security

    def route(self, *args: Any, **kwargs: Any) -> Callable[[Func], Func]:
        bound = _ROUTE_SIGNATURE.bind(self, *args, **kwargs)
        method = bound.arguments["method"]
        for name in (method,) if isinstance(method, str) else tuple(method):
            self.declared.append(DeclaredRoute(method=name.upper(), rule=bound.arguments["rule"]))
        arguments = {name: value for name, value in bound.arguments.items() if name != "self"}
        arguments["tags"] = arguments.get("tags") or [self.tag]
        arguments["security"] = arguments.get("security") or self.security

        def register(func: Func) -> Func:
            summary, description = operation_docs(func)
            documented = {"operation_id": operation_id(func), "summary": summary, "description": description}
            named = {**documented, **{k: v for k, v in arguments.items() if k in documented and v is not None}}
            registered: Func = super(ApiRouter, self).route(**{**arguments, **named})(func)
            return registered

        return register


class Api(APIGatewayRestResolver):
    """The resolver of one Lambda: its router's routes, problem+json for every error."""

    def __init__(self, router: ApiRouter) -> None:
        super().__init__(enable_validation=True)
        install_problem_handlers(self)
        self.declared = tuple(router.declared)
        self.include_router(router)

    def allowed_methods(self, path: str) -> list[str]:
        return sorted({route.method for route in self.declared if route.matches_path(path)})


def new_resolver(router: ApiRouter, title: str, version: str = "1.0.0") -> Api:
    app = Api(router)
    # Only the local run serves Swagger UI (no API Gateway route leads to it); in Lambda it would
    # import Powertools' OpenAPI models at every cold start for nothing.
    if not os.getenv("AWS_LAMBDA_FUNCTION_NAME"):
        app.enable_swagger(path=SWAGGER_PATH, title=title, version=version, security_schemes=SECURITY_SCHEMES)
    return app


def _refusal(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    problem = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return {
        "statusCode": status,
        "headers": {"Content-Type": PROBLEM_JSON, **(headers or {})},
        "body": json.dumps(problem, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def _content_type(event: dict[str, Any]) -> str:
    headers = event.get("headers") or {}
    value = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return str(value).split(";")[0].strip().lower()


def _with_json_content_type(event: dict[str, Any]) -> dict[str, Any]:
    """Media types are case-insensitive (RFC 9110); Powertools compares them as written."""
    single = {k: v for k, v in (event.get("headers") or {}).items() if k.lower() != "content-type"}
    multi = {k: v for k, v in (event.get("multiValueHeaders") or {}).items() if k.lower() != "content-type"}
    return {
        **event,
        "headers": {**single, "Content-Type": "application/json"},
        "multiValueHeaders": {**multi, "Content-Type": ["application/json"]},
    }


def _nesting(body: str) -> int:
    """How deeply a JSON text nests arrays and objects, counted without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in body:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def matched_route(app: APIGatewayRestResolver, event: dict[str, Any]) -> Callable[..., Any] | None:
    """The function of the route this event will reach, found as Powertools finds it, so a gate
    can decide per route before the resolver validates anything."""
    method = str(event.get("httpMethod") or "").upper()
    path = str(event.get("path") or "")
    for route in app._static_routes + app._dynamic_routes:
        if route.method == method and route.rule.match(path):
            func: Callable[..., Any] = route.func
            return func
    return None


ADMITTED = "admitted"


def gated_caller(app: Api) -> Caller:
    """The caller the gate let through for this request (for an API whose gate only checks)."""
    caller: Caller = app.context[ADMITTED]
    return caller


Body = TypeVar("Body")


def json_answer(body: Body, status: int = 200) -> Response[Body]:
    """The use case's answer as JSON, where the status depends on the outcome (201 created, 202
    accepted) or the route may answer another media type too."""
    return Response(status_code=status, content_type="application/json", body=body)


def resolve(
    app: Api,
    event: dict[str, Any],
    context: LambdaContext,
    gate: Callable[[Caller], object] | None = None,
) -> dict[str, Any]:
    """Refuses oversized and non-JSON bodies before anything parses them: Powertools validates
    first, and would read a form body's content as field names and echo them in errors.
    A `gate` refuses callers who have no business with this API at all, before validation,
    so they learn nothing about its request shapes. What it returns (the caller as the registry
    knows it), or else the caller it let through, is in `app.context[ADMITTED]` for the route: the
    identity a route acts for is the one the gate checked (`gated_caller`)."""
    admitted: object = None
    if gate is not None and event.get("path") != SWAGGER_PATH:
        try:
            caller = caller_from_event(event)
            admitted = gate(caller)
            if admitted is None:
                admitted = caller
        except DomainError as error:
            return _refusal(error.status, HTTPStatus(error.status).phrase, error.detail)
    path, method = str(event.get("path") or "/"), str(event.get("httpMethod") or "").upper()
    allowed = app.allowed_methods(path)
    if allowed and method not in allowed:
        detail = f"This path answers {', '.join(allowed)} only."
        return _refusal(405, "Method Not Allowed", detail, {"Allow": ", ".join(allowed)})
    body = event.get("body") or ""
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        return _refusal(413, "Content Too Large", f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    if body:
        if _content_type(event) != "application/json":
            return _refusal(415, "Unsupported Media Type", "Send the request body as application/json.")
        if _nesting(body) > MAX_NESTING:
            detail = f"The request body is nested more than {MAX_NESTING} levels deep."
            return _refusal(400, "Bad Request", detail)
        event = _with_json_content_type(event)
    if admitted is not None:
        app.context[ADMITTED] = admitted  # cleared by the resolver after the request
    return app.resolve(event, context)
