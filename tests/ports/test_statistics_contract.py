"""The statistics port: the same cases against the in-memory fake and the counters in the single table
on moto. The region's counters are written by the change they count (here a signal placed and
closed), and read back per month; the country's totals are kept only when newer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tests.ports.main_table import MainTable, entry, signal
from verwijsindex.domain.models import CloseReason
from verwijsindex.domain.statistics import Counter, Dimensions, Tally, tally
from verwijsindex.ports.signals import Placement

NORTH = Dimensions(municipality="0014", org_id="org-a", age_band="12-15")
SOUTH = Dimensions(municipality="0772", org_id="org-a", age_band="4-11")
NOVEMBER, DECEMBER = date(2026, 11, 23), date(2026, 12, 2)

Row = tuple[str, Dimensions, dict[str, int]]


def rows(tallies: Iterable[Tally]) -> list[Row]:
    """One row per counter item, in a fixed order (the port promises none within a month)."""
    found = [(one.month, one.dimensions, dict(one.amounts)) for one in tallies]
    return sorted(found, key=lambda row: (row[0], repr(row[1])))


def test_counts_written_with_a_change_are_read_back_per_month_and_counter_item(table: MainTable) -> None:
    placed = signal("s-1")
    counts = [tally(NOVEMBER, NORTH, Counter.PLACED), tally(NOVEMBER, NORTH, Counter.PLACED)]
    assert table.signals.create(
        Placement(signal=placed, audit=entry("s-1"), counts=[*counts, tally(NOVEMBER, SOUTH, Counter.PLACED)])
    )
    # Refused (the professional holds an active signal on the youth): nothing is counted.
    assert not table.signals.create(
        Placement(signal=signal("s-2"), audit=entry("s-2"), counts=[tally(NOVEMBER, NORTH, Counter.PLACED)])
    )
    closing = [tally(DECEMBER, NORTH, Counter.CLOSED_ENDED), tally(DECEMBER, NORTH, Counter.COORDINATED, days=9)]
    table.signals.close(placed.closed(DECEMBER, CloseReason.ENDED), date(2031, 12, 2), entry("s-1"), closing)

    assert rows(table.statistics.months(["2026-10", "2026-11", "2026-12"])) == [
        ("2026-11", NORTH, {"placed": 2}),
        ("2026-11", SOUTH, {"placed": 1}),
        ("2026-12", NORTH, {"closed_ended": 1, "coordinated": 1, "coordinated_day_9": 1}),
    ]
    assert table.statistics.months(["2026-10"]) == []
    assert rows(table.statistics.months(["2026-12"])) == rows(table.statistics.months(["2026-11", "2026-12"]))[2:]


def test_the_countrys_totals_are_kept_only_when_newer_and_apart_from_the_regions_counters(
    table: MainTable,
) -> None:
    store = table.statistics
    assert store.national_month("2026-11") == (0, [])
    assert store.keep_national("2026-11", 7, 2, {"placed": 5, "match_client": 2})
    assert store.national_month("2026-11") == (2, [Tally("2026-11", Dimensions(), {"placed": 5, "match_client": 2})])
    # The same version again, or an older one arriving late: the held totals stay.
    assert not store.keep_national("2026-11", 7, 3, {"placed": 6})
    assert not store.keep_national("2026-11", 4, 1, {"placed": 1})
    assert store.national_month("2026-11")[0] == 2
    # A newer version replaces the month's totals as a whole.
    assert store.keep_national("2026-11", 9, 3, {"placed": 8})
    assert store.national_month("2026-11") == (3, [Tally("2026-11", Dimensions(), {"placed": 8})])
    assert store.national_month("2026-12") == (0, [])
    assert store.months(["2026-11"]) == []  # the country's totals are not this region's counters
