"""Statistics for the region's operator (DESIGN.md section 5): the counters of a period, grouped
by month, municipality, organisation or age band, with every small count suppressed.

Reading costs one Query per month of the period (the counters, never the signals); the
country's totals, as the national index last sent them, one GetItem per month. The read is
not written to the audit trail: the trail records looks at a youth's data, and counters hold
none (README "Statistics").
"""

from __future__ import annotations

from dataclasses import dataclass

from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.domain.statistics import Group, Grouping, Scope, Tally, aggregate, month_of, months_between
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.statistics_schemas import StatisticsReport, rows_of
from verwijsindex.ports.statistics import StatisticsStore

# A report reads one Query per month: five years is the longest period asked at once.
MAX_MONTHS = 60
DEFAULT_MONTHS = 12


@dataclass
class StatisticsService:
    store: StatisticsStore
    clock: Clock

    def default_period(self) -> tuple[str, str]:
        """The last twelve months, this one included."""
        today = dutch_day(self.clock.now())
        last = month_of(today)
        year, month = today.year, today.month - (DEFAULT_MONTHS - 1)
        while month < 1:
            year, month = year - 1, month + 12
        return f"{year:04d}-{month:02d}", last

    def report(
        self,
        caller: Caller,
        first: str | None,
        last: str | None,
        by: Grouping = Grouping.MONTH,
        scope: Scope = Scope.REGION,
    ) -> StatisticsReport:
        require_operator(caller)
        default_first, default_last = self.default_period()
        first, last = first or default_first, last or default_last
        if first > last:
            raise Unprocessable("from lies after to", field="from")
        span = (int(last[:4]) * 12 + int(last[5:7])) - (int(first[:4]) * 12 + int(first[5:7])) + 1
        if span > MAX_MONTHS:
            raise Unprocessable(f"a period of at most {MAX_MONTHS} months", field="from")
        if scope is Scope.NATIONAL and by is not Grouping.MONTH:
            raise Unprocessable("the country's totals are given per month only", field="by")
        months = months_between(first, last)
        regions: int | None = None
        rows: list[Tally] = []
        if scope is Scope.NATIONAL:
            regions = 0
            for month in months:
                reporting, found = self.store.national_month(month)
                regions, rows = max(regions, reporting), rows + found
        else:
            rows = self.store.months(months)
        groups, total = aggregate(rows, by)
        if by is Grouping.MONTH:  # every month of the period, also one without any work
            found_groups = {group.key: group for group in groups}
            groups = [found_groups.get(month, Group(key=month)) for month in months]
        shown_rows, shown_total = rows_of(groups, total)
        return StatisticsReport(
            first_month=first,
            last_month=last,
            by=by,
            scope=scope,
            regions=regions,
            rows=shown_rows,
            total=shown_total,
        )
