"""The statistics rules without AWS: the "<5" rule, the median from a histogram, age bands,
periods, grouping, and merging tallies so a transaction touches each counter item once."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import pytest
from pydantic import ValidationError

from verwijsindex.adapters.dynamo.statistics_store import counter_updates, merged
from verwijsindex.domain.national import StatisticsCounted
from verwijsindex.domain.statistics import (
    Counter,
    Dimensions,
    Grouping,
    Tally,
    age_band,
    aggregate,
    days_bucket,
    median_days,
    months_between,
    national_view,
    rights_counter,
    suppress,
    tally,
)
from verwijsindex.logic.statistics_schemas import StatisticsReport, StatisticsRow, to_csv


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, "<5"), (2, "<5"), (4, "<5"), (5, 5), (6, 6), (1234, 1234)])
def test_counts_from_one_to_four_leave_the_index_as_less_than_five(count: int, shown: int | str) -> None:
    assert suppress(count) == shown


def test_the_median_of_a_histogram() -> None:
    assert median_days({1: 1, 2: 1, 3: 1, 4: 1, 10: 1}) == 3
    assert median_days({2: 3, 8: 3}) == 5  # even: between the middle two
    assert median_days({0: 2, 7: 5, 30: 1}) == 7


def test_no_median_below_five_matches() -> None:
    assert median_days({}) is None
    assert median_days({3: 4}) is None
    assert median_days({3: 5}) == 3


def test_days_buckets_are_bounded() -> None:
    assert days_bucket(-1) == "coordinated_day_0"
    assert days_bucket(12) == "coordinated_day_12"
    assert days_bucket(5000) == "coordinated_day_1000"


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2026, 11, 23), "0-3"),
        (date(2022, 11, 24), "0-3"),  # 3 until tomorrow
        (date(2022, 11, 23), "4-11"),
        (date(2014, 11, 23), "12-15"),
        (date(2010, 11, 24), "12-15"),
        (date(2010, 11, 23), "16-17"),
        (date(2008, 11, 23), "18-22"),
        (date(2003, 11, 24), "18-22"),
    ],
)
def test_age_bands_on_the_day(born: date, band: str) -> None:
    assert age_band(born, date(2026, 11, 23)).value == band


def test_months_between_crosses_a_year() -> None:
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between("2026-03", "2026-03") == ["2026-03"]


def test_rights_counters_by_kind_and_deadline() -> None:
    assert rights_counter("kopie", in_time=True) is Counter.RIGHTS_KOPIE_IN_TIME
    assert rights_counter("bezwaar", in_time=False) is Counter.RIGHTS_BEZWAAR_LATE


def test_tallies_of_one_item_are_merged_into_one_update() -> None:
    here = Dimensions("0363", "org-a", "4-11")
    there = Dimensions("0363", "org-b", "4-11")
    day = date(2026, 11, 23)
    tallies = [tally(day, here, Counter.DESTROYED_DEATH)] * 3 + [tally(day, there, Counter.DESTROYED_DEATH)]
    assert sorted((t.dimensions.org_id, dict(t.amounts)) for t in merged(tallies)) == [
        ("org-a", {"destroyed_death": 3}),
        ("org-b", {"destroyed_death": 1}),
    ]
    updates = counter_updates("table", tallies)
    assert len(updates) == 2
    keys = [cast("dict[str, Any]", u["Update"]["Key"]["SK"])["S"] for u in updates]
    assert sorted(keys) == ["C#0363#org-a#4-11", "C#0363#org-b#4-11"]


def test_grouping_sums_the_rows_and_keeps_the_histogram() -> None:
    rows = [
        Tally("2026-10", Dimensions("0363", "org-a", "0-3"), {"placed": 2, "coordinated": 1, "coordinated_day_4": 1}),
        Tally("2026-11", Dimensions("0363", "org-a", "12-15"), {"placed": 3}),
        Tally("2026-11", Dimensions("0014", "org-b", "0-3"), {"placed": 1, "coordinated": 1, "coordinated_day_6": 1}),
    ]
    groups, total = aggregate(rows, Grouping.AGE_BAND)
    assert [(g.key, g.counts["placed"]) for g in groups] == [("0-3", 3), ("12-15", 3)]
    assert groups[0].days == {4: 1, 6: 1}
    assert total.counts["placed"] == 6 and total.counts["coordinated"] == 2
    by_org, _ = aggregate(rows, Grouping.ORGANISATION)
    assert [(g.key, g.counts["placed"]) for g in by_org] == [("org-a", 5), ("org-b", 1)]


def test_the_csv_shows_small_counts_as_in_the_json() -> None:
    counts = {counter: 0 for counter in Counter} | {Counter.PLACED: 7, Counter.MATCH_CLIENT: "<5"}
    row = StatisticsRow(group="org-a", counts=counts, median_days_to_coordinated=None)
    total = row.model_copy(update={"group": "total", "median_days_to_coordinated": 2.5})
    text = to_csv(
        StatisticsReport(first_month="2026-11", last_month="2026-11", by=Grouping.ORGANISATION, rows=[row], total=total)
    )
    header, line, last = text.splitlines()
    assert header.startswith("organisation,placed,")
    assert header.endswith(",median_days_to_coordinated")
    fields = dict(zip(header.split(","), line.split(","), strict=True))
    assert (fields["placed"], fields["match_client"], fields["median_days_to_coordinated"]) == ("7", "<5", "")
    assert last.endswith(",2.5")


def test_the_countrys_totals_count_a_match_across_regions_once() -> None:
    # North and South each counted their side of 3 client matches across regions; North also 2 of its own.
    summed = {"placed": 9, "match_client": 8, "match_client_cross_region": 6, "match_family": 1}
    view = national_view(summed)
    assert view["match_client_cross_region"] == 3
    assert view["match_client"] == 5  # 2 within North + 3 across
    assert view["match_family"] == 1 and view["match_family_cross_region"] == 0
    assert view["placed"] == 9


def test_statistics_events_carry_counts_and_nothing_else() -> None:
    counted = {"region": "north", "month": "2026-11", "cell": "C#0363#org-a#4-11", "counts": {"placed": 3}}
    assert StatisticsCounted.model_validate(counted).counts == {"placed": 3}
    for wrong in (
        {**counted, "youth_key": "a" * 64},  # no other field
        {**counted, "counts": {"placed": -1}},  # counts only grow
        {**counted, "month": "2026-13"},
        {**counted, "cell": "C#0363 org"},
    ):
        with pytest.raises(ValidationError):
            StatisticsCounted.model_validate(wrong)
