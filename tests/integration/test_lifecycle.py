"""Lifecycle on moto with replayed times: expiry, the archive's end, the 23rd birthday, through the
scheduled handlers. Which days a run reads and the renewal e-mail's retries, on the fakes:
tests/unit/test_lifecycle_on_fakes.py."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from infra.local.events import LocalContext
from infra.local.outbox import Mailbox
from tests.conftest import NAMES, PRO_A, PRO_B, PRO_C, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import AMSTERDAM

pytestmark = pytest.mark.usefixtures("region", "mailbox")

KID = valid_bsn("53000001")
SIBLING = valid_bsn("53000002")
LEAP = valid_bsn("53000003")
PARENT = valid_bsn("63000001")


def at(day: date) -> datetime:
    """The nightly schedule's moment (01:15 Dutch time) on `day`."""
    return datetime.combine(day, time(1, 15), tzinfo=AMSTERDAM)


def run(job: str, day: date) -> dict[str, Any]:
    if job == "expire":
        from expire.handler import lambda_handler
    else:
        from expire.purge import lambda_handler
    event = {"source": "aws.scheduler", "detail-type": "Scheduled Event", "time": at(day).isoformat()}
    result: dict[str, Any] = lambda_handler(event, LocalContext())
    return result


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str, **extra: Any) -> dict[str, Any]:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference, **extra})
    assert response.status == 201, response.text
    return dict(response.json)


def signal_items(dynamodb: Any) -> dict[str, dict[str, Any]]:
    return {i["signal_id"]: i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"}


def snapshot(dynamodb: Any) -> tuple[list[Any], list[Any]]:
    def ordered(table: str) -> list[Any]:
        return sorted((repr(sorted(i.items())) for i in all_items(dynamodb, table)), key=str)

    return ordered(NAMES.main), ordered(NAMES.audit)


@pytest.fixture
def kid(persons: FakePersonRegistry) -> str:
    persons.add(youth(KID, date(2015, 6, 1), parents=(PARENT,)))
    persons.add(youth(SIBLING, date(2012, 2, 3), parents=(PARENT,)))
    persons.add(youth(LEAP, date(2004, 2, 29), parents=(PARENT,)))
    return KID


def test_active_through_the_last_day_closed_on_the_next_run(
    kid: str, signals_api: Invoke, dynamodb: Any, mailbox: Mailbox, services: wiring.Services
) -> None:
    placed = place(signals_api, PRO_A, kid, "A-77")
    assert placed["active_until"] == "2028-11-23"

    report = run("expire", date(2028, 11, 23))  # its last active day
    assert report["closed"] == 0
    assert signal_items(dynamodb)[placed["signal_id"]]["status"] == "active"
    assert mailbox.sent == []

    report = run("expire", date(2028, 11, 24))
    assert report["closed"] == 1 and report["emails_sent"] == 1
    item = signal_items(dynamodb)[placed["signal_id"]]
    assert (item["status"], item["closed_on"], item["close_reason"]) == ("closed", "2028-11-24", "expired")
    assert (item["GSI2PK"], item["GSI2SK"].split("#")[0]) == ("DUE#2033-11-24", "ARCHIVE")
    assert not [i for i in all_items(dynamodb, NAMES.main) if i["SK"].startswith("ACTIVE#")]  # guard gone

    [mail] = mailbox.sent
    assert mail.to == ("sub-a@org-a.example.org",)
    assert "niet meer actief" in mail.subject and "A-77" in mail.subject
    assert "opnieuw signaleren" in mail.text and placed["signal_id"] in mail.text
    assert kid not in mail.everything and "Test Jeugdige" not in mail.everything

    audit = all_items(dynamodb, NAMES.audit)
    expired = [e for e in audit if e["action"] == "signal.expired"]
    assert len(expired) == 1 and expired[0]["at"].startswith("2028-11-24")
    assert kid not in repr(audit)

    # Renewal is a new signal: the same professional may signal again.
    renewed = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": kid, "client_reference": "A-77"})
    assert renewed.status == 201 and renewed.json["signal_id"] != placed["signal_id"]


def test_a_second_run_of_the_same_day_sends_nothing_and_changes_nothing(
    kid: str, signals_api: Invoke, dynamodb: Any, mailbox: Mailbox, match_stream: MatchStream
) -> None:
    place(signals_api, PRO_A, kid, "A-1", active_until="2027-02-28")
    place(signals_api, PRO_B, kid, "B-1", active_until="2027-02-28")
    place(signals_api, PRO_C, LEAP, "C-1")  # 23 on 2027-03-01
    match_stream.drain()
    sent_before = len(mailbox.sent)
    first = run("expire", date(2027, 3, 1))
    assert first["closed"] == 2 and first["emails_sent"] == 2 and first["youths_destroyed"] == 1
    assert run("purge", date(2027, 3, 1))["signals_destroyed"] == 0
    match_stream.drain()
    state, sent = snapshot(dynamodb), len(mailbox.sent)
    assert sent == sent_before + 2

    for job in ("expire", "purge", "expire"):
        again = run(job, date(2027, 3, 1))
        assert again.get("closed", 0) == 0 and again["emails_sent"] == 0 and again["signals_destroyed"] == 0
        assert again["items_read"] == 0
    match_stream.drain()
    after = snapshot(dynamodb)
    assert set(after[0]) ^ set(state[0]) == set()
    assert after == state
    assert len(mailbox.sent) == sent


def test_the_archive_ends_exactly_five_years_after_closing(
    kid: str, signals_api: Invoke, dynamodb: Any, match_stream: MatchStream
) -> None:
    ended = place(signals_api, PRO_A, kid, "A-1")
    expiring = place(signals_api, PRO_B, kid, "B-1", active_until="2027-03-31")
    match_stream.drain()
    closed = signals_api("POST", f"/signals/{ended['signal_id']}/close", claims=PRO_A, body={"reason": "ended"})
    assert closed.status == 200, closed.text
    run("expire", date(2027, 4, 1))  # B-1 closes on 2027-04-01

    run("purge", date(2031, 11, 22))
    assert set(signal_items(dynamodb)) == {ended["signal_id"], expiring["signal_id"]}
    report = run("purge", date(2031, 11, 23))  # closed on 2026-11-23 + 5 years
    assert report["signals_destroyed"] == 1
    assert set(signal_items(dynamodb)) == {expiring["signal_id"]}

    run("purge", date(2032, 3, 31))
    assert set(signal_items(dynamodb)) == {expiring["signal_id"]}
    assert run("purge", date(2032, 4, 1))["signals_destroyed"] == 1
    items = all_items(dynamodb, NAMES.main)
    assert not [i for i in items if i.get("entity") in {"signal", "match", "notification", "renewal_notice"}]
    audit = all_items(dynamodb, NAMES.audit)
    assert len([e for e in audit if e["action"] == "signal.purged"]) == 2
    assert kid not in repr(audit)


def test_destroyed_on_the_23rd_birthday_leap_day_born_in_a_non_leap_year(
    kid: str, signals_api: Invoke, dynamodb: Any, match_stream: MatchStream, services: wiring.Services
) -> None:
    mine = place(signals_api, PRO_A, LEAP, "A-1")
    place(signals_api, PRO_B, LEAP, "B-1")  # a client match
    sibling = place(signals_api, PRO_C, kid, "C-1")  # a family match through the shared parent
    match_stream.drain()
    leap_key = signal_items(dynamodb)[mine["signal_id"]]["youth_key"]
    assert any(
        i.get("entity") == "match" and i["PK"] == f"YOUTH#{kid_key(dynamodb, sibling)}"
        for i in all_items(dynamodb, NAMES.main)
    )

    run("expire", date(2027, 2, 28))  # still 22 (2027 has no 29 February)
    assert mine["signal_id"] in signal_items(dynamodb)
    report = run("expire", date(2027, 3, 1))
    assert report["youths_destroyed"] == 1 and report["signals_destroyed"] == 2

    assert_nothing_left(dynamodb, leap_key, LEAP)
    # The sibling keeps its own signal, but nothing that points at the destroyed youth.
    assert sibling["signal_id"] in signal_items(dynamodb)
    audit = all_items(dynamodb, NAMES.audit)
    actions = sorted(e["action"] for e in audit if e["PK"] == f"YOUTH#{leap_key}")
    assert actions.count("signal.destroyed") == 2 and "youth.destroyed" in actions


def kid_key(dynamodb: Any, placed: dict[str, Any]) -> str:
    return str(signal_items(dynamodb)[placed["signal_id"]]["youth_key"])


def assert_nothing_left(dynamodb: Any, youth_key: str, bsn: str) -> None:
    """Nothing about the youth in the main table or any of its indexes, or in the idempotency
    table; in the audit table only entries without a BSN."""
    described = dynamodb.describe_table(TableName=NAMES.main)["Table"]
    indexes = [None, *(gsi["IndexName"] for gsi in described.get("GlobalSecondaryIndexes", []))]
    assert len(indexes) == 4  # the table, GSI1, GSI2 and the outstanding-work GSI3
    for index in indexes:
        kwargs: dict[str, Any] = {"TableName": NAMES.main}
        if index:
            kwargs["IndexName"] = index
        text = repr(dynamodb.scan(**kwargs)["Items"])
        assert youth_key not in text, index
        assert bsn not in text, index
    for table in (NAMES.idempotency,):
        assert bsn not in repr(all_items(dynamodb, table))
    audit = all_items(dynamodb, NAMES.audit)
    assert audit and bsn not in repr(audit)
    for entry in audit:
        assert set(entry) <= {
            "PK",
            "SK",
            "entry_id",
            "at",
            "actor",
            "actor_org",
            "action",
            "subject",
            "target",
            "detail",
        }
