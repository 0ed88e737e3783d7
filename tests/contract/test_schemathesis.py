"""schemathesis (every check, a fixed seed, bounded examples) against the local run, for the operator,
a professional, a case system and a caller without a token: no server error, no undocumented status
or content type, every response matching its schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from infra.openapi import CASE_SYSTEMS, REGIONAL
from tests.contract.conftest import CASE_SYSTEM, OPERATOR, PROFESSIONAL, local_token

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = 20261130
EXAMPLES = 5  # per operation and phase: the four runs take about two minutes here


# The operator runs last: its fuzzing may deactivate the sample professional or suspend the sample
# organisation, after which the others would only see refusals.
@pytest.mark.parametrize(
    ("claims", "document"),
    [(PROFESSIONAL, REGIONAL), (CASE_SYSTEM, CASE_SYSTEMS), (None, REGIONAL), (OPERATOR, REGIONAL)],
    ids=["professional", "case system", "no token", "operator"],
)
def test_the_fuzzer_finds_nothing(
    base_url: str, claims: dict[str, object] | None, document: Path, tmp_path: Path
) -> None:
    headers = []
    if claims is not None:
        headers = ["-H", f"Authorization: Bearer {local_token(base_url, claims)}"]
        if claims is CASE_SYSTEM:
            headers += ["-H", "x-api-key: local-run-ignores-it"]
    command = [
        str(Path(sys.executable).parent / "st"),
        "--config-file",
        str(CONFIG),
        "run",
        str(document),
        "--url",
        base_url,
        "--checks",
        "all",
        "--seed",
        str(SEED),
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        "1",
        "--no-shrink",
        "--report",
        "ndjson",
        "--report-dir",
        str(tmp_path),
        *headers,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=170, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
