"""Everything matching writes about a youth can be destroyed with that youth (lifecycle job)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.conftest import NAMES, PRO_A, PRO_A2, PRO_B, PRO_C, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.adapters.dynamo.metering import DynamoMeter
from verwijsindex.api.identity import Caller, CallerKind
from verwijsindex.domain.statistics import Counter

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
    services.youth_partitions.forget_youth_matches(z_key)

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


@pytest.fixture
def meter(services: wiring.Services) -> Iterator[DynamoMeter]:
    meter = DynamoMeter()
    meter.attach(services.dynamodb)
    yield meter
    meter.detach(services.dynamodb)


def test_an_activation_reads_the_youths_signals_and_parents_not_its_matches(
    services: wiring.Services, matched: dict[str, str], signals_api: Invoke, dynamodb: Any, meter: DynamoMeter
) -> None:
    # Y holds A and B (matched with each other and with D on sister Z): sides and notifications.
    colleague = place(signals_api, PRO_A2, Y, "A2-1")
    y_key = keys_of(services, dynamodb)[colleague]
    meter.reset()
    outcome = services.matching.match_signal(y_key, colleague)
    reading = meter.reading()
    assert len(outcome.created) == 2  # with B (client) and D (family); A is a colleague
    # Y's parents and 3 signals; the parent's 2 children; Z's parents and signal. Nothing else:
    # none of Y's 4 match sides and 4 notifications, no guard, no marker.
    assert reading.items_read == 4 + 2 + 2
    # Those three Queries, the new signal's own sides (none yet), two match transactions; the
    # organisation names were read once before, by the first matches, and are cached. One
    # UpdateItem takes the matched signal out of the outstanding work (the sweeper's index).
    assert reading.requests_by_operation == {"Query": 4, "TransactWriteItems": 2, "UpdateItem": 1}

    # The same activation again (a repeated stream record, or the sweeper after the stream did it):
    # the same reads, and no write at all, not even to clear the outstanding-work flag it cleared.
    meter.reset()
    again = services.matching.match_signal(y_key, colleague)
    assert again.created == () and again.existing == 2
    assert meter.reading().requests_by_operation == {"Query": 4}


def test_destroying_a_youth_reads_its_partition_once_and_deletes_in_batches(
    services: wiring.Services, matched: dict[str, str], dynamodb: Any, meter: DynamoMeter
) -> None:
    y_key = keys_of(services, dynamodb)[matched["a"]]
    meter.reset()
    destroyed = services.lifecycle.destroy_youth(
        y_key, "test", Caller(kind=CallerKind.MACHINE, subject="test"), counter=Counter.DESTROYED_DEATH
    )
    reading = meter.reading()
    assert destroyed == 2
    # One Query of Y's partition; the other sides, notifications, links and Y's other items in
    # one batch (under 25); both signals, their audit entries and the marker in one transaction.
    assert reading.requests_by_operation == {"Query": 1, "BatchWriteItem": 1, "TransactWriteItems": 1}
    items = all_items(dynamodb, NAMES.main)
    assert y_key not in repr(items)
    assert matched["a"] not in repr(items) and matched["b"] not in repr(items)
    # Z keeps its signal and nothing else of the matches.
    assert {i["entity"] for i in items if i.get("entity") in {"match", "notification"}} == set()
    trail = [e["action"] for e in all_items(dynamodb, NAMES.audit) if e["PK"] == f"YOUTH#{y_key}"]
    assert trail.count("signal.destroyed") == 2 and trail.count("youth.destroyed") == 1


def test_listing_matches_reads_the_other_signals_and_names_in_batches(
    services: wiring.Services, matched: dict[str, str], signals_api: Invoke, dynamodb: Any, meter: DynamoMeter
) -> None:
    services.organisation_names._names.clear()  # a new container: no name cached yet
    meter.reset()
    answer = signals_api("GET", f"/signals/{matched['d']}/matches", claims=PRO_C)
    assert answer.status == 200, answer.text
    assert len(answer.json["items"]) == 2  # family matches with A and B, on sister Y
    operations = meter.reading().requests_by_operation
    # The caller's registry check (organisation and professional) in one BatchGetItem, the other
    # two signals in one, the three organisation names in another (not one GetItem each), and one
    # audit entry for each youth shown (Z, Y) in one batch.
    assert operations["BatchWriteItem"] == 1 and operations["PutItem"] == 0
    assert operations["BatchGetItem"] == 3
    shown = [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "matches.read"]
    assert len({e["PK"] for e in shown}) == 2
