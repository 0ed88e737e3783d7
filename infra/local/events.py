"""API Gateway REST proxy events and a Lambda context, as AWS would deliver them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


def rest_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    claims: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API proxy event for a JSON request (tests); `claims` is what the Cognito authorizer
    would put in the context."""
    raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
    given = dict(headers or {})
    if not any(name.lower() == "content-type" for name in given):
        given["Content-Type"] = "application/json"
    return proxy_event(
        method, path, body=raw_body, claims=claims, headers=list(given.items()), query=list((query or {}).items())
    )


def proxy_event(
    method: str,
    path: str,
    *,
    body: str | None,
    claims: Mapping[str, str] | None,
    headers: Sequence[tuple[str, str]],
    query: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """The event API Gateway's REST proxy integration delivers for a request as it was sent:
    repeated headers and query parameters in the multi-value maps, the last one in the others."""
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    multi_query: dict[str, list[str]] = {}
    for name, value in query:
        multi_query.setdefault(name, []).append(value)
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "path": path,
            "stage": "$default",
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "127.0.0.1"},
            "authorizer": {"claims": dict(claims)} if claims else None,
        },
        "body": body,
        "isBase64Encoded": False,
    }


def user_claims(sub: str, org_id: str | None, groups: list[str]) -> dict[str, str]:
    claims = {"sub": sub, "token_use": "id", "cognito:groups": ",".join(groups)}
    if org_id:
        claims["custom:org_id"] = org_id
    return claims


def machine_claims(client_id: str, scopes: list[str]) -> dict[str, str]:
    return {"sub": client_id, "client_id": client_id, "token_use": "access", "scope": " ".join(scopes)}


@dataclass
class LocalContext:
    """The attributes of a Lambda context that Powertools reads."""

    function_name: str = "local"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:local"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
