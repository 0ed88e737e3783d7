"""Regions North and South linked through the national index, on moto.

Everything runs as in the stacks: API events to the regions' functions, their streams to the
match and publish functions, events over the (in-process) national bus to the national
function and back to the regions' inboxes, e-mails read from the SES backend.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import boto3
import pytest

from infra.local.events import rest_event, user_claims
from infra.local.nation import NATIONAL_TABLE, NORTH, SOUTH, LocalNation, bus_event
from tests.conftest import OPERATOR
from tests.support import HttpResult, all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import AMSTERDAM, FixedClock
from verwijsindex.domain.national import SignalActivated

Y = valid_bsn("31000001")
SIBLING = valid_bsn("31000002")  # Y's half-sister: they share one parent
PARENT_1 = valid_bsn("41000001")
PARENT_2 = valid_bsn("41000002")
PARENT_3 = valid_bsn("41000003")
SECRETS = (Y, SIBLING, PARENT_1, PARENT_2, PARENT_3, "Noor Geheim", "Lieke Geheim")

PROS = {
    # claims, region, e-mail, name
    "A": (user_claims("sub-a", "noord-a", ["professional"]), "north", "anna@noord-a.example.org", "Anna Aalders"),
    "B": (user_claims("sub-b", "zuid-b", ["professional"]), "south", "bram@zuid-b.example.org", "Bram Bos"),
    "C": (user_claims("sub-c", "zuid-c", ["professional"]), "south", "carla@zuid-c.example.org", "Carla Cats"),
    "D": (user_claims("sub-d", "zuid-d", ["professional"]), "south", "dirk@zuid-d.example.org", "Dirk Dekker"),
}
BRP = user_claims("brp-subscription", None, ["brp"])


class Nation:
    def __init__(self, local: LocalNation) -> None:
        self.local = local

    def http(self, region: str, method: str, path: str, claims: dict[str, str], body: Any = None) -> HttpResult:
        response = self.local.api(region, rest_event(method, path, body=body, claims=claims))
        headers = dict(response.get("headers") or {})
        headers.update({k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items() if v})
        return HttpResult(response["statusCode"], headers, response.get("body") or "")

    def place(self, pro: str, bsn: str, reference: str) -> str:
        claims, region, _, _ = PROS[pro]
        response = self.http(region, "POST", "/signals", claims, {"bsn": bsn, "client_reference": reference})
        assert response.status == 201, response.text
        return str(response.json["signal_id"])

    def close(self, pro: str, signal_id: str, reason: str = "ended") -> None:
        claims, region, _, _ = PROS[pro]
        response = self.http(region, "POST", f"/signals/{signal_id}/close", claims, {"reason": reason})
        assert response.status == 200, response.text

    def mails_to(self, pro: str) -> list[Any]:
        _, region, email, _ = PROS[pro]
        return [mail for mail in self.local.mails_from(region) if email in mail.to]

    def all_mails(self) -> list[Any]:
        return [mail for code in self.local.regions for mail in self.local.mails_from(code)]

    def national_items(self) -> list[dict[str, Any]]:
        return all_items(self.local.national.dynamodb, NATIONAL_TABLE)

    def region_items(self, code: str) -> list[dict[str, Any]]:
        return all_items(self.local.national.dynamodb, self.local.regions[code].spec.tables.main)


@pytest.fixture
def nation(aws: None, clock: FixedClock, persons: FakePersonRegistry) -> Iterator[Nation]:
    persons.add(youth(Y, date(2014, 4, 1), parents=(PARENT_1, PARENT_2), name="Noor Geheim"))
    persons.add(youth(SIBLING, date(2011, 9, 1), parents=(PARENT_1, PARENT_3), name="Lieke Geheim"))
    local = LocalNation(boto3.client("dynamodb"), clock, persons, (NORTH, SOUTH))
    world = Nation(local)
    for claims, region, email, name in PROS.values():
        org_id = claims["custom:org_id"]
        created = world.http(region, "POST", "/organisations", OPERATOR, {"org_id": org_id, "name": f"Org {org_id}"})
        assert created.status == 201, created.text
        professional = {"user_id": claims["sub"], "name": name, "email": email, "phone": "+31205550000"}
        added = world.http(region, "POST", f"/organisations/{org_id}/professionals", OPERATOR, professional)
        assert added.status == 201, added.text
    yield world
    from verwijsindex import national_wiring, wiring

    wiring.install(None)
    national_wiring.install(None)


def row(mail: Any, label: str) -> str | None:
    """A row of the e-mail's contact table (HTML part), or None when the e-mail has no such row."""
    found = re.search(rf'<th align="left">{label}</th><td>(.*?)</td>', mail.html)
    return html.unescape(found.group(1)) if found else None


def _national_entries(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the national index holds about signals: not the removal markers, nor the statistics
    (counts only; tests/integration/test_national_statistics.py)."""
    return [i for i in items if i["entity"] not in {"removed", "region_statistics", "national_statistics"}]


# --- the scenario ------------------------------------------------------------------------------


def test_north_and_south_find_each_other_and_forget_a_closed_signal(nation: Nation) -> None:
    a = nation.place("A", Y, "NRD-1")
    assert nation.all_mails() == []  # alone in the country: nothing to tell

    b = nation.place("B", Y, "ZD-7")
    # A and B each get exactly one e-mail, with the other's details and their own reference.
    to_a, to_b = nation.mails_to("A"), nation.mails_to("B")
    assert len(to_a) == 1 and len(to_b) == 1
    assert to_a[0].subject == "Verwijsindex: match voor uw cliënt NRD-1"
    assert "Bram Bos" in to_a[0].text and "bram@zuid-b.example.org" in to_a[0].text
    assert row(to_a[0], "Organisatie") == "Org zuid-b" and row(to_a[0], "Regio") == "Zuid"
    assert to_b[0].subject == "Verwijsindex: match voor uw cliënt ZD-7"
    assert "Anna Aalders" in to_b[0].text and "anna@noord-a.example.org" in to_b[0].text
    assert row(to_b[0], "Organisatie") == "Org noord-a" and row(to_b[0], "Regio") == "Noord"
    assert to_a[0].source == NORTH.sender and to_b[0].source == SOUTH.sender  # each from its own region

    # A sees the match with B (and who B is) through her own active signal.
    view = nation.http("north", "GET", f"/signals/{a}/matches", PROS["A"][0])
    assert view.status == 200, view.text
    (match,) = view.json["items"]
    assert match["kind"] == "client" and match["other"]["signal_id"] == b
    assert match["other"]["region"] == "Zuid" and match["other"]["signal_status"] is None
    # Coordination across regions is agreed between the professionals directly.
    coordinate = nation.http("north", "POST", f"/matches/{match['match_id']}/coordinated", PROS["A"][0])
    assert coordinate.status == 409 and coordinate.headers["Content-Type"] == "application/problem+json"

    # A sibling signalled in South: family matches, across regions (A) and within South (B).
    c = nation.place("C", SIBLING, "ZD-9")
    family_to_a = [m for m in nation.mails_to("A") if "gezinsmatch" in m.subject]
    assert (
        len(family_to_a) == 1 and row(family_to_a[0], "Naam") == "Carla Cats" and row(family_to_a[0], "Regio") == "Zuid"
    )
    to_c = nation.mails_to("C")
    assert sorted(m.subject for m in to_c) == ["Verwijsindex: gezinsmatch voor uw cliënt ZD-9"] * 2
    assert {(row(m, "Naam"), row(m, "Regio")) for m in to_c} == {
        ("Anna Aalders", "Noord"),  # across regions
        ("Bram Bos", None),  # within South, as before the national link
    }

    # Nothing that identifies a youth or a parent left a region by e-mail.
    for mail in nation.all_mails():
        for secret in SECRETS:
            assert secret not in mail.everything

    # A closes: the national index forgets A's signal at once; a later South signal on Y
    # matches B (same region) and not A.
    nation.close("A", a)
    # (Only a removal marker keyed by A's random signal id remains: it holds no youth pseudonym.)
    assert all(a not in json.dumps(item) for item in _national_entries(nation.national_items()))
    mails_before = len(nation.all_mails())
    d = nation.place("D", Y, "ZD-11")
    new = nation.all_mails()[mails_before:]
    assert {address for mail in new for address in mail.to} == {
        "bram@zuid-b.example.org",
        "dirk@zuid-d.example.org",
        "carla@zuid-c.example.org",  # D's signal on Y is a family match for C's signal on the sibling
    }
    assert not any("anna@noord-a.example.org" in mail.everything for mail in new)
    assert d

    # When no signal on Y or the sibling is active any more, the index holds nothing about them.
    for pro, signal_id in (("B", b), ("C", c), ("D", d)):
        nation.close(pro, signal_id)
    assert _national_entries(nation.national_items()) == []
    national_keys = {
        i["national_key"] for code in ("north", "south") for i in nation.region_items(code) if "national_key" in i
    }
    for item in nation.national_items():
        assert not any(key in json.dumps(item) for key in national_keys)


def test_every_way_a_signal_stops_removes_it_nationally(nation: Nation, persons: FakePersonRegistry) -> None:
    a = nation.place("A", Y, "NRD-1")
    withdrawn = nation.place("B", SIBLING, "ZD-1")
    assert {i["signal_id"] for i in _national_entries(nation.national_items()) if i["entity"] == "national_signal"} == {
        a,
        withdrawn,
    }
    # Withdrawn as unjustified (destroyed at once).
    nation.close("B", withdrawn, reason="unjustified")
    assert all(withdrawn not in json.dumps(i) for i in _national_entries(nation.national_items()))
    # Death reported by the BRP: everything about Y is destroyed in North, and nationally.
    notice = {"bsn": Y, "kind": "death", "date": "2026-11-20", "municipality": "0014"}
    assert nation.http("north", "POST", "/brp/notifications", BRP, notice).status == 202
    assert _national_entries(nation.national_items()) == []


def test_the_23rd_birthday_removes_it_nationally(
    nation: Nation, persons: FakePersonRegistry, clock: FixedClock
) -> None:
    persons.add(youth(Y, date(2003, 11, 25), parents=(PARENT_1,), name="Noor Geheim"))  # 23 in two days
    nation.place("A", Y, "NRD-1")
    assert len(_national_entries(nation.national_items())) == 2  # the signal and its parent link
    node = nation.local.regions["north"]
    at = datetime(2026, 11, 25, 1, 0, tzinfo=AMSTERDAM)
    report = node.call("expire.handler", {"source": "aws.scheduler", "time": at.isoformat()})
    assert report["youths_destroyed"] == 1
    nation.local.settle()
    assert _national_entries(nation.national_items()) == []


def test_an_expired_signal_is_removed_nationally(nation: Nation) -> None:
    claims, region, _, _ = PROS["A"]
    body = {"bsn": Y, "client_reference": "NRD-1", "active_until": "2026-11-30"}
    assert nation.http(region, "POST", "/signals", claims, body).status == 201
    entities = sorted(i["entity"] for i in _national_entries(nation.national_items()))
    assert entities == ["national_parent_link", "national_parent_link", "national_signal"]  # two parents
    at = datetime(2026, 12, 1, 1, 0, tzinfo=AMSTERDAM)
    report = nation.local.regions["north"].call("expire.handler", {"source": "aws.scheduler", "time": at.isoformat()})
    assert report["closed"] == 1
    nation.local.settle()
    assert _national_entries(nation.national_items()) == []


def test_a_destroyed_signal_leaves_no_trace_in_the_other_region(nation: Nation) -> None:
    a = nation.place("A", Y, "NRD-1")
    b = nation.place("B", Y, "ZD-7")
    nation.place("C", SIBLING, "ZD-9")

    def traces_of(signal_id: str) -> list[dict[str, Any]]:
        return [i for i in nation.region_items("north") if signal_id in json.dumps(i, default=str)]

    assert {i["entity"] for i in traces_of(b)} == {"match", "remote_match_ref"}
    assert {i["entity"] for i in nation.region_items("north") if "Bram Bos" in json.dumps(i, default=str)} == {
        "match",  # B's card on North's side of the match
        "notification",  # the e-mail to A, as sent
    }
    # B withdraws as unjustified: destroyed at once, no history, in South and in North.
    nation.close("B", b, reason="unjustified")
    assert traces_of(b) == []
    assert all("Bram Bos" not in json.dumps(i, default=str) for i in nation.region_items("north"))
    view = nation.http("north", "GET", f"/signals/{a}/matches", PROS["A"][0])
    assert [m["other"]["organisation"] for m in view.json["items"]] == ["Org zuid-c"]  # the family match stays
    # Delivered again, the news changes nothing.
    (destroyed,) = [e for e in nation.local.bus.delivered if e["detail-type"] == "RemoteSignalDestroyed"]
    assert nation.local.deliver(destroyed) == {"outcome": "nothing_to_forget"}

    # A youth who dies in South: North forgets its match with the sibling's signal too.
    c_items = [i for i in nation.region_items("north") if i.get("entity") == "match"]
    assert len(c_items) == 1
    notice = {"bsn": SIBLING, "kind": "death", "date": "2026-11-20", "municipality": "0772"}
    assert nation.http("south", "POST", "/brp/notifications", BRP, notice).status == 202
    leftovers = {i["entity"] for i in nation.region_items("north") if i["PK"].startswith(("YOUTH#", "REMOTE#"))}
    assert leftovers == {"signal", "guard", "youth", "parents"}


# --- duplicates and out-of-order events --------------------------------------------------------


def test_duplicate_national_events_change_nothing(nation: Nation) -> None:
    nation.place("A", Y, "NRD-1")
    nation.place("B", Y, "ZD-7")
    nation.place("C", SIBLING, "ZD-9")
    delivered = list(nation.local.bus.delivered)
    assert {e["detail-type"] for e in delivered} == {
        "SignalActivated",
        "RemoteMatch",
        "StatisticsCounted",
        "NationalTotals",
    }
    before = (
        len(nation.all_mails()),
        _snapshot(nation.national_items()),
        _snapshot(nation.region_items("north")),
        _snapshot(nation.region_items("south")),
    )
    # Every event delivered again (EventBridge delivers at least once), twice, newest first.
    for event in [*reversed(delivered), *delivered]:
        nation.local.deliver(event)
    nation.local.settle()
    after = (
        len(nation.all_mails()),
        _snapshot(nation.national_items()),
        _snapshot(nation.region_items("north")),
        _snapshot(nation.region_items("south")),
    )
    assert after[0] == before[0]  # not one e-mail more
    assert after[1:] == before[1:]  # not one item changed


def _snapshot(items: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True, default=str) for item in items)


def test_an_activation_arriving_after_its_removal_is_refused(nation: Nation) -> None:
    north = nation.local.regions["north"]
    # Step by step, without settling: the events stay on the bus until delivered by hand.
    placed = rest_event("POST", "/signals", body={"bsn": Y, "client_reference": "NRD-1"}, claims=PROS["A"][0])
    signal_id = json.loads(north.call("place_signal.handler", placed)["body"])["signal_id"]
    north.drain()
    # The statistics travel too (counts only, tests/integration/test_national_statistics.py).
    activated = [e for e in nation.local.bus.pending if e["detail-type"] != "StatisticsCounted"]
    nation.local.bus.pending.clear()
    north.call(
        "place_signal.handler",
        rest_event("POST", f"/signals/{signal_id}/close", body={"reason": "ended"}, claims=PROS["A"][0]),
    )
    north.drain()
    removed = [e for e in nation.local.bus.pending if e["detail-type"] != "StatisticsCounted"]
    nation.local.bus.pending.clear()
    assert [e["detail-type"] for e in activated] == ["SignalActivated"]
    assert [e["detail-type"] for e in removed] == ["SignalRemoved"]

    # The removal overtakes the activation on the way.
    nation.local.deliver(removed[0])
    outcome = nation.local.deliver(activated[0])
    assert outcome["refused"] is True
    assert _national_entries(nation.national_items()) == []
    # So a South signal on Y finds nobody in North.
    nation.place("B", Y, "ZD-7")
    assert nation.mails_to("A") == [] and nation.mails_to("B") == []


def test_a_remote_match_for_a_signal_closed_meanwhile_writes_nothing(nation: Nation) -> None:
    a = nation.place("A", Y, "NRD-1")
    nation.close("A", a)
    before = _snapshot(nation.region_items("north"))
    stale = SignalActivated.model_validate(
        {
            "region": "south",
            "national_key": "0" * 64,
            "signal_id": "b-signal",
            "org_id": "zuid-b",
            "organisation": "Org zuid-b",
            "professional": {"name": "Bram Bos", "email": "bram@zuid-b.example.org", "phone": "+31205550000"},
            "active_until": "2027-01-01",
        }
    )
    from verwijsindex.domain.matches import MatchKind, match_id_for
    from verwijsindex.domain.national import RemoteMatch, RemoteParty

    remote = RemoteMatch(
        region="north",
        match_id=match_id_for(a, stale.signal_id),
        kind=MatchKind.CLIENT,
        signal_id=a,
        org_id="noord-a",
        other=RemoteParty(
            region="south",
            region_name="Zuid",
            signal_id=stale.signal_id,
            org_id=stale.org_id,
            organisation=stale.organisation,
            professional=stale.professional,
        ),
    )
    outcome = nation.local.deliver(bus_event(remote, "999999999999", nation.local.clock.now()))
    nation.local.settle()
    assert outcome == {"outcome": "not_active"}
    assert _snapshot(nation.region_items("north")) == before
    assert nation.mails_to("A") == []


# --- moves between regions -----------------------------------------------------------------


def _move(nation: Nation, municipality: str, on: str = "2026-11-20") -> None:
    notice = {"bsn": Y, "kind": "move", "date": on, "municipality": municipality}
    assert nation.http("north", "POST", "/brp/notifications", BRP, notice).status == 202


def _operator_mails(nation: Nation, spec: Any) -> list[Any]:
    return [m for code in nation.local.regions for m in nation.local.mails_from(code) if spec.operator_email in m.to]


def test_a_move_into_another_region_tells_its_operator_once(nation: Nation) -> None:
    nation.place("A", Y, "NRD-1")
    _move(nation, "0772")  # Eindhoven: South
    (mail,) = _operator_mails(nation, SOUTH)
    assert mail.source == SOUTH.sender  # the receiving region e-mails its own operator
    assert mail.subject == "Verwijsindex: jeugdige met actieve signalen verhuisd naar gemeente 0772"
    assert row(mail, "Naam") == "Anna Aalders" and row(mail, "Organisatie") == "Org noord-a"
    assert row(mail, "E-mail") == "anna@noord-a.example.org" and row(mail, "Regio") == "Noord"
    for secret in SECRETS:
        assert secret not in mail.everything
    assert _operator_mails(nation, NORTH) == []

    # The BRP repeats itself, and the events arrive twice: still one e-mail.
    _move(nation, "0772")
    for event in [e for e in nation.local.bus.delivered if e["detail-type"] in {"YouthMoved", "MoveNotice"}]:
        nation.local.deliver(event)
    nation.local.settle()
    assert len(_operator_mails(nation, SOUTH)) == 1


class RefusingMailer:
    def send(self, message: Any) -> str:
        from verwijsindex.ports.mail import MailerError

        raise MailerError("Throttling")


def test_a_move_notice_refused_by_ses_is_sent_once_on_the_retry(nation: Nation) -> None:
    nation.place("A", Y, "NRD-1")
    south = nation.local.regions["south"].services
    inbox = south.national_inbox
    working, inbox.mailer = inbox.mailer, RefusingMailer()
    _move(nation, "0772")  # the inbox fails, is retried, fails again: the event is dead-lettered
    (event,) = nation.local.bus.dead_letters
    assert event["detail-type"] == "MoveNotice"
    assert [e["id"] for e in nation.local.bus.delivered].count(event["id"]) == 3  # first try and two retries
    (notice,) = [i for i in nation.region_items("south") if i["entity"] == "move_notice"]
    assert notice["state"] == "pending" and _operator_mails(nation, SOUTH) == []

    inbox.mailer = working  # SES is back; the operator redrives the dead-letter queue
    assert nation.local.deliver(event) == {"outcome": "sent"}
    assert nation.local.deliver(event) == {"outcome": "already_sent"}
    assert len(_operator_mails(nation, SOUTH)) == 1


def test_a_move_notice_to_an_undeliverable_operator_address_is_held_back_and_listed(nation: Nation) -> None:
    nation.place("A", Y, "NRD-1")
    south = nation.local.regions["south"].services
    assert south.addresses.mark(SOUTH.operator_email, "bounce", nation.local.clock.now())
    _move(nation, "0772")
    assert _operator_mails(nation, SOUTH) == []
    (notice,) = [i for i in nation.region_items("south") if i["entity"] == "move_notice"]
    assert notice["state"] == "undeliverable"  # recorded, never "sent"
    (listed,) = [i for i in nation.region_items("south") if i.get("GSI3PK") == "STUCK#address"]
    assert (listed["held_back_kind"], listed["sweep_attempts"]) == ("move_notice", 1)
    # The event again (EventBridge delivers at least once): not sent, not counted twice.
    for event in [e for e in nation.local.bus.delivered if e["detail-type"] == "MoveNotice"]:
        nation.local.deliver(event)
    nation.local.settle()
    assert _operator_mails(nation, SOUTH) == []
    (listed,) = [i for i in nation.region_items("south") if i.get("GSI3PK") == "STUCK#address"]
    assert listed["sweep_attempts"] == 1


def test_a_move_within_the_region_or_without_active_signals_tells_nobody(nation: Nation) -> None:
    a = nation.place("A", Y, "NRD-1")
    _move(nation, "0034")  # Almere: still North
    assert _operator_mails(nation, NORTH) == [] and _operator_mails(nation, SOUTH) == []
    nation.close("A", a)
    _move(nation, "0855", on="2026-11-22")  # Tilburg: South, but nothing is active any more
    assert _operator_mails(nation, SOUTH) == []
    # The national index did not even hear of it.
    assert [e["detail-type"] for e in nation.local.bus.delivered].count("YouthMoved") == 1


# --- who may speak to the national index -------------------------------------------------------


def test_events_from_an_unlisted_account_or_malformed_are_refused(
    nation: Nation, caplog: pytest.LogCaptureFixture
) -> None:
    nation.place("A", Y, "NRD-1")
    (activation,) = [e for e in nation.local.bus.delivered if e["detail-type"] == "SignalActivated"]
    before = _snapshot(nation.national_items())

    # South's account claiming to speak for North.
    forged = {**activation, "account": SOUTH.account, "detail": {**activation["detail"], "signal_id": "forged-1"}}
    assert nation.local.deliver(forged) == {"outcome": "rejected"}
    # An unknown field, and a BSN-like value where a pseudonym belongs: refused, not stored.
    for detail in (
        {**activation["detail"], "signal_id": "forged-2", "bsn": Y},
        {**activation["detail"], "signal_id": "forged-3", "national_key": Y},
    ):
        assert nation.local.deliver({**activation, "detail": detail}) == {"outcome": "rejected"}
    nation.local.settle()
    assert _snapshot(nation.national_items()) == before
    rejected = [r for r in caplog.records if r.getMessage() == "event rejected"]
    assert len(rejected) == 3
    assert all(Y not in str(r.__dict__) for r in caplog.records)  # the field at fault, never its value


# --- rights of families in a linked region ---------------------------------------------------


def test_the_dossier_names_the_national_index_and_the_other_regions_organisation(nation: Nation) -> None:
    nation.place("A", Y, "NRD-1")
    nation.place("B", Y, "ZD-7")
    body = {"kind": "inzage", "bsn": Y, "requested_by": "both", "received_on": "2026-11-20"}  # Y is 12
    request = nation.http("north", "POST", "/rights-requests", OPERATOR, body)
    assert request.status == 201, request.text
    decision = {"outcome": "granted", "bsn": Y}
    granted = nation.http(
        "north", "POST", f"/rights-requests/{request.json['request_id']}/decision", OPERATOR, decision
    )
    assert granted.status == 200, granted.text
    dossier = granted.json["dossier"]
    recipients = {(r["organisation"]["name"], r["via"]) for r in dossier["recipients"]}
    assert recipients == {
        ("Org noord-a", "signal"),
        ("Org zuid-b (regio Zuid)", "client_match"),
        ("Landelijke Verwijsindex", "national_index"),
    }
    assert any("landelijke verwijsindex" in s["source"] for s in dossier["sources"])
    # The printable dossier says in Dutch what the national index received.
    second = nation.http("north", "POST", "/rights-requests", OPERATOR, body)
    shown = nation.http(
        "north",
        "POST",
        f"/rights-requests/{second.json['request_id']}/decision",
        OPERATOR,
        {**decision, "format": "html"},
    )
    assert shown.status == 200 and "Landelijke Verwijsindex" in shown.text
    assert "een pseudoniem (geen BSN, geen naam)" in shown.text


def test_a_corrected_professional_reaches_the_national_index(nation: Nation) -> None:
    a = nation.place("A", Y, "NRD-1")
    body = {"kind": "correctie", "bsn": Y, "requested_by": "both", "received_on": "2026-11-20"}
    request = nation.http("north", "POST", "/rights-requests", OPERATOR, body)
    assert request.status == 201, request.text
    contact = {"name": "Anna Aalders-Bos", "email": "anna.bos@noord-a.example.org", "phone": "+31509990000"}
    decision = {"outcome": "granted", "bsn": Y, "corrections": [{"signal_id": a, "professional": contact}]}
    granted = nation.http(
        "north", "POST", f"/rights-requests/{request.json['request_id']}/decision", OPERATOR, decision
    )
    assert granted.status == 200, granted.text
    (entry,) = [i for i in nation.national_items() if i["entity"] == "national_signal"]
    assert entry["professional"] == contact
    # A professional in South who signals Y now reaches Anna at her corrected address.
    nation.place("B", Y, "ZD-7")
    (mail,) = nation.mails_to("B")
    assert row(mail, "E-mail") == "anna.bos@noord-a.example.org" and row(mail, "Naam") == "Anna Aalders-Bos"
