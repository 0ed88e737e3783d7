"""The main table for the contract cases: each case runs once on the in-memory fakes and once on the
DynamoDB adapters on an embedded moto (main_table.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ports.main_table import KINDS, MainTable, main_table


@pytest.fixture(params=KINDS)
def table(request: pytest.FixtureRequest) -> Iterator[MainTable]:
    with main_table(request.param) as found:
        yield found


@pytest.fixture(params=KINDS)
def linked(request: pytest.FixtureRequest) -> Iterator[MainTable]:
    """The same, in a region linked to the national index: what changes owes it is outstanding work."""
    with main_table(request.param, national_link=True) as found:
        yield found
