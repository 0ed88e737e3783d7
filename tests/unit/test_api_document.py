"""GET /openapi.json as deployed: the document of the API asked, with its token URL and server."""

from __future__ import annotations

import json

import pytest

from api_document import handler


@pytest.fixture(autouse=True)
def token_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKEN_URL", "https://vi-noord.auth.eu-west-1.amazoncognito.com/oauth2/token")
    handler._document.cache_clear()


def event(document: str, path: str) -> dict[str, object]:
    return {
        "httpMethod": "GET",
        "path": "/openapi.json",
        "stageVariables": {"document": document},
        "requestContext": {"domainName": "abc123.execute-api.eu-west-1.amazonaws.com", "path": path},
    }


def test_the_case_system_api_serves_only_its_routes_with_its_token_url() -> None:
    response = handler.lambda_handler(event("case-systems", "/v1/openapi.json"), None)
    assert response["statusCode"] == 200
    document = json.loads(response["body"])
    assert all(path.startswith(("/signals", "/matches")) for path in document["paths"])
    flows = document["components"]["securitySchemes"]["caseSystemToken"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "https://vi-noord.auth.eu-west-1.amazoncognito.com/oauth2/token"
    assert document["servers"] == [{"url": "https://abc123.execute-api.eu-west-1.amazonaws.com/v1"}]


def test_the_portal_api_serves_the_whole_regional_document() -> None:
    document = json.loads(handler.lambda_handler(event("regional", "/openapi.json"), None)["body"])
    assert "/organisations" in document["paths"] and "/audit" in document["paths"]
    assert document["servers"] == [{"url": "https://abc123.execute-api.eu-west-1.amazonaws.com"}]
