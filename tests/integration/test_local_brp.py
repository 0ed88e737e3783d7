"""`make run` with the real Haal Centraal adapters: a death and a move reach the index through the
BRP Update API poller alone, with nothing posted to /brp/notifications."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support import base_url_of, call, local_server, token, valid_bsn
from verwijsindex.domain.clock import dutch_day

pytestmark = pytest.mark.smoke

DYING, MOVING = valid_bsn("99999310"), valid_bsn("99999320")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with local_server() as (first_line,):
        yield base_url_of(first_line)


def person(bsn: str, born: str, municipality: str, **extra: Any) -> dict[str, Any]:
    address = {"street": "Dorpsstraat", "house_number": "3B", "postcode": "1234AB", "city": "Ergens"}
    return {
        "bsn": bsn,
        "name": "Kind Test",
        "birth_date": born,
        "sex": "V",
        "address": {**address, "municipality_code": municipality},
        **extra,
    }


def run_poller(base_url: str) -> dict[str, Any]:
    status, counts = call(base_url, "POST", "/_local/schedules/brp-changes", {"at": datetime.now(UTC).isoformat()})
    assert status == 200, counts
    return dict(counts)


def test_a_death_and_a_move_reach_the_index_through_the_poller_alone(base_url: str) -> None:
    # The local run's own clock; dates are built from it, as the index does: the Dutch day (between
    # 23:00 and midnight UTC it is already tomorrow in Amsterdam).
    today = dutch_day(datetime.now(UTC))
    born = today.replace(year=today.year - 10).isoformat()
    for bsn in (DYING, MOVING):
        assert call(base_url, "POST", "/_local/brp/persons", person(bsn, born, "0363"))[0] == 201
    pro = token(base_url, sub="pro-noord", org_id="jeugdteam-noord", groups=["professional"])
    placed = {}
    for bsn in (DYING, MOVING):
        status, body = call(base_url, "POST", "/signals", {"bsn": bsn, "client_reference": f"P-{bsn[-2:]}"}, pro)
        assert status == 201, body  # looked up through BRP bevragen, followed through the Update API
        placed[bsn] = body["signal_id"]
    first = run_poller(base_url)
    assert (first["held"], first["deaths"], first["moves"]) == (2, 0, 0)

    # The BRP registers a death and a move; nobody tells the index.
    died = (today - timedelta(days=1)).isoformat()
    assert call(base_url, "POST", "/_local/brp/persons", person(DYING, born, "0363", death_date=died))[0] == 201
    assert call(base_url, "POST", "/_local/brp/persons", person(MOVING, born, "0599"))[0] == 201
    second = run_poller(base_url)
    assert (second["deaths"], second["moves"]) == (1, 1), second

    status, _ = call(base_url, "GET", f"/signals/{placed[DYING]}", token=pro)
    assert status == 404  # everything about the deceased youth is destroyed
    status, _ = call(base_url, "GET", f"/signals/{placed[MOVING]}", token=pro)
    assert status == 200
    operator = token(base_url, sub="operator-1", groups=["operator"])
    status, trail = call(base_url, "GET", f"/audit?bsn={MOVING}", token=operator)
    assert status == 200, trail
    moves = [e for e in trail["items"] if e["action"] == "youth.moved"]
    assert [(e["actor"], e["detail"]) for e in moves] == [("brp.changes", f"moved to municipality 0599 on {today}")]
    status, trail = call(base_url, "GET", f"/audit?bsn={DYING}", token=operator)
    assert [e["detail"] for e in trail["items"] if e["action"] == "youth.destroyed"] == ["death (BRP): 1 signal(s)"]

    third = run_poller(base_url)  # the overlap reads both again: nothing happens twice
    assert (third["deaths"], third["moves"], third["held"]) == (0, 0, 1)
