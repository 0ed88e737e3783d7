"""The layers hold: no adapter imports a use case or the API, ports and the domain import no
adapter, and the use cases reach the registry, the audit log, mail, the person registry, the
national bus, the user directory and the pseudonyms only through their ports.

The stores of signals, matches and the other single-table data are not listed here yet: their
ports are still being cut, and this test grows with them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "functions" / "verwijsindex"

# Adapters behind a port: a use case names the port instead.
PORTED_ADAPTERS = (
    "verwijsindex.adapters.accounts",
    "verwijsindex.adapters.brp",
    "verwijsindex.adapters.email",
    "verwijsindex.adapters.national_bus",
    "verwijsindex.adapters.pseudonym",
    "verwijsindex.adapters.dynamo.audit_log",
    "verwijsindex.adapters.dynamo.registry_store",
)


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def offenders(layer: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in imports(path) if any(name == f or name.startswith(f + ".") for f in forbidden)
        )
        for path in modules(layer)
    }
    return {module: names for module, names in found.items() if names}


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("adapters", ("verwijsindex.logic", "verwijsindex.api")),
        ("ports", ("verwijsindex.adapters", "verwijsindex.logic", "verwijsindex.api")),
        ("domain", ("verwijsindex.adapters", "verwijsindex.logic", "verwijsindex.api", "verwijsindex.ports")),
        ("logic", ("verwijsindex.api", *PORTED_ADAPTERS)),
    ],
)
def test_a_layer_imports_nothing_above_it_or_behind_a_port(layer: str, forbidden: tuple[str, ...]) -> None:
    assert modules(layer), f"no modules found in {layer}/"
    assert offenders(layer, forbidden) == {}


def test_no_use_case_builds_an_audit_subject_from_a_table_key() -> None:
    """An audit entry names a youth or an organisation as a domain value (`AuditSubject`); the audit
    store alone knows the keys of its partitions."""
    keyed = {
        str(path.relative_to(PACKAGE))
        for path in modules("logic")
        if any(
            call in path.read_text(encoding="utf-8")
            for call in ("keys.org_pk(", "keys.undeliverable_pk(", '"ACTOR#', '"MOVE#')
        )
    }
    assert keyed == set()


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "use_case.py"
    module.write_text("from verwijsindex.adapters.email import SesMailer\nimport verwijsindex.api.identity\n")
    assert imports(module) >= {"verwijsindex.adapters.email.SesMailer", "verwijsindex.api.identity"}
