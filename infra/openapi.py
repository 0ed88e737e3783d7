"""The OpenAPI documents of the regional API, built from the handlers' own route definitions.

`make openapi` (python -m infra.openapi) writes them; a test fails when the committed ones drift.

- regional.json: every operation of the region (the portal API, and the local run).
- case-systems.json: only what the case-system API serves, with only its security schemes.

Each Lambda serves only its own routes; here every handler's router goes into one resolver,
only to describe them together.
"""

from __future__ import annotations

import copy
import importlib
import json
import sys
from pathlib import Path
from typing import Any

DOCUMENTS = Path(__file__).resolve().parent.parent / "functions" / "verwijsindex" / "api" / "openapi"
REGIONAL = DOCUMENTS / "regional.json"
CASE_SYSTEMS = DOCUMENTS / "case-systems.json"

# Function (folder under functions/) -> the handler module that declares its HTTP routes.
API_HANDLERS: dict[str, str] = {
    "place_signal": "place_signal.handler",
    "registry": "registry.handler",
    "rights_request": "rights_request.handler",
    "brp_notifications": "brp_notifications.handler",
}
VERSION = "1.0.0"
DESCRIPTION = """\
The regional API of the open Verwijsindex (referral index for youth care, Jeugdwet 7.1).

Professionals and case systems place a signal ("I am involved with this youth"); when a professional
of another organisation signals the same youth, both get an e-mail with each other's contact details.
The region's operator keeps the register of organisations and handles the rights of families.

Every error is an RFC 9457 problem (`application/problem+json`) whose `errors` name the fields at fault.
Bodies are JSON objects of at most 8 KiB; unknown fields are refused.
"""
CASE_SYSTEM_DESCRIPTION = """\
The case-system API of the open Verwijsindex: the signal routes for case systems, with the OAuth2
client-credentials grant (scope `verwijsindex/signals`) and an API key per case system.

Every error is an RFC 9457 problem (`application/problem+json`) whose `errors` name the fields at fault.
"""


def _ensure_import_path() -> None:
    functions = str(DOCUMENTS.parent.parent.parent)
    if functions not in sys.path:
        sys.path.insert(0, functions)


def _unreferenced_schemas_removed(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({k: v for k, v in document.items() if k != "components"}) + json.dumps(
            {**document.get("components", {}), "schemas": schemas}
        )
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return document
        for name in unused:
            del schemas[name]


def _described(document: dict[str, Any]) -> dict[str, Any]:
    """Descriptions and examples from the glossary where a model or parameter gives none."""
    from infra.openapi_glossary import DESCRIPTIONS, ENUM_DESCRIPTIONS, EXAMPLES

    def lookup(table: dict[str, Any], owner: str, name: str) -> Any:
        return table.get(f"{owner}.{name}", table.get(name.lower()))

    for schema_name, schema in document.get("components", {}).get("schemas", {}).items():
        if "enum" in schema and not schema.get("description") and schema_name in ENUM_DESCRIPTIONS:
            schema["description"] = ENUM_DESCRIPTIONS[schema_name]
        for name, field in schema.get("properties", {}).items():
            if not field.get("description") and lookup(DESCRIPTIONS, schema_name, name):
                field["description"] = lookup(DESCRIPTIONS, schema_name, name)
            example = lookup(EXAMPLES, schema_name, name)
            if example is not None and "examples" not in field and "$ref" not in field:
                field["examples"] = [example]
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if not parameter.get("description") and lookup(DESCRIPTIONS, operation["operationId"], name):
                    parameter["description"] = lookup(DESCRIPTIONS, operation["operationId"], name)
                example = lookup(EXAMPLES, operation["operationId"], name)
                if example is not None and "examples" not in parameter["schema"]:
                    parameter["schema"]["examples"] = [example]
    return document


def regional_document() -> dict[str, Any]:
    """Every operation of the region, as the handlers declare them."""
    _ensure_import_path()
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.event_handler.openapi.models import Tag as TagObject

    from verwijsindex.api.contract import SECURITY_SCHEMES, Tag

    combined = APIGatewayRestResolver(enable_validation=True)
    for module in API_HANDLERS.values():
        combined.include_router(importlib.import_module(module).router)
    document: dict[str, Any] = json.loads(
        combined.get_openapi_json_schema(
            title="Verwijsindex: regional API",
            version=VERSION,
            description=DESCRIPTION,
            security_schemes=copy.deepcopy(SECURITY_SCHEMES),
            tags=[TagObject(name=tag.value, description=tag.description) for tag in Tag],
        )
    )
    document["paths"] = dict(sorted(document["paths"].items()))
    return _described(_unreferenced_schemas_removed(document))


def case_system_document(regional: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the case-system API serves: the operations a case system may call, its schemes only."""
    from verwijsindex.api.contract import CASE_SYSTEM_API_KEY, CASE_SYSTEM_TOKEN, ID_TOKEN, serves_case_systems

    document = copy.deepcopy(regional if regional is not None else regional_document())
    document["info"] = {
        **document["info"],
        "title": "Verwijsindex: case-system API",
        "description": CASE_SYSTEM_DESCRIPTION,
    }
    paths: dict[str, Any] = {}
    for path, operations in document["paths"].items():
        kept = {}
        for method, operation in operations.items():
            if serves_case_systems(operation.get("security")):
                operation["security"] = [r for r in operation["security"] if CASE_SYSTEM_TOKEN in r]
                kept[method] = operation
        if kept:
            paths[path] = kept
    document["paths"] = paths
    schemes = document["components"]["securitySchemes"]
    document["components"]["securitySchemes"] = {
        name: scheme for name, scheme in schemes.items() if name in {CASE_SYSTEM_TOKEN, CASE_SYSTEM_API_KEY}
    }
    assert ID_TOKEN not in document["components"]["securitySchemes"]
    used_tags = {tag for operations in paths.values() for op in operations.values() for tag in op.get("tags", [])}
    document["tags"] = [tag for tag in document.get("tags", []) if tag["name"] in used_tags]
    return _unreferenced_schemas_removed(document)


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    regional = regional_document()
    DOCUMENTS.mkdir(parents=True, exist_ok=True)
    REGIONAL.write_text(render(regional), encoding="utf-8")
    CASE_SYSTEMS.write_text(render(case_system_document(regional)), encoding="utf-8")
    for path in (REGIONAL, CASE_SYSTEMS):
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
