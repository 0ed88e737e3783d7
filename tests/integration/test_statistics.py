"""Statistics: counters kept in the transaction of the work they count, read by the operator
through GET /statistics (JSON or CSV) with every count from 1 to 4 shown as "<5", and one more
count hidden as "x" where the total would give a "<5" back."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from infra.local.events import LocalContext
from tests.conftest import BRP, CASE_SYSTEM_A, NAMES, NOW, OPERATOR, PRO_A, PRO_B, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import AMSTERDAM, FixedClock, dutch_day
from verwijsindex.domain.statistics import Grouping, aggregate, month_of

pytestmark = pytest.mark.usefixtures("region", "mailbox")

MONTH = month_of(dutch_day(NOW))
# Six youths: 13 (born 2013), 8, 2, 17, 20 and 16 years old on NOW's day.
BIRTHS = (date(2013, 5, 1), date(2018, 3, 3), date(2024, 1, 9), date(2009, 8, 8), date(2006, 2, 2), date(2010, 1, 1))
YOUTHS = tuple(valid_bsn(f"5800000{n}") for n in range(1, 7))


@pytest.fixture(autouse=True)
def people(persons: FakePersonRegistry) -> None:
    for bsn, born in zip(YOUTHS, BIRTHS, strict=True):
        persons.add(youth(bsn, born))


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str, status: int = 201) -> str:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
    assert response.status == status, response.text
    return str(response.json["signal_id"])


def raw(services: wiring.Services, by: Grouping = Grouping.MONTH, month: str = MONTH) -> dict[str, dict[str, int]]:
    """The counters as stored (unsuppressed): group -> counter -> sum."""
    groups, _ = aggregate(services.statistics_store.month(month), by)
    return {group.key: {k: v for k, v in group.counts.items() if v} for group in groups}


def stats(api: Invoke, query: dict[str, str] | None = None) -> Any:
    response = api("GET", "/statistics", claims=OPERATOR, query={"from": MONTH, "to": MONTH, **(query or {})})
    assert response.status == 200, response.text
    return response


@pytest.fixture
def worked(signals_api: Invoke, match_stream: MatchStream, clock: FixedClock) -> dict[str, list[str]]:
    """org-a signals all six youths, an hour later org-b the first two: eight placed, two client
    matches (counted under org-b's signals, which made them)."""
    placed = {"a": [place(signals_api, PRO_A, bsn, f"A-{n}") for n, bsn in enumerate(YOUTHS)]}
    clock.moment = NOW + timedelta(hours=1)
    placed["b"] = [place(signals_api, PRO_B, bsn, f"B-{n}") for n, bsn in enumerate(YOUTHS[:2])]
    match_stream.drain()
    return placed


def test_placements_and_matches_are_counted_once_per_event(
    worked: dict[str, list[str]], services: wiring.Services, signals_api: Invoke, match_stream: MatchStream
) -> None:
    assert raw(services) == {MONTH: {"placed": 8, "match_client": 2}}
    by_org = raw(services, Grouping.ORGANISATION)
    assert by_org == {"org-a": {"placed": 6}, "org-b": {"placed": 2, "match_client": 2}}
    by_band = raw(services, Grouping.AGE_BAND)
    assert {band: counts["placed"] for band, counts in by_band.items()} == {
        "0-3": 1,
        "4-11": 2,  # the 8-year-old twice (org-a and org-b)
        "12-15": 2,  # the 13-year-old twice
        "16-17": 2,
        "18-22": 1,
    }
    assert set(raw(services, Grouping.MUNICIPALITY)) == {"0363"}

    # A repeated placement (200, the same signal) and a redelivered stream count nothing more.
    place(signals_api, PRO_A, YOUTHS[0], "A-0", status=200)
    for delivery in match_stream.pump.drain(match_stream.handler):
        match_stream.redeliver(delivery)
    assert raw(services) == {MONTH: {"placed": 8, "match_client": 2}}


def test_closing_and_withdrawing_are_counted_by_reason_and_only_once(
    worked: dict[str, list[str]], services: wiring.Services, signals_api: Invoke
) -> None:
    a = worked["a"]
    assert signals_api("POST", f"/signals/{a[2]}/close", claims=PRO_A, body={"reason": "ended"}).status == 200
    assert signals_api("POST", f"/signals/{a[2]}/close", claims=PRO_A, body={"reason": "ended"}).status == 200
    assert signals_api("POST", f"/signals/{a[3]}/close", claims=PRO_A, body={"reason": "unjustified"}).status == 200
    assert signals_api("POST", f"/signals/{a[3]}/close", claims=PRO_A, body={"reason": "unjustified"}).status == 404
    assert raw(services)[MONTH] == {"placed": 8, "match_client": 2, "closed_ended": 1, "destroyed_unjustified": 1}


def test_coordination_is_counted_with_its_days_and_the_median_needs_five(
    services: wiring.Services, signals_api: Invoke, match_stream: MatchStream, clock: FixedClock, rights_api: Invoke
) -> None:
    """Five matches coordinated after 1, 2, 3, 4 and 10 days: median 3; with four, no median."""
    for n, bsn in enumerate(YOUTHS[:5]):
        place(signals_api, PRO_A, bsn, f"A-{n}")
        place(signals_api, PRO_B, bsn, f"B-{n}")
    match_stream.drain()
    matches = [
        signals_api("GET", f"/signals/{place(signals_api, PRO_A, bsn, f'A-{n}', 200)}/matches", claims=PRO_A).json[
            "items"
        ][0]["match_id"]
        for n, bsn in enumerate(YOUTHS[:5])
    ]
    start = clock.moment
    for match_id, days in zip(matches, (1, 2, 3, 4, 10), strict=True):
        clock.moment = start + timedelta(days=days)
        answer = signals_api("POST", f"/matches/{match_id}/coordinated", claims=PRO_A)
        assert answer.status == 200, answer.text
        assert signals_api("POST", f"/matches/{match_id}/coordinated", claims=PRO_B).status == 200  # no second count
        if days == 4:
            four = stats(rights_api).json["total"]
            assert four["counts"]["coordinated"] == "<5" and four["median_days_to_coordinated"] is None
    total = stats(rights_api, {"to": month_of(dutch_day(clock.moment))}).json["total"]
    assert total["counts"]["coordinated"] == 5
    assert total["median_days_to_coordinated"] == 3


def small_counts_possible(column: list[int | str], total: int) -> list[int]:
    """What a reader can make of one "<5" beside one "x" (at least 5) in a column: every value
    it could have, given the total and the rows shown."""
    assert column.count("<5") == 1 and column.count("x") == 1
    rest = total - sum(cell for cell in column if isinstance(cell, int))
    return [small for small in range(1, 5) if rest - small >= 5]


def test_the_operator_reads_json_with_small_counts_suppressed(worked: dict[str, list[str]], rights_api: Invoke) -> None:
    report = stats(rights_api, {"by": "organisation"}).json
    assert (report["first_month"], report["last_month"], report["by"]) == (MONTH, MONTH, "organisation")
    rows = {row["group"]: row["counts"] for row in report["rows"]}
    # Stored: org-a placed 6, org-b 2, total 8. Shown as 6, "<5" and 8, the 2 would be 8 - 6.
    assert rows["org-b"]["placed"] == "<5"  # 2
    assert rows["org-a"]["placed"] == "x"  # 6, hidden so that the 2 cannot be derived
    assert small_counts_possible([rows["org-a"]["placed"], rows["org-b"]["placed"]], 8) == [1, 2, 3]
    assert rows["org-b"]["match_client"] == "<5"
    assert rows["org-a"]["match_client"] == 0  # zero is not small: nothing to single out
    assert report["total"]["counts"]["placed"] == 8
    assert report["total"]["counts"]["match_client"] == "<5"


def test_by_month_lists_every_month_of_the_period(worked: dict[str, list[str]], rights_api: Invoke) -> None:
    earlier = month_of(dutch_day(NOW) - timedelta(days=62))
    report = stats(rights_api, {"from": earlier}).json
    assert [row["group"] for row in report["rows"]][-1] == MONTH
    assert len(report["rows"]) == 3
    assert [row["counts"]["placed"] for row in report["rows"]] == [0, 0, 8]


def test_csv_by_accept_header_or_format_parameter(worked: dict[str, list[str]], rights_api: Invoke) -> None:
    by_header = rights_api(
        "GET",
        "/statistics",
        claims=OPERATOR,
        query={"from": MONTH, "to": MONTH, "by": "organisation"},
        headers={"Accept": "text/csv"},
    )
    by_format = stats(rights_api, {"by": "organisation", "format": "csv"})
    for answer in (by_header, by_format):
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in answer.headers["Content-Disposition"]
        lines = list(csv.DictReader(io.StringIO(answer.text)))
        rows = {line["organisation"]: line for line in lines}
        assert rows["org-a"]["placed"] == "x"
        assert rows["org-b"]["placed"] == "<5"
        assert rows["total"]["placed"] == "8"
        assert small_counts_possible([rows["org-a"]["placed"], rows["org-b"]["placed"]], 8) == [1, 2, 3]
        assert rows["total"]["match_client"] == "<5"


def test_bad_parameters_name_the_field_and_change_nothing(worked: dict[str, list[str]], rights_api: Invoke) -> None:
    for query, field in (
        ({"from": "2026-13"}, "from"),
        ({"to": "26-11"}, "to"),
        ({"from": "2026-11", "to": "2026-10"}, "from"),
        ({"from": "2020-01", "to": "2026-11"}, "from"),  # over 60 months
        ({"by": "youth"}, "by"),
        ({"format": "xml"}, "format"),
    ):
        answer = rights_api("GET", "/statistics", claims=OPERATOR, query=query)
        assert answer.status == 422, (query, answer.text)
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert field in [error["field"] for error in answer.json["errors"]], answer.text


@pytest.mark.parametrize("claims", [PRO_A, CASE_SYSTEM_A], ids=["professional", "case_system"])
def test_professionals_and_case_systems_get_403(
    claims: dict[str, str], worked: dict[str, list[str]], rights_api: Invoke
) -> None:
    for query in ({}, {"format": "csv"}, {"from": "nonsense"}):
        answer = rights_api("GET", "/statistics", claims=claims, query=query)
        assert answer.status == 403, answer.text


def test_counters_hold_nothing_personal_and_never_expire(
    worked: dict[str, list[str]], services: wiring.Services, dynamodb: Any
) -> None:
    counters = [item for item in all_items(dynamodb, NAMES.main) if item.get("entity") == "statistics"]
    assert counters
    signal_items = [item for item in all_items(dynamodb, NAMES.main) if item.get("entity") == "signal"]
    secrets = {*YOUTHS, *(s["youth_key"] for s in signal_items), *(s["signal_id"] for s in signal_items)}
    secrets |= {s["national_key"] for s in signal_items}
    for item in counters:
        assert "ttl" not in item
        text = repr(item)
        assert not [secret for secret in secrets if secret in text]
        assert set(item) - {"PK", "SK", "entity", "month", "municipality", "org_id", "age_band"} <= {
            "placed",
            "match_client",
        }


def test_the_read_is_not_audited_and_reads_only_the_counters(
    worked: dict[str, list[str]], rights_api: Invoke, dynamodb: Any
) -> None:
    before = len(all_items(dynamodb, NAMES.audit))
    stats(rights_api)
    assert len(all_items(dynamodb, NAMES.audit)) == before


# --- the daily jobs, the BRP and the rights requests --------------------------------------------


def run(job: str, day: date) -> dict[str, Any]:
    if job == "expire":
        from expire.handler import lambda_handler
    else:
        from expire.purge import lambda_handler
    moment = datetime.combine(day, time(1, 15), tzinfo=AMSTERDAM)
    event = {"source": "aws.scheduler", "detail-type": "Scheduled Event", "time": moment.isoformat()}
    result: dict[str, Any] = lambda_handler(event, LocalContext())
    return result


def counted(services: wiring.Services, day: date, counter: str) -> int:
    return raw(services, month=month_of(day)).get(month_of(day), {}).get(counter, 0)


def test_expiry_is_counted_in_the_month_it_closed_and_once(services: wiring.Services, signals_api: Invoke) -> None:
    last_day = dutch_day(NOW) + timedelta(days=10)
    body = {"bsn": YOUTHS[0], "client_reference": "A-0", "active_until": last_day.isoformat()}
    assert signals_api("POST", "/signals", claims=PRO_A, body=body).status == 201
    for _ in range(2):  # a second run of the same day counts nothing
        run("expire", last_day + timedelta(days=1))
    assert counted(services, last_day + timedelta(days=1), "expired") == 1


def test_the_archive_end_is_counted_once(services: wiring.Services, signals_api: Invoke) -> None:
    signal_id = place(signals_api, PRO_A, YOUTHS[0], "A-0")
    assert signals_api("POST", f"/signals/{signal_id}/close", claims=PRO_A, body={"reason": "ended"}).status == 200
    archive_end = dutch_day(NOW).replace(year=dutch_day(NOW).year + 5)
    for _ in range(2):
        run("purge", archive_end)
    assert counted(services, archive_end, "destroyed_archive_end") == 1


def test_the_23rd_birthday_is_counted_once_per_signal(services: wiring.Services, signals_api: Invoke) -> None:
    place(signals_api, PRO_A, YOUTHS[4], "A-4")  # born 2006-02-02
    place(signals_api, PRO_B, YOUTHS[4], "B-4")
    birthday = date(2029, 2, 2)
    for _ in range(2):
        run("expire", birthday)
    assert counted(services, birthday, "destroyed_age_limit") == 2


def test_a_death_is_counted_once(services: wiring.Services, signals_api: Invoke, brp_api: Invoke) -> None:
    place(signals_api, PRO_B, YOUTHS[1], "B-1")
    death = {"bsn": YOUTHS[1], "kind": "death", "date": dutch_day(NOW).isoformat(), "municipality": "0363"}
    for _ in range(2):
        assert brp_api("POST", "/brp/notifications", claims=BRP, body=death).status == 202
    assert counted(services, dutch_day(NOW), "destroyed_death") == 1


def test_rights_decisions_are_counted_by_kind_and_whether_in_time(
    services: wiring.Services, rights_api: Invoke, clock: FixedClock
) -> None:
    """Received today: one decided now (in time), one after the four weeks (late)."""
    today = dutch_day(NOW)
    ids = []
    for kind in ("inzage", "bezwaar"):
        body = {"kind": kind, "bsn": YOUTHS[0], "requested_by": "both", "received_on": today.isoformat()}
        created = rights_api("POST", "/rights-requests", claims=OPERATOR, body=body)
        assert created.status == 201, created.text
        ids.append(created.json["request_id"])
    refused = {"outcome": "refused", "reason": "niet onderbouwd"}
    assert rights_api("POST", f"/rights-requests/{ids[0]}/decision", claims=OPERATOR, body=refused).status == 200
    clock.moment = NOW + timedelta(days=29)
    assert rights_api("POST", f"/rights-requests/{ids[1]}/decision", claims=OPERATOR, body=refused).status == 200
    assert rights_api("POST", f"/rights-requests/{ids[1]}/decision", claims=OPERATOR, body=refused).status == 409
    late_day = dutch_day(clock.moment)
    assert counted(services, today, "rights_inzage_in_time") == 1
    assert counted(services, late_day, "rights_bezwaar_late") == 1
    assert counted(services, late_day, "rights_bezwaar_in_time") == 0
