"""The one list of HTTP routes, derived from the handlers' own route definitions.

The CDK stack (API Gateway methods), the local run's router and the OpenAPI documents all come
from here, so a route added to a handler is deployed, served locally and documented alike.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from infra.openapi import API_HANDLERS, regional_document


@dataclass(frozen=True)
class ApiRoute:
    function: str  # the folder under functions/ (the Lambda)
    module: str  # its handler module
    method: str
    path: str  # as API Gateway writes it: /signals/{signal_id}
    body: bool  # the operation reads a JSON body
    case_systems: bool  # also on the case-system API

    def matches(self, path: str) -> bool:
        mine, theirs = self.path.strip("/").split("/"), path.strip("/").split("/")
        return len(mine) == len(theirs) and all(
            a == b or (a.startswith("{") and a.endswith("}") and b) for a, b in zip(mine, theirs, strict=True)
        )


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method.lower()]
    return operation


@cache
def api_routes() -> tuple[ApiRoute, ...]:
    from verwijsindex.api.contract import serves_case_systems

    document = regional_document()
    routes = []
    for function, module in API_HANDLERS.items():
        for declared in importlib.import_module(module).router.declared:
            operation = _operation(document, declared.method, declared.path)
            routes.append(
                ApiRoute(
                    function=function,
                    module=module,
                    method=declared.method,
                    path=declared.path,
                    body="requestBody" in operation,
                    case_systems=serves_case_systems(operation.get("security")),
                )
            )
    return tuple(routes)


def routes_of(function: str) -> tuple[ApiRoute, ...]:
    return tuple(route for route in api_routes() if route.function == function)


def module_for(path: str) -> str | None:
    """The handler module API Gateway sends `path` to (whatever the method), or None."""
    return next((route.module for route in api_routes() if route.matches(path)), None)
