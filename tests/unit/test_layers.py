"""The layers hold: no adapter imports a use case or the API, ports and the domain import no
adapter, and the use cases reach every adapter (the stores, mail, the person registry, the national
bus, the user directory, the pseudonyms) only through its port, and never name the table's key layout.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "functions" / "verwijsindex"

# Every adapter is behind a port: a use case names the port instead.
PORTED_ADAPTERS = ("verwijsindex.adapters",)


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


def key_layout_uses(path: Path) -> list[str]:
    """Where a module names anything of a `keys` module (imported as a module or by name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.rsplit(".", 1)[-1] == "keys":
                names.update(alias.asname or alias.name for alias in node.names)
            names.update(alias.asname or alias.name for alias in node.names if alias.name == "keys")
        elif isinstance(node, ast.Import):
            names.update((alias.asname or alias.name) for alias in node.names if alias.name.endswith(".keys"))
    return [
        f"{path.name}:{node.lineno} {node.id}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in names
    ]


def test_no_use_case_names_the_key_layout() -> None:
    """The DynamoDB adapters own every key: a use case neither imports a `keys` module nor uses one."""
    assert [use for path in modules("logic") for use in key_layout_uses(path)] == []


def test_the_check_sees_a_key_built_in_a_use_case(tmp_path: Path) -> None:
    module = tmp_path / "use_case.py"
    module.write_text("from verwijsindex.adapters.dynamo import keys\n\nSUBJECT = keys.youth_pk('y')\n")
    assert key_layout_uses(module) == ["use_case.py:3 keys"]


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "use_case.py"
    module.write_text("from verwijsindex.adapters.email import SesMailer\nimport verwijsindex.api.identity\n")
    assert imports(module) >= {"verwijsindex.adapters.email.SesMailer", "verwijsindex.api.identity"}
