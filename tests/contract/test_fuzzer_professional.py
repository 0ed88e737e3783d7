"""The fuzzer finds nothing in the regional API as a professional (see fuzzer.py)."""

from __future__ import annotations

from pathlib import Path

from infra.openapi import REGIONAL
from tests.contract.conftest import PROFESSIONAL
from tests.contract.fuzzer import fuzz


def test_the_fuzzer_finds_nothing_as_a_professional(base_url: str, tmp_path: Path) -> None:
    fuzz(base_url, PROFESSIONAL, REGIONAL, tmp_path)
