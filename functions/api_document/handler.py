"""GET /openapi.json on both APIs, without a token: the committed OpenAPI document of the API asked.

The stage variable `document` says which (regional or case-systems); the token URL and the server are
filled in as deployed. Standard library only, so a cold start costs next to nothing.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

DOCUMENTS = Path(__file__).resolve().parent.parent / "verwijsindex" / "api" / "openapi"
_FILES = {"regional": "regional.json", "case-systems": "case-systems.json"}


@cache
def _document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DOCUMENTS / _FILES[name]).read_text(encoding="utf-8"))
    token_url = os.environ.get("TOKEN_URL")
    schemes = document.get("components", {}).get("securitySchemes", {})
    if token_url and "caseSystemToken" in schemes:
        schemes["caseSystemToken"]["flows"]["clientCredentials"]["tokenUrl"] = token_url
    return document


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    name = (event.get("stageVariables") or {}).get("document", "regional")
    document = dict(_document(name if name in _FILES else "regional"))
    request = event.get("requestContext") or {}
    if request.get("domainName"):
        # /v1/openapi.json through execute-api, /openapi.json through a custom domain.
        base = str(request.get("path") or "").removesuffix("/openapi.json")
        document["servers"] = [{"url": f"https://{request['domainName']}{base}"}]
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "Cache-Control": "public, max-age=300"},
        "body": json.dumps(document, ensure_ascii=False),
        "isBase64Encoded": False,
    }
