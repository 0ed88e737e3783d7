"""Refused placements leave a trace (audited under a pseudonym, never the BSN) and are counted per
caller per day: past the region's limit that caller gets 429 until the next day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import CASE_SYSTEM_A, NAMES, PRO_A, PRO_A2, Invoke
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock
from verwijsindex.domain.settings import RegionSettings

pytestmark = pytest.mark.usefixtures("region")

UNKNOWN, DECEASED, TOO_OLD, CHILD = (valid_bsn(f"3410000{n}") for n in (1, 2, 5, 7))
CONTACT = {"name": "Dirk Dekker", "email": "dirk@org-a.example.org", "phone": "050-1234567"}


@pytest.fixture(autouse=True)
def people(persons: FakePersonRegistry, services: wiring.Services) -> None:
    persons.add(youth(DECEASED, date(2015, 1, 1), death_date=date(2026, 10, 1)))
    persons.add(youth(TOO_OLD, date(2000, 1, 1)))
    persons.add(youth(CHILD, date(2016, 6, 6)))
    services.settings = RegionSettings(refusals_per_day=3)


def refusals(dynamodb: Any) -> list[dict[str, Any]]:
    return [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.refused"]


def test_each_refusal_is_audited_under_a_pseudonym(
    signals_api: Invoke, services: wiring.Services, dynamodb: Any
) -> None:
    for bsn, claims, body in (
        (UNKNOWN, PRO_A, {}),
        (DECEASED, PRO_A, {}),
        (TOO_OLD, CASE_SYSTEM_A, {"professional": CONTACT}),
    ):
        response = signals_api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": "R", **body})
        assert response.status == 422
        assert response.json["errors"][0]["field"] == "bsn"
    entries = refusals(dynamodb)
    assert sorted((e["actor"], e["actor_org"], e["detail"]) for e in entries) == [
        ("case-system-a", "org-a", "age_limit"),
        ("sub-a", "org-a", "deceased"),
        ("sub-a", "org-a", "unknown_bsn"),
    ]
    assert {e["subject"] for e in entries} == {
        f"YOUTH#{services.pseudonyms.regional(bsn)}" for bsn in (UNKNOWN, DECEASED, TOO_OLD)
    }
    assert all(e["at"].startswith("2026-11-23") for e in entries)
    stored = repr(all_items(dynamodb, NAMES.audit)) + repr(all_items(dynamodb, NAMES.main))
    assert not any(bsn in stored for bsn in (UNKNOWN, DECEASED, TOO_OLD))
    assert [i for i in all_items(dynamodb, NAMES.main) if i["entity"] == "signal"] == []


def test_past_the_daily_limit_the_caller_gets_429_until_the_next_day(
    signals_api: Invoke, clock: FixedClock, dynamodb: Any
) -> None:
    for _ in range(3):
        refused = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": UNKNOWN, "client_reference": "R"})
        assert refused.status == 422
    limited = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": CHILD, "client_reference": "R"})
    assert limited.status == 429, limited.text
    assert CHILD not in limited.text
    assert len(refusals(dynamodb)) == 3  # the 429 itself asked the BRP nothing and stored nothing
    assert [i for i in all_items(dynamodb, NAMES.main) if i["entity"] == "signal"] == []
    # Counted per caller: a colleague signals as usual.
    assert signals_api("POST", "/signals", claims=PRO_A2, body={"bsn": CHILD, "client_reference": "R"}).status == 201
    clock.moment += timedelta(days=1)
    assert signals_api("POST", "/signals", claims=PRO_A, body={"bsn": CHILD, "client_reference": "R"}).status == 201
