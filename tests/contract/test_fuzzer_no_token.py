"""The fuzzer finds nothing in the regional API without a token (see fuzzer.py)."""

from __future__ import annotations

from pathlib import Path

from infra.openapi import REGIONAL
from tests.contract.fuzzer import fuzz


def test_the_fuzzer_finds_nothing_without_a_token(base_url: str, tmp_path: Path) -> None:
    fuzz(base_url, None, REGIONAL, tmp_path)
