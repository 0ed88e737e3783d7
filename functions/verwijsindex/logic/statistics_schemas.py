"""The statistics report as it leaves the index (JSON and CSV): every count already suppressed."""

from __future__ import annotations

import csv
import io
from typing import Literal

from pydantic import Field

from verwijsindex.domain.statistics import Counter, Group, Grouping, Scope, median_days
from verwijsindex.domain.suppression import Shown, protect
from verwijsindex.logic.schemas import Strict

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"

SmallCount = int | Literal["<5", "x"]


class StatisticsRow(Strict):
    group: str = Field(
        description="The month (YYYY-MM), municipality (CBS code), organisation id or age band; "
        "`-` where the event has none (a rights request has no organisation)."
    )
    counts: dict[Counter, SmallCount] = Field(
        description='Each counter\'s sum over the period; a count from 1 to 4 is given as "<5"; "x" is a count '
        "hidden so that a small count elsewhere cannot be derived (from the total and the other rows): it may be 5 "
        "or more."
    )
    median_days_to_coordinated: float | None = Field(
        description="Median days from match to afgestemd of the matches coordinated; absent below 5 matches."
    )


class StatisticsReport(Strict):
    first_month: str = Field(description="The period's first month (YYYY-MM).", examples=["2026-01"])
    last_month: str = Field(description="The period's last month (YYYY-MM).", examples=["2026-12"])
    by: Grouping = Field(description="How the rows are grouped.")
    scope: Scope = Field(
        default=Scope.REGION, description="region: this region's counters; national: the country's totals."
    )
    regions: int | None = Field(
        default=None, description="For the country's totals: how many regions reported (at most, over the months)."
    )
    rows: list[StatisticsRow] = Field(description="One row per group that saw any work, in order.")
    total: StatisticsRow = Field(
        description="The whole period (group `total`), summed before suppression; where the total and the other "
        'rows would give a "<5" back, one more count of that counter is hidden as "x" (the total itself where '
        "no row can protect it)."
    )


def rows_of(groups: list[Group], total: Group) -> tuple[list[StatisticsRow], StatisticsRow]:
    """The rows and the total as they may leave the index, each counter's column protected as a
    whole (`protect`): a cell alone cannot tell whether the total would give it back."""
    columns = {c: protect([group.counts[c] for group in groups], total.counts[c]) for c in Counter}

    def row(group: Group, counts: dict[Counter, Shown]) -> StatisticsRow:
        return StatisticsRow(group=group.key, counts=counts, median_days_to_coordinated=median_days(group.days))

    rows = [row(group, {c: column[n] for c, (column, _) in columns.items()}) for n, group in enumerate(groups)]
    return rows, row(total, {c: shown_total for c, (_, shown_total) in columns.items()})


def to_csv(report: StatisticsReport) -> str:
    """One line per group and a total line; small counts as "<5" and counts hidden to protect them as "x",
    as in the JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([report.by.value, *(c.value for c in Counter), "median_days_to_coordinated"])
    for row in [*report.rows, report.total]:
        median = "" if row.median_days_to_coordinated is None else f"{row.median_days_to_coordinated:g}"
        writer.writerow([row.group, *(row.counts[c] for c in Counter), median])
    return out.getvalue()
