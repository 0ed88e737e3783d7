"""Everything matching writes about a youth can be destroyed with that youth (lifecycle job)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.conftest import NAMES, PRO_A, PRO_B, PRO_C, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("33000001")
Z = valid_bsn("33000002")
PARENT = valid_bsn("43000001")


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str) -> str:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
    assert response.status == 201, response.text
    return str(response.json["signal_id"])


@pytest.fixture
def matched(persons: FakePersonRegistry, signals_api: Invoke, match_stream: MatchStream) -> dict[str, str]:
    persons.add(youth(Y, date(2016, 1, 10), parents=(PARENT,)))
    persons.add(youth(Z, date(2013, 8, 20), parents=(PARENT,)))
    signals = {
        "a": place(signals_api, PRO_A, Y, "A-1"),
        "b": place(signals_api, PRO_B, Y, "B-1"),
        "d": place(signals_api, PRO_C, Z, "D-1"),
    }
    match_stream.drain()
    return signals


def keys_of(services: wiring.Services, dynamodb: Any) -> dict[str, str]:
    items = all_items(dynamodb, NAMES.main)
    return {i["signal_id"]: i["youth_key"] for i in items if i.get("entity") == "signal"}


def test_parent_links_hold_pseudonyms_only(matched: dict[str, str], dynamodb: Any) -> None:
    items = all_items(dynamodb, NAMES.main)
    links = [i for i in items if i.get("entity") == "parent_link"]
    parents = [i for i in items if i.get("entity") == "parents"]
    assert len(links) == 2 and len({link["PK"] for link in links}) == 1  # one parent, two children
    assert all(len(p["parent_keys"]) == 1 and set(p["linked_parent_keys"]) == set(p["parent_keys"]) for p in parents)
    assert PARENT not in repr(items)


def test_forgetting_a_signal_removes_its_matches_in_both_partitions(
    services: wiring.Services, matched: dict[str, str], dynamodb: Any
) -> None:
    youth_keys = keys_of(services, dynamodb)
    deleted = services.match_store.forget_signal(youth_keys[matched["b"]], matched["b"])
    # A-B (client) and B-D (family): two sides and two notifications each.
    assert deleted == 8
    remaining = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") in {"match", "notification"}]
    assert matched["b"] not in repr(remaining)
    assert {i["match_id"] for i in remaining} == {i["match_id"] for i in remaining if i["kind"] == "family"}
    assert len(remaining) == 4  # A-D is untouched
    assert services.match_store.forget_signal(youth_keys[matched["b"]], matched["b"]) == 0  # idempotent


def test_forgetting_a_youth_leaves_no_trace_outside_its_partition(
    services: wiring.Services, matched: dict[str, str], dynamodb: Any
) -> None:
    youth_keys = keys_of(services, dynamodb)
    z_key = youth_keys[matched["d"]]
    services.match_store.forget_youth(z_key)

    items = all_items(dynamodb, NAMES.main)
    outside = [i for i in items if i["PK"] != f"YOUTH#{z_key}"]
    assert z_key not in repr(outside)
    assert matched["d"] not in repr(outside)
    # What is left in Z's partition is what the lifecycle job deletes with it: signals, guards, marker.
    inside = {i["entity"] for i in items if i["PK"] == f"YOUTH#{z_key}"}
    assert inside == {"signal", "guard", "youth"}
    # Y's client match between A and B is untouched.
    assert len([i for i in items if i.get("entity") == "match"]) == 2


def test_withdrawing_a_signal_as_unjustified_takes_its_matches_along(
    signals_api: Invoke, matched: dict[str, str], dynamodb: Any, match_stream: MatchStream
) -> None:
    response = signals_api("POST", f"/signals/{matched['b']}/close", claims=PRO_B, body={"reason": "unjustified"})
    assert response.json["status"] == "destroyed"
    match_stream.drain()
    items = all_items(dynamodb, NAMES.main)
    assert matched["b"] not in repr(items)
    # A's client match with B is gone; A's and D's family match stays.
    remaining = [i for i in items if i.get("entity") == "match"]
    assert {i["kind"] for i in remaining} == {"family"} and len(remaining) == 2


def test_closing_a_signal_keeps_its_matches_as_history(
    signals_api: Invoke, matched: dict[str, str], dynamodb: Any
) -> None:
    before = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "match"]
    signals_api("POST", f"/signals/{matched['b']}/close", claims=PRO_B, body={"reason": "ended"})
    after = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "match"]
    assert len(after) == len(before) == 6
