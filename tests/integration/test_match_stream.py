"""The local stream pump (infra/local/streams.py) and the match handler's record handling."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infra.local.streams import Delivery
from tests.conftest import NAMES, PRO_A, Invoke, MatchStream
from tests.support import valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("34000001")


def test_records_arrive_once_in_the_shape_lambda_delivers(
    signals_api: Invoke, match_stream: MatchStream, persons: FakePersonRegistry, dynamodb: Any
) -> None:
    first = match_stream.pump.poll()
    assert first and match_stream.pump.poll() == []  # the region's items, then nothing new
    persons.add(youth(Y, date(2016, 1, 10)))
    assert signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y, "client_reference": "A-1"}).status == 201

    records = match_stream.pump.poll()
    stream_arn = dynamodb.describe_table(TableName=NAMES.main)["Table"]["LatestStreamArn"]
    assert {r["eventName"] for r in records} == {"INSERT"}
    for record in records:
        assert record["eventSource"] == "aws:dynamodb"
        assert record["eventSourceARN"] == stream_arn
        assert record["awsRegion"] == "eu-west-1"
        assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], float)
        assert record["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert match_stream.pump.poll() == []


def test_records_that_are_not_work_are_skipped_and_a_bad_record_fails_alone(
    signals_api: Invoke, match_stream: MatchStream, persons: FakePersonRegistry
) -> None:
    persons.add(youth(Y, date(2016, 1, 10)))
    signal_id = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y, "client_reference": "A-1"}).json[
        "signal_id"
    ]
    assert (
        signals_api("POST", f"/signals/{signal_id}/close", claims=PRO_A, body={"reason": "unjustified"}).status == 200
    )
    records = match_stream.pump.poll()
    assert {r["eventName"] for r in records} == {"INSERT", "MODIFY", "REMOVE"}
    # The MODIFY records are the statistics counters, added to in the same transactions: no work.
    modified = [r["dynamodb"]["NewImage"]["entity"]["S"] for r in records if r["eventName"] == "MODIFY"]
    assert set(modified) == {"statistics"}

    broken = {**records[-1], "eventName": "TRUNCATE"}  # fails the record model
    broken["dynamodb"] = {**broken["dynamodb"], "SequenceNumber": "999"}
    delivery = match_stream.deliver([*records, broken])
    assert delivery.failed_sequence_numbers == ["999"]


def test_a_retry_starts_at_the_first_failed_record() -> None:
    def record(sequence: str) -> dict[str, Any]:
        return {"dynamodb": {"SequenceNumber": sequence}}

    delivery = Delivery(
        event={"Records": [record("1"), record("2"), record("3")]},
        response={"batchItemFailures": [{"itemIdentifier": "2"}]},
    )
    assert [r["dynamodb"]["SequenceNumber"] for r in delivery.records_to_retry()] == ["2", "3"]
    assert Delivery(event={"Records": [record("1")]}, response={"batchItemFailures": []}).records_to_retry() == []
