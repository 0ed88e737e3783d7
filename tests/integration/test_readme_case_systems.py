"""The README's "For case systems" section says what the case-system document says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from infra.openapi import CASE_SYSTEMS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## For case systems\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CASE_SYSTEMS.read_text(encoding="utf-8"))
    return loaded


def test_the_operations_table_is_the_documents(section: str, document: dict[str, Any]) -> None:
    listed = set(re.findall(r"^\| `(\w+)` \| `(GET|POST) ([^`]+)` \|", section, re.MULTILINE))
    documented = {
        (op["operationId"], method.upper(), path)
        for path, operations in document["paths"].items()
        for method, op in operations.items()
    }
    assert listed == documented


def test_the_problem_table_lists_every_error_status_the_document_gives(section: str, document: dict[str, Any]) -> None:
    listed = {int(status) for status in re.findall(r"^\| (\d{3}) \|", section, re.MULTILINE)}
    documented = {
        int(status)
        for operations in document["paths"].values()
        for op in operations.values()
        for status in op["responses"]
        if int(status) >= 400
    }
    assert listed == documented


def test_the_token_and_headers_are_the_documents(section: str, document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    (scope,) = schemes["caseSystemToken"]["flows"]["clientCredentials"]["scopes"]
    assert f"scope={scope}" in section and f"scope `{scope}`" in section
    assert f"`{schemes['caseSystemApiKey']['name']}`" in section
    assert "grant_type=client_credentials" in section
    place = document["paths"]["/signals"]["post"]
    assert any(p["name"].lower() == "idempotency-key" for p in place["parameters"])
    assert "Idempotency-Key" in section
    listing = document["paths"]["/signals"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"limit", "cursor"}
    assert "next_cursor" in json.dumps(document["components"]["schemas"]["SignalPage"]) and "`next_cursor`" in section
