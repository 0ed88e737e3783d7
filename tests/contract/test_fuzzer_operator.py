"""The fuzzer finds nothing in the regional API as the operator (see fuzzer.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.openapi import REGIONAL
from tests.contract.conftest import OPERATOR, local_run
from tests.contract.fuzzer import fuzz


@pytest.fixture(scope="module")
def own_local_run() -> Iterator[str]:
    """The operator's fuzzing may deactivate the sample professional or suspend the sample
    organisation: on a local run of its own, the other modules of this worker keep theirs."""
    with local_run() as url:
        yield url


def test_the_fuzzer_finds_nothing_as_the_operator(own_local_run: str, tmp_path: Path) -> None:
    fuzz(own_local_run, OPERATOR, REGIONAL, tmp_path)
