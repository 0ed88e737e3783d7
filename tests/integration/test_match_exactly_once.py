"""Duplicate deliveries, an SES failure on one record and two simultaneous
signals on one youth each give exactly one e-mail per recipient per match."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from infra.local.outbox import Mailbox
from tests.conftest import NAMES, PRO_A, PRO_A2, PRO_B, PRO_C, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("31000001")
Z = valid_bsn("31000002")
PARENT = valid_bsn("41000001")
MAIL_A, MAIL_A2, MAIL_B, MAIL_C = (
    "sub-a@org-a.example.org",
    "sub-a2@org-a.example.org",
    "sub-b@org-b.example.org",
    "sub-c@org-c.example.org",
)


@pytest.fixture(autouse=True)
def family(persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2016, 1, 10), parents=(PARENT,)))
    persons.add(youth(Z, date(2013, 8, 20), parents=(PARENT,)))


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str) -> str:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
    assert response.status == 201, response.text
    return str(response.json["signal_id"])


def snapshot(dynamodb: Any) -> tuple[str, str]:
    main = sorted(all_items(dynamodb, NAMES.main), key=lambda i: (i["PK"], i["SK"]))
    audit = sorted(all_items(dynamodb, NAMES.audit), key=lambda i: (i["PK"], i["SK"]))
    return repr(main), repr(audit)


def entities(dynamodb: Any, entity: str) -> list[dict[str, Any]]:
    return [item for item in all_items(dynamodb, NAMES.main) if item.get("entity") == entity]


def test_delivering_every_batch_again_sends_nothing_and_writes_nothing(
    signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    place(signals_api, PRO_A, Y, "A-1")
    place(signals_api, PRO_B, Y, "B-1")
    place(signals_api, PRO_A2, Y, "C-1")
    place(signals_api, PRO_C, Z, "D-1")
    deliveries = match_stream.drain(batch_size=7)
    sent = list(mailbox.sent)
    assert mailbox.count_by_recipient() == {MAIL_A: 2, MAIL_B: 3, MAIL_A2: 2, MAIL_C: 3}
    before = snapshot(dynamodb)

    for delivery in deliveries:
        again = match_stream.redeliver(delivery)
        assert again.failed_sequence_numbers == []

    assert mailbox.sent == sent
    assert snapshot(dynamodb) == before
    assert match_stream.pump.poll() == []  # not even a stream record: nothing was written


class FailingSendOnce:
    """SES answers one SendEmail to `address` with an error, as a throttled or failing SES would."""

    def __init__(self, address: str, code: str = "TooManyRequestsException") -> None:
        self.address = address
        self.code = code
        self.failed = 0

    def __call__(self, params: dict[str, Any], **_: Any) -> Any:  # botocore's hooks are typed as returning None
        body = json.loads(params["body"])
        if self.failed or self.address not in body["Destination"]["ToAddresses"]:
            return None
        self.failed += 1
        response = AWSResponse("https://email.eu-west-1.amazonaws.com", 429, HTTPHeaders(), None)
        return response, {"Error": {"Code": self.code, "Message": "slow down"}, "ResponseMetadata": {}}


def test_an_ses_failure_fails_only_that_record_and_its_retry_sends_each_e_mail_once(
    services: wiring.Services, signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    failing = FailingSendOnce(MAIL_B)
    services.ses.meta.events.register("before-call.sesv2.SendEmail", failing)
    place(signals_api, PRO_A, Y, "A-1")
    place(signals_api, PRO_B, Y, "B-1")

    deliveries = match_stream.drain(allow_failures=True)

    [failed] = [d for d in deliveries if d.failed_sequence_numbers]
    [sequence_number] = failed.failed_sequence_numbers
    [failed_record] = [r for r in failed.records if r["dynamodb"]["SequenceNumber"] == sequence_number]
    assert failed_record["dynamodb"]["NewImage"]["recipient_email"]["S"] == MAIL_B
    assert failing.failed == 1
    # Only that record failed: A's e-mail went out, B's is pending again for the retry.
    assert mailbox.count_by_recipient() == {MAIL_A: 1}
    states = {n["recipient_email"]: (n["state"], n["attempts"]) for n in entities(dynamodb, "notification")}
    assert states == {MAIL_A: ("sent", 1), MAIL_B: ("pending", 1)}

    # Lambda retries from the failed record on (here: the whole rest of that batch).
    retry = match_stream.deliver(failed.records_to_retry())
    assert retry.failed_sequence_numbers == []
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}
    # And once more everything, as a duplicate delivery: still one e-mail each.
    for delivery in [*deliveries, retry]:
        match_stream.redeliver(delivery)
    match_stream.drain()
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}
    states = {n["recipient_email"]: (n["state"], n["attempts"]) for n in entities(dynamodb, "notification")}
    assert states == {MAIL_A: ("sent", 1), MAIL_B: ("sent", 2)}


def test_drain_with_retries_behaves_like_lambda(
    services: wiring.Services, signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox
) -> None:
    services.ses.meta.events.register("before-call.sesv2.SendEmail", FailingSendOnce(MAIL_A))
    place(signals_api, PRO_A, Y, "A-1")
    place(signals_api, PRO_B, Y, "B-1")
    match_stream.drain(allow_failures=True, retries=2)
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}


def test_a_claim_left_by_an_ended_invocation_is_taken_over(
    services: wiring.Services, signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    """Lambda timed out after claiming: the retry (a new invocation) sends the e-mail."""
    place(signals_api, PRO_A, Y, "A-1")
    place(signals_api, PRO_B, Y, "B-1")
    match_stream.drain(allow_failures=True, batch_size=1000)  # the match and its two notifications
    # (the notifications were sent; pretend one was only claimed by an invocation that died)
    notes = entities(dynamodb, "notification")
    note = next(n for n in notes if n["recipient_email"] == MAIL_B)
    dynamodb.update_item(
        TableName=NAMES.main,
        Key={"PK": {"S": note["PK"]}, "SK": {"S": note["SK"]}},
        UpdateExpression="SET #s = :sending, claim_token = :dead",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":sending": {"S": "sending"}, ":dead": {"S": "invocation-that-timed-out"}},
    )
    match_stream.pump.poll()  # that MODIFY is not for the match function
    [insert] = [
        r
        for d in match_stream.pump.deliveries
        for r in d.records
        if r["eventName"] == "INSERT" and r["dynamodb"]["Keys"]["SK"]["S"] == note["SK"]
    ]
    match_stream.deliver([insert])
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 2}  # at least once after a lost claim
    match_stream.deliver([insert])
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 2}


def test_two_signals_in_one_batch_give_one_match(
    signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    place(signals_api, PRO_A, Y, "A-1")
    place(signals_api, PRO_B, Y, "B-1")
    match_stream.drain()
    assert len({side["match_id"] for side in entities(dynamodb, "match")}) == 1
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}


def test_two_signals_processed_at_the_same_moment_give_one_match(
    services: wiring.Services,
    signals_api: Invoke,
    match_stream: MatchStream,
    mailbox: Mailbox,
    dynamodb: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both invocations read the youth before either wrote: both see the other signal and
    no match yet, both try to create it. The conditional write lets one win."""
    a = place(signals_api, PRO_A, Y, "A-1")
    b = place(signals_api, PRO_B, Y, "B-1")
    records = match_stream.pump.poll()
    signal_records = {
        r["dynamodb"]["NewImage"]["signal_id"]["S"]: r
        for r in records
        if r["eventName"] == "INSERT" and r["dynamodb"]["NewImage"].get("entity", {}).get("S") == "signal"
    }
    youth_key = signal_records[a]["dynamodb"]["NewImage"]["youth_key"]["S"]
    store = services.match_store
    read_before_any_write = store.signals_and_parents(youth_key)

    assert match_stream.deliver([signal_records[a]]).failed_sequence_numbers == []
    monkeypatch.setattr(store, "signals_and_parents", lambda _key: read_before_any_write)
    assert match_stream.deliver([signal_records[b]]).failed_sequence_numbers == []
    monkeypatch.undo()
    match_stream.drain()

    sides = entities(dynamodb, "match")
    assert len(sides) == 2 and len({side["match_id"] for side in sides}) == 1
    assert len(entities(dynamodb, "notification")) == 2
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}
    created = [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "match.created"]
    assert len(created) == 1


def test_two_siblings_signalled_at_the_same_moment_give_one_family_match(
    signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    place(signals_api, PRO_A, Y, "A-1")
    place(signals_api, PRO_B, Z, "B-1")
    match_stream.drain()
    sides = entities(dynamodb, "match")
    assert len(sides) == 2 and {side["kind"] for side in sides} == {"family"}
    assert {side["PK"] for side in sides} == {
        side["PK"] for side in entities(dynamodb, "signal")
    }  # one side in each youth's partition
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}
