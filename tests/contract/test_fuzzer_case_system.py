"""The fuzzer finds nothing in the case systems' API as a case system (see fuzzer.py)."""

from __future__ import annotations

from pathlib import Path

from infra.openapi import CASE_SYSTEMS
from tests.contract.conftest import CASE_SYSTEM
from tests.contract.fuzzer import fuzz


def test_the_fuzzer_finds_nothing_as_a_case_system(base_url: str, tmp_path: Path) -> None:
    fuzz(base_url, CASE_SYSTEM, CASE_SYSTEMS, tmp_path)
