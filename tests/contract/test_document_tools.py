"""openapi-spec-validator accepts both committed documents, and the local run serves the regional one."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from infra.openapi import CASE_SYSTEMS, REGIONAL


@pytest.mark.parametrize("document", [REGIONAL, CASE_SYSTEMS], ids=["regional", "case-systems"])
def test_the_validator_accepts_the_document(document: Path) -> None:
    validate(json.loads(document.read_text(encoding="utf-8")))


def test_the_local_run_serves_the_document_and_swagger_without_a_token(base_url: str) -> None:
    with urllib.request.urlopen(f"{base_url}/openapi.json", timeout=30) as response:
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(response.read()) == json.loads(REGIONAL.read_text(encoding="utf-8"))
    with urllib.request.urlopen(f"{base_url}/swagger", timeout=30) as response:
        page = response.read().decode()
        assert response.headers["Content-Type"].startswith("text/html")
        assert "SwaggerUIBundle" in page
        assert '"idToken"' in page  # the Authorize dialog offers the bearer token scheme
