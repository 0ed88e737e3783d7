"""The committed OpenAPI documents are what the handlers declare, and describe every operation well."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from infra.openapi import CASE_SYSTEMS, REGIONAL, case_system_document, regional_document, render
from infra.routes import api_routes, module_for

REGENERATE = "the handlers' routes changed: run `make openapi` and commit the documents"


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    return regional_document()


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(REGIONAL.read_text(encoding="utf-8"))
    return document


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def test_the_committed_documents_are_what_the_handlers_declare(built: dict[str, Any]) -> None:
    assert REGIONAL.read_text(encoding="utf-8") == render(built), REGENERATE
    assert CASE_SYSTEMS.read_text(encoding="utf-8") == render(case_system_document(built)), REGENERATE


def test_every_operation_has_a_method_name_a_tag_a_summary_and_a_description(committed: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(committed)]
    assert len(ids) == len(set(ids))
    tags = {tag["name"] for tag in committed["tags"]}
    assert tags == {"signals", "matches", "registry", "rights", "audit", "statistics", "brp", "operations"}
    for method, path, op in operations(committed):
        assert re.fullmatch(r"[a-z][A-Za-z]+", op["operationId"]), (method, path)
        assert len(op["tags"]) == 1 and op["tags"][0] in tags, (method, path)
        assert op.get("summary") and op.get("description"), (method, path)
        assert op.get("security"), (method, path)


def test_every_error_is_a_documented_problem(committed: dict[str, Any]) -> None:
    for method, path, op in operations(committed):
        statuses = {int(status) for status in op["responses"]}
        assert {401, 403, 422, 429, 500} <= statuses, (method, path)
        if "requestBody" in op:
            assert {400, 413, 415} <= statuses, (method, path)
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
    assert "HTTPValidationError" not in committed["components"]["schemas"]


def test_the_case_system_document_holds_only_the_case_system_routes(committed: dict[str, Any]) -> None:
    cases = json.loads(CASE_SYSTEMS.read_text(encoding="utf-8"))
    assert set(cases["components"]["securitySchemes"]) == {"caseSystemToken", "caseSystemApiKey"}
    expected = {(m, p) for m, p, op in operations(committed) if any("caseSystemToken" in r for r in op["security"])}
    assert {(m, p) for m, p, _ in operations(cases)} == expected
    assert {p for _, p in expected} == {p for p in committed["paths"] if p.startswith(("/signals", "/matches"))}
    for _, _, op in operations(cases):
        assert op["security"] == [{"caseSystemToken": ["verwijsindex/signals"], "caseSystemApiKey": []}]
    token_url = cases["components"]["securitySchemes"]["caseSystemToken"]["flows"]["clientCredentials"]
    assert token_url["tokenUrl"].endswith("/oauth2/token")


def test_the_local_router_sends_every_documented_operation_to_its_handler(committed: dict[str, Any]) -> None:
    declared = {(r.method, r.path): r.module for r in api_routes()}
    assert set(declared) == {(m.upper(), p) for m, p, _ in operations(committed)}
    for (_, path), module in declared.items():
        concrete = re.sub(r"\{\w+\}", "x-1", path)
        assert module_for(concrete) == module, path


def test_every_field_and_parameter_is_described(committed: dict[str, Any]) -> None:
    for name, schema in committed["components"]["schemas"].items():
        if "enum" in schema:
            assert schema.get("description"), name
        for field, spec in schema.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field}: describe it in the model or infra/openapi_glossary.py"
    for method, path, op in operations(committed):
        for parameter in op.get("parameters", []):
            assert parameter.get("description"), (method, path, parameter["name"])


def test_every_example_fits_its_schema_and_bsns_are_test_numbers(committed: dict[str, Any]) -> None:
    checked = 0
    fields = [
        (f"{name}.{field}", spec)
        for name, schema in committed["components"]["schemas"].items()
        for field, spec in schema.get("properties", {}).items()
    ] + [
        (f"{op['operationId']}.{p['name']}", p["schema"])
        for _, _, op in operations(committed)
        for p in op.get("parameters", [])
    ]
    for where, spec in fields:
        for example in spec.get("examples", []):
            errors = list(Draft202012Validator({k: v for k, v in spec.items() if k != "examples"}).iter_errors(example))
            assert not errors, (where, example, errors)
            checked += 1
            if where.endswith(".bsn"):
                assert str(example).startswith("9999"), where
    place = committed["components"]["schemas"]["PlaceSignalRequest"]["properties"]
    assert place["bsn"]["examples"] == ["999990196"]
    assert checked >= 20
