"""The local run: `POST /_local/schedules/{expire,purge} {at}` runs them as of that moment."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from tests.integration.test_local_server import base_url  # noqa: F401 - a fixture
from tests.support import call, token
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.periods import years_later

pytestmark = pytest.mark.smoke


def test_expire_and_purge_run_as_of_the_given_moment(base_url: str) -> None:  # noqa: F811
    noord = token(base_url, sub="pro-noord", org_id="jeugdteam-noord", groups=["professional"])
    status, placed = call(
        base_url, "POST", "/signals", {"bsn": "999990238", "client_reference": "JTN-LC-1"}, token=noord
    )
    assert status == 201, placed
    today = datetime.now(AMSTERDAM).date()
    closing_day = years_later(today, 2) + timedelta(days=1)
    moment = datetime.combine(closing_day, time(1, 15), tzinfo=AMSTERDAM).isoformat()

    status, report = call(base_url, "POST", "/_local/schedules/expire", {"at": moment})
    assert status == 200, report
    assert report["closed"] >= 1 and report["today"] == closing_day.isoformat()
    status, again = call(base_url, "POST", "/_local/schedules/expire", {"at": moment})
    assert (status, again["closed"], again["emails_sent"]) == (200, 0, 0)

    status, outbox = call(base_url, "GET", "/_local/outbox")
    renewal = [m for m in outbox if "JTN-LC-1" in m["subject"] and "niet meer actief" in m["subject"]]
    assert len(renewal) == 1 and "999990238" not in repr(renewal)

    status, purged = call(base_url, "POST", "/_local/schedules/purge", {"at": moment})
    assert status == 200 and purged["job"] == "purge"
    status, _ = call(base_url, "POST", "/_local/schedules/nothing", {"at": moment})
    assert status == 404


def test_the_sweeper_runs_in_the_local_run_and_finds_nothing_left_over(base_url: str) -> None:  # noqa: F811
    noord = token(base_url, sub="pro-noord", org_id="jeugdteam-noord", groups=["professional"])
    status, placed = call(
        base_url, "POST", "/signals", {"bsn": "999990147", "client_reference": "JTN-SW-1"}, token=noord
    )
    assert status == 201, placed
    # An hour later: the stream handled everything at once, so nothing is outstanding or stuck.
    later = (datetime.now(AMSTERDAM) + timedelta(hours=1)).isoformat()
    status, report = call(base_url, "POST", "/_local/schedules/sweep", {"at": later})
    assert status == 200, report
    assert (report["overdue"], report["failed"], report["stuck"]) == (0, 0, 0)
