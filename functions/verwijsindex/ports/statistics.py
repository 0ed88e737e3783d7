"""The statistics counters of the region (logic/statistics.py) and the national totals it keeps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from verwijsindex.domain.statistics import Tally


class StatisticsStore(Protocol):
    def months(self, months: Iterable[str]) -> list[Tally]: ...

    def national_month(self, month: str) -> tuple[int, list[Tally]]:
        """The country's totals of one month as a row, and how many regions reported."""
        ...

    def keep_national(self, month: str, version: int, regions: int, counts: dict[str, int]) -> bool:
        """Keeps the month's national totals unless an equal or newer version is held (False then)."""
        ...
