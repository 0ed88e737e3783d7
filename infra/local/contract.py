"""The committed OpenAPI document and Swagger UI, served without a token as the stack serves them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from infra.openapi import REGIONAL


@cache
def _swagger_page() -> str:
    from aws_lambda_powertools.event_handler.openapi.swagger_ui import html

    assets = Path(html.__file__).parent
    return html.generate_swagger_html(
        spec=REGIONAL.read_text(encoding="utf-8"),
        swagger_js=(assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        swagger_css=(assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
        swagger_base_url="",
        oauth2_config=None,
        persist_authorization=True,
    )


def contract_response(method: str, path: str) -> tuple[int, str, str] | None:
    """GET /openapi.json (the regional document) and GET /swagger (Swagger UI: paste a token
    from POST /_local/token into Authorize, idToken); None for any other request."""
    if method != "GET":
        return None
    if path == "/openapi.json":
        return 200, "application/json", REGIONAL.read_text(encoding="utf-8")
    if path == "/swagger":
        return 200, "text/html; charset=utf-8", _swagger_page()
    return None
