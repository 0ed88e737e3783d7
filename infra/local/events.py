"""API Gateway REST proxy events and a Lambda context, as AWS would deliver them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
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
    """A REST API proxy event; `claims` is what the Cognito authorizer would put in the context."""
    raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": dict(query) if query else None,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
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
        "body": raw_body,
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
