"""Every Lambda entry point imports at cold start only what its first request needs.

The entry points are the handlers the stacks deploy (every `<module>.lambda_handler` named in
infra/constructs/), so a new function is checked as soon as a construct deploys it. Each handler
module is imported in a fresh interpreter, as Lambda does, with the environment of a function whose
traces are not kept; then its sys.modules is checked against the heavy modules below. A module listed
here may only be imported at import time by the handlers named next to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.deployed import deployed_handlers

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"

# heavy module -> the entry points whose first request needs it (all others must not import it)
HEAVY: dict[str, frozenset[str]] = {
    # Powertools' Tracer pulls in the X-Ray SDK, even when tracing is off: only where traces are kept.
    "aws_xray_sdk": frozenset(),
    # The idempotency layer and its DynamoDB persistence: only a POST /signals with an Idempotency-Key.
    "aws_lambda_powertools.utilities.idempotency": frozenset(),
    # The OpenAPI document's models: Swagger UI is the local run's; the stack serves no such route.
    "aws_lambda_powertools.event_handler.openapi.models": frozenset(),
    # SSM through Powertools Parameters: when a key is first used, not at import.
    "aws_lambda_powertools.utilities.parameters": frozenset(),
    # Powertools Parser and its event models: the stream and bus envelopes are our own small models.
    "aws_lambda_powertools.utilities.parser": frozenset(),
    # Stream batches: the stream functions only.
    "aws_lambda_powertools.utilities.batch": frozenset({"match.handler", "national_link.publish"}),
    # Powertools' request validation (its OpenAPI parameters and pydantic glue): the validating APIs.
    "aws_lambda_powertools.event_handler.openapi.params": frozenset(
        {"place_signal.handler", "registry.handler", "rights_request.handler", "brp_notifications.handler"}
    ),
    # The template engine: the portal's pages only.
    "jinja2": frozenset({"portal.handler"}),
    # The BRP client: built by the composition root when a request needs a person.
    "verwijsindex.adapters.brp.haal_centraal": frozenset(),
    # The person registry's port and its person model: the problem handlers need its errors only.
    "verwijsindex.ports.person_registry": frozenset(),
    # Use cases are built by the composition root on first use; a function's own module may name
    # the work it recognises (matching, lifecycle, national link), never another function's use case.
    "verwijsindex.logic.signals": frozenset(),
    "verwijsindex.logic.match_views": frozenset(),
    "verwijsindex.logic.registry": frozenset(),
    "verwijsindex.logic.rights": frozenset(),
    "verwijsindex.logic.audit_trail": frozenset(),
    "verwijsindex.logic.dossier": frozenset(),
    "verwijsindex.logic.dossier_document": frozenset(),
    "verwijsindex.logic.matching": frozenset({"match.handler", "national_link.publish"}),
    "verwijsindex.logic.lifecycle": frozenset({"expire.handler", "expire.purge"}),
    "verwijsindex.logic.national_link": frozenset({"national_link.publish"}),
    "verwijsindex.logic.national_index": frozenset({"national_index.handler"}),
}


def defined_handlers() -> set[str]:
    """Every module under functions/ (outside the shared package) that defines a Lambda handler."""
    return {
        f"{path.parent.name}.{path.stem}"
        for path in FUNCTIONS.glob("*/*.py")
        if path.parent.name != "verwijsindex" and "def lambda_handler(" in path.read_text(encoding="utf-8")
    }


HANDLERS = deployed_handlers()


def lambda_env(*, traces_kept: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "AWS_", "LAMBDA_"))}
    env.update(
        {
            "PYTHONPATH": str(FUNCTIONS),
            "LAMBDA_TASK_ROOT": str(FUNCTIONS),
            "AWS_LAMBDA_FUNCTION_NAME": "cold-start-check",
            "AWS_DEFAULT_REGION": "eu-west-1",
            "POWERTOOLS_TRACE_DISABLED": "false" if traces_kept else "true",
        }
    )
    return env


def start_import(module: str, env: dict[str, str]) -> subprocess.Popen[str]:
    code = f"import json, sys\nimport {module}\nprint(json.dumps(sorted(sys.modules)))"
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, cwd=FUNCTIONS, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def loaded_modules(process: subprocess.Popen[str]) -> set[str]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return set(json.loads(out.splitlines()[-1]))


@pytest.fixture(scope="module")
def imported() -> dict[str, set[str]]:
    """Each entry point's sys.modules after importing it alone (all imports run side by side)."""
    env = lambda_env(traces_kept=False)
    processes = {module: start_import(module, env) for module in HANDLERS}
    return {module: loaded_modules(process) for module, process in processes.items()}


def test_every_handler_defined_is_deployed_and_checked() -> None:
    """The list comes from the stacks; a handler module no construct deploys (or a construct naming
    a module that does not exist) is a mistake either way."""
    assert {"place_signal.handler", "registry.handler", "match.handler", "expire.purge"} <= set(HANDLERS)
    assert set(HANDLERS) == defined_handlers()
    named = set().union(*HEAVY.values())
    assert named <= set(HANDLERS), f"unknown handlers in HEAVY: {named - set(HANDLERS)}"


@pytest.mark.parametrize("handler", HANDLERS)
def test_a_handler_imports_no_heavy_module_its_first_request_does_not_need(
    handler: str, imported: dict[str, set[str]]
) -> None:
    loaded = imported[handler]
    unneeded = sorted(
        heavy
        for heavy, needed_by in HEAVY.items()
        if handler not in needed_by and any(name == heavy or name.startswith(heavy + ".") for name in loaded)
    )
    assert unneeded == [], f"{handler} imports at cold start what its first request does not need: {unneeded}"


@pytest.mark.parametrize("heavy", sorted(HEAVY))
def test_a_heavy_module_is_imported_where_the_first_request_needs_it(heavy: str, imported: dict[str, set[str]]) -> None:
    """The other side: a handler allowed a heavy module really imports it, so the table above stays
    true (an allowance nobody uses any more would hide a regression there)."""
    missing = sorted(
        handler
        for handler in HEAVY[heavy]
        if not any(name == heavy or name.startswith(heavy + ".") for name in imported[handler])
    )
    assert missing == [], f"{heavy} is allowed but no longer imported by {missing}: drop it from HEAVY"


def test_the_x_ray_sdk_is_imported_where_traces_are_kept() -> None:
    """The other side of the tracer rule: with tracing on, the handler is traced (so the check above
    is about where traces are off, not about tracing having gone missing)."""
    loaded = loaded_modules(start_import("place_signal.handler", lambda_env(traces_kept=True)))
    assert "aws_xray_sdk.core" in loaded
