"""The envelopes of the events the stream and bus functions receive: a DynamoDB stream record of the
main table and an EventBridge event. What Lambda delivers parses to plain values; a bad event fails
with the names of the fields at fault, never their values, and no record of a batch is lost."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from pydantic import ValidationError

from infra.local.events import LocalContext
from verwijsindex.api.bus_events import Rejected, received
from verwijsindex.api.stream_records import IndexStreamRecord
from verwijsindex.domain.national import NATIONAL_SOURCE, REGION_SOURCE, SignalRemoved

BSN = "999990196"
NK = "c" * 64
STREAM_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/verwijsindex/stream/2026-11-23T09:00:00.000"


def stream_record(event_name: str = "INSERT", sequence: str = "4100000000000000001", **dynamodb: Any) -> dict[str, Any]:
    """A record as Lambda delivers it from the main table's stream (NEW_AND_OLD_IMAGES)."""
    change: dict[str, Any] = {
        "ApproximateCreationDateTime": 1795428000.0,
        "Keys": {"PK": {"S": "YOUTH#yk"}, "SK": {"S": "SIGNAL#s-1"}},
        "NewImage": {
            "PK": {"S": "YOUTH#yk"},
            "SK": {"S": "SIGNAL#s-1"},
            "entity": {"S": "signal"},
            "status": {"S": "active"},
            "version": {"N": "3"},
            "professional": {"M": {"name": {"S": "Anna"}, "email": {"S": "anna@org-a.example.org"}}},
            "parent_keys": {"L": [{"S": "p-1"}, {"S": "p-2"}]},
            "roles": {"SS": ["professional"]},
            "withdrawn": {"BOOL": False},
            "closed_on": {"NULL": True},
        },
        "SequenceNumber": sequence,
        "SizeBytes": 412,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        **dynamodb,
    }
    return {
        "eventID": "7de3041dd709b024af6f29e4fa13d34c",
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "eventSourceARN": STREAM_ARN,
        "dynamodb": change,
    }


def field_names(error: ValidationError) -> set[str]:
    return {".".join(str(part) for part in e["loc"]) for e in error.errors()}


def test_a_stream_record_parses_to_plain_values() -> None:
    record = IndexStreamRecord.model_validate(stream_record())

    assert record.eventName == "INSERT"
    assert record.dynamodb.SequenceNumber == "4100000000000000001"
    assert record.dynamodb.Keys == {"PK": "YOUTH#yk", "SK": "SIGNAL#s-1"}
    assert record.dynamodb.OldImage is None
    assert record.dynamodb.NewImage == {
        "PK": "YOUTH#yk",
        "SK": "SIGNAL#s-1",
        "entity": "signal",
        "status": "active",
        "version": Decimal(3),
        "professional": {"name": "Anna", "email": "anna@org-a.example.org"},
        "parent_keys": ["p-1", "p-2"],
        "roles": {"professional"},
        "withdrawn": False,
        "closed_on": None,
    }


def test_a_removal_carries_the_old_image_only() -> None:
    raw = stream_record("REMOVE")
    raw["dynamodb"]["OldImage"] = raw["dynamodb"].pop("NewImage")

    record = IndexStreamRecord.model_validate(raw)

    assert record.eventName == "REMOVE"
    assert record.dynamodb.NewImage is None
    assert record.dynamodb.OldImage is not None and record.dynamodb.OldImage["entity"] == "signal"


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda r: r.update(eventName="UPSERT"), "eventName"),
        (lambda r: r.update(eventSource="aws:kinesis"), "eventSource"),
        (lambda r: r.pop("dynamodb"), "dynamodb"),
        (lambda r: r["dynamodb"].pop("SequenceNumber"), "dynamodb.SequenceNumber"),
        (lambda r: r["dynamodb"].pop("Keys"), "dynamodb.Keys"),
        (lambda r: r["dynamodb"].update(NewImage={"bsn": BSN}), "dynamodb.NewImage"),
        (lambda r: r["dynamodb"].update(NewImage={"bsn": {"X": BSN}}), "dynamodb.NewImage"),
        (lambda r: r["dynamodb"].update(OldImage={"n": {"N": f"not a number {BSN}"}}), "dynamodb.OldImage"),
        (lambda r: r["dynamodb"].update(NewImage=[BSN]), "dynamodb.NewImage"),
    ],
)
def test_a_bad_stream_record_names_the_field_at_fault_and_never_its_value(spoil: Any, field: str) -> None:
    raw = stream_record()
    spoil(raw)

    with pytest.raises(ValidationError) as raised:
        IndexStreamRecord.model_validate(raw)

    assert field in field_names(raised.value)
    assert BSN not in str(raised.value.errors(include_input=False))


def test_a_bad_record_in_a_batch_fails_alone_and_an_all_bad_batch_is_retried_whole() -> None:
    from match.handler import lambda_handler

    # An audit entry is no work for the match function: it is looked at and skipped.
    fine = stream_record(sequence="1")
    fine["dynamodb"]["NewImage"]["entity"] = {"S": "audit"}
    bad = stream_record(sequence="2")
    bad["dynamodb"]["NewImage"]["status"] = {"Q": "active"}

    answer = lambda_handler({"Records": [fine, bad]}, LocalContext())

    assert answer == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    with pytest.raises(BatchProcessingError):
        lambda_handler({"Records": [copy.deepcopy(bad)]}, LocalContext())


def bus_event(**changes: Any) -> dict[str, Any]:
    """A national event as EventBridge delivers it to a region's inbox rule."""
    return {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "SignalRemoved",
        "source": REGION_SOURCE,
        "account": "111111111111",
        "time": "2026-11-23T09:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {
            "region": "north",
            "national_key": NK,
            "signal_id": "s-1",
            "reason": "closed",
            "active_until": "2027-01-01",
        },
        **changes,
    }


def test_a_bus_event_parses_to_its_sender_and_detail() -> None:
    got = received(bus_event())

    assert (got.source, got.account, got.detail_type) == (REGION_SOURCE, "111111111111", "SignalRemoved")
    assert isinstance(got.detail, SignalRemoved) and got.detail.signal_id == "s-1"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"account": "not-an-account"}, "account"),
        ({"detail-type": None}, "detail-type"),
        ({"time": "yesterday"}, "time"),
        ({"detail": "a string"}, "detail"),
        ({"detail": {"region": "north", "national_key": "x" * 64, "signal_id": "s-1"}}, "national_key"),
        ({"detail-type": "SignalDestroyedEverywhere"}, "unknown detail-type"),
    ],
)
def test_a_bad_bus_event_is_rejected_naming_the_field_never_a_value(changes: dict[str, Any], named: str) -> None:
    with pytest.raises(Rejected) as raised:
        received(bus_event(**changes))

    assert named in str(raised.value)
    assert "x" * 64 not in str(raised.value) and NK not in str(raised.value)


def test_an_envelope_without_a_required_field_is_rejected() -> None:
    event = bus_event(source=NATIONAL_SOURCE)
    del event["id"]

    with pytest.raises(Rejected, match="invalid event: id"):
        received(event)
