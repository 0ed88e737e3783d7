"""In-memory StatisticsStore (functions/verwijsindex/ports/statistics.py): the region's counters are
the tallies the other fakes of the main table add in their FakeIndex with the change they count; the
country's totals are kept per month, a newer version replacing an older one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tests.fakes.index import FakeIndex
from verwijsindex.domain.statistics import Dimensions, Tally


@dataclass(frozen=True)
class _Totals:
    version: int
    regions: int
    counts: dict[str, int]


class FakeStatisticsStore:
    def __init__(self, index: FakeIndex) -> None:
        self.index = index
        self._national: dict[str, _Totals] = {}

    def months(self, months: Iterable[str]) -> list[Tally]:
        return [row for month in months for row in self._month(month)]

    def _month(self, month: str) -> list[Tally]:
        """One row per counter item, as the table keeps them: the month's tallies summed per
        municipality, organisation and age band."""
        sums: dict[Dimensions, dict[str, int]] = {}
        for one in self.index.tallies:
            if one.month == month:
                amounts = sums.setdefault(one.dimensions, {})
                for name, amount in one.amounts.items():
                    amounts[name] = amounts.get(name, 0) + amount
        cells = sorted(sums, key=lambda d: f"{d.municipality}#{d.org_id}#{d.age_band}")
        return [Tally(month, dimensions, sums[dimensions]) for dimensions in cells]

    def national_month(self, month: str) -> tuple[int, list[Tally]]:
        held = self._national.get(month)
        if held is None:
            return 0, []
        return held.regions, [Tally(month, Dimensions(), dict(held.counts))]

    def keep_national(self, month: str, version: int, regions: int, counts: dict[str, int]) -> bool:
        held = self._national.get(month)
        if held is not None and held.version >= version:
            return False
        self._national[month] = _Totals(version, regions, dict(counts))
        return True
