"""The country's totals: each region's counter items travel to the national index as snapshots
(StatisticsCounted), which keeps the newest of each and answers the region with the month's
totals over all regions (NationalTotals); GET /statistics?scope=national reads them. On moto,
North and South linked in process as in the stacks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infra.local.events import rest_event
from tests.conftest import NOW, OPERATOR
from tests.integration.test_national_link import (
    PROS,
    Nation,
    nation,  # noqa: F401 - the fixture, used by name
)
from tests.support import HttpResult, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import dutch_day
from verwijsindex.domain.statistics import month_of

MONTH = month_of(dutch_day(NOW))
YOUTHS = tuple(valid_bsn(f"3700{n}000") for n in range(1, 6))


@pytest.fixture(autouse=True)
def people(persons: FakePersonRegistry) -> None:
    for n, bsn in enumerate(YOUTHS):
        persons.add(youth(bsn, date(2012 + n, 3, 1)))


def statistics(world: Nation, region: str, **query: str) -> HttpResult:
    event = rest_event("GET", "/statistics", claims=OPERATOR, query={"from": MONTH, "to": MONTH, **query})
    response = world.local.api(region, event)
    return HttpResult(response["statusCode"], dict(response.get("headers") or {}), response.get("body") or "")


def national_counts(world: Nation, region: str) -> tuple[int, dict[str, int]]:
    regions, rows = world.local.regions[region].services.statistics_store.national_month(MONTH)
    return regions, {k: v for row in rows for k, v in row.amounts.items() if v}


@pytest.fixture
def worked(nation: Nation) -> Nation:  # noqa: F811 - the imported fixture
    """North (A) signals three youths, South (B) the first three as well: six placed in the
    country, three client matches across the regions (each region holds one side of each)."""
    for n, bsn in enumerate(YOUTHS[:3]):
        nation.place("A", bsn, f"NRD-{n}")
    for n, bsn in enumerate(YOUTHS[:3]):
        nation.place("B", bsn, f"ZD-{n}")
    nation.local.settle()
    return nation


def test_every_region_holds_the_countrys_totals_with_cross_region_matches_once(worked: Nation) -> None:
    for region in ("north", "south"):
        regions, counts = national_counts(worked, region)
        assert regions == 2
        assert counts == {"placed": 6, "match_client": 3, "match_client_cross_region": 3}
    # Each region's own counters hold its own side only.
    own = worked.local.regions["north"].services.statistics_store.month(MONTH)
    assert sum(row.amounts.get("placed", 0) for row in own) == 3
    assert sum(row.amounts.get("match_client_cross_region", 0) for row in own) == 3


def test_the_operator_reads_them_with_small_counts_suppressed(worked: Nation) -> None:
    worked.place("A", YOUTHS[3], "NRD-3")
    worked.local.settle()
    answer = statistics(worked, "north", scope="national")
    assert answer.status == 200, answer.text
    report = answer.json
    assert (report["scope"], report["regions"]) == ("national", 2)
    assert report["total"]["counts"]["placed"] == 7
    assert report["total"]["counts"]["match_client"] == "<5"
    own = statistics(worked, "north").json
    assert own["scope"] == "region" and own["total"]["counts"]["placed"] == "<5"  # North's own 4


def test_the_countrys_totals_are_per_month_only(worked: Nation) -> None:
    answer = statistics(worked, "north", scope="national", by="organisation")
    assert answer.status == 422
    assert [error["field"] for error in answer.json["errors"]] == ["by"]


def test_a_repeated_or_late_snapshot_changes_nothing(worked: Nation) -> None:
    before = national_counts(worked, "south")
    counted = [e for e in worked.local.bus.delivered if e["detail-type"] == "StatisticsCounted"]
    assert counted
    for event in (counted[0], counted[-1]):  # the oldest snapshot of all, and the newest again
        worked.local.deliver(event)
    worked.local.settle()
    assert national_counts(worked, "south") == before
    national = worked.local.national
    totals = national.index.statistics.totals(MONTH)  # type: ignore[union-attr]
    assert totals[1] == {"placed": 6, "match_client": 6, "match_client_cross_region": 6}  # both sides, as summed


def test_no_personal_data_travels_with_the_counts(worked: Nation) -> None:
    secrets: set[str] = set(YOUTHS)
    for code in ("north", "south"):
        for item in worked.region_items(code):
            if item.get("entity") == "signal":
                secrets |= {item["youth_key"], item["national_key"], item["signal_id"]}
    events: list[dict[str, Any]] = [
        e for e in worked.local.bus.delivered if e["detail-type"] in {"StatisticsCounted", "NationalTotals"}
    ]
    assert events
    for event in events:
        text = repr(event["detail"])
        assert not [secret for secret in secrets if secret in text]
    assert {name for e in events for name in e["detail"]} <= {
        "region",
        "month",
        "cell",
        "counts",
        "version",
        "regions",
    }
    assert PROS  # the professionals of the scenario are registered in both regions
