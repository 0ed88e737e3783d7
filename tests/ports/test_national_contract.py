"""The national index's ports: the same cases against the in-memory fakes and the national table on
moto. Only active signals are held, a removed signal stays removed, and the country's statistics
keep each region's newest snapshot once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import boto3
import pytest

from tests.fakes.national import FakeNationalStatisticsStore, FakeNationalStore
from verwijsindex.domain.models import Contact
from verwijsindex.domain.national import RemovalReason, SignalActivated, SignalRemoved
from verwijsindex.ports.national import NationalSignal, NationalStatisticsStore, NationalStore, ParentLink

YOUTH, SISTER, MOTHER, FATHER = "a" * 64, "b" * 64, "c" * 64, "d" * 64
TODAY = date(2026, 11, 23)


@dataclass
class NationalIndex:
    signals: NationalStore
    statistics: NationalStatisticsStore


@pytest.fixture(params=["fake", "dynamodb"])
def national(request: pytest.FixtureRequest) -> NationalIndex:
    if request.param == "fake":
        return NationalIndex(FakeNationalStore(), FakeNationalStatisticsStore())
    from infra.local.nation import NATIONAL_TABLE, create_national_table
    from verwijsindex.adapters.dynamo import national_store

    request.getfixturevalue("aws")
    client: Any = boto3.client("dynamodb")
    create_national_table(client)
    return NationalIndex(
        national_store.NationalStore(client, NATIONAL_TABLE),
        national_store.NationalStatisticsStore(client, NATIONAL_TABLE),
    )


def activated(signal_id: str, region: str = "north", youth: str = YOUTH, **changes: Any) -> SignalActivated:
    values: dict[str, Any] = {
        "region": region,
        "national_key": youth,
        "signal_id": signal_id,
        "org_id": "org-a",
        "organisation": "Jeugdteam Noord",
        "professional": Contact(name="Anna Aalders", email="anna@org-a.example.org", phone="+31 20 123 4567"),
        "active_until": date(2028, 11, 22),
        "parent_keys": (MOTHER, FATHER),
    }
    return SignalActivated(**{**values, **changes})


def removed(event: SignalActivated, reason: RemovalReason = RemovalReason.CLOSED) -> SignalRemoved:
    return SignalRemoved(
        region=event.region,
        national_key=event.national_key,
        signal_id=event.signal_id,
        reason=reason,
        active_until=event.active_until,
    )


def held(event: SignalActivated) -> NationalSignal:
    return NationalSignal(**event.model_dump())


def link(event: SignalActivated) -> ParentLink:
    return ParentLink(national_key=event.national_key, region=event.region, signal_id=event.signal_id)


def test_an_active_signal_is_found_by_the_youth_by_its_key_and_through_each_parent(national: NationalIndex) -> None:
    store = national.signals
    north, south = activated("s-1"), activated("s-9", region="south")
    sister = activated("s-2", youth=SISTER, parent_keys=(MOTHER,))
    for event in (north, south, sister):
        assert store.activate(event)
    assert store.activate(north)  # the same activation again: accepted, nothing doubles

    assert store.signals_of(YOUTH) == [held(north), held(south)]
    assert store.signals_of("e" * 64) == []
    wanted = [(YOUTH, "south", "s-9"), (SISTER, "north", "s-2"), (YOUTH, "north", "s-404"), (YOUTH, "south", "s-9")]
    assert sorted(store.get_signals(wanted), key=lambda s: s.signal_id) == [held(sister), held(south)]
    assert store.children_of(MOTHER) == [link(north), link(sister), link(south)]  # by region, then signal
    assert store.children_of(FATHER) == [link(north), link(south)]
    assert store.children_of(YOUTH) == []


def test_a_removed_signal_is_forgotten_with_its_parent_links_and_never_activated_again(
    national: NationalIndex,
) -> None:
    store = national.signals
    gone, kept = activated("s-1"), activated("s-2", org_id="org-b")
    store.activate(gone)
    store.activate(kept)
    assert store.remove(removed(gone), TODAY)
    assert not store.remove(removed(gone), TODAY)  # repeating it changes nothing
    assert store.signals_of(YOUTH) == [held(kept)]
    assert store.get_signals([(YOUTH, "north", "s-1")]) == []
    assert store.children_of(MOTHER) == [link(kept)]
    assert not store.activate(gone)  # a late or repeated activation of a removed signal is refused
    assert store.signals_of(YOUTH) == [held(kept)]


def test_a_removal_that_arrives_before_its_activation_still_refuses_it(national: NationalIndex) -> None:
    early = activated("s-3", region="south")
    assert not national.signals.remove(removed(early, RemovalReason.DESTROYED), TODAY)
    assert not national.signals.activate(early)
    assert national.signals.signals_of(YOUTH) == []
    assert national.signals.children_of(MOTHER) == []


def test_the_countrys_totals_keep_each_regions_newest_snapshot_once(national: NationalIndex) -> None:
    stats = national.statistics
    assert stats.totals("2026-11") == (0, {})
    assert stats.regions_reporting("2026-11") == 0
    assert stats.record("north", "2026-11", "0014#org-a#12-15", {"placed": 2})
    assert stats.record("north", "2026-11", "0034#org-b#4-11", {"placed": 1})
    assert stats.record("south", "2026-11", "0772#org-c#4-11", {"placed": 4, "match_client": 1})
    # A newer snapshot of a cell (a larger sum) adds what it changed; an equal or older one nothing.
    assert stats.record("north", "2026-11", "0014#org-a#12-15", {"placed": 3, "match_client": 1})
    assert not stats.record("north", "2026-11", "0014#org-a#12-15", {"placed": 3, "match_client": 1})
    assert not stats.record("north", "2026-11", "0014#org-a#12-15", {"placed": 2})
    assert stats.record("north", "2026-12", "0014#org-a#12-15", {"placed": 7})

    version, counts = stats.totals("2026-11")
    assert counts == {"placed": 8, "match_client": 2}
    assert version == 4 + 1 + 5  # the sum of the snapshots held
    assert stats.regions_reporting("2026-11") == 2
    assert stats.totals("2026-12") == (7, {"placed": 7})
    assert stats.regions_reporting("2026-12") == 1
    assert stats.totals("2027-01") == (0, {})
