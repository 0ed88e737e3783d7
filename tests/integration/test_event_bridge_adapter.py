"""The EventBridge adapter of the national link puts what the receivers parse."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from verwijsindex.adapters.national_bus import EventBridgePublisher, PublishError
from verwijsindex.api.bus_events import received
from verwijsindex.domain.national import REGION_SOURCE, RemovalReason, SignalRemoved

NK = "b" * 64


def removal(n: int) -> SignalRemoved:
    return SignalRemoved(
        region="north", national_key=NK, signal_id=f"s-{n}", reason=RemovalReason.CLOSED, active_until="2027-01-01"
    )


def test_published_events_arrive_through_a_rule_as_the_receivers_expect(aws: None) -> None:
    events = boto3.client("events")
    sqs = boto3.client("sqs")
    bus_arn = events.create_event_bus(Name="verwijsindex-national")["EventBusArn"]
    queue_url = sqs.create_queue(QueueName="national-function")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(
        Name="FromRegions",
        EventBusName="verwijsindex-national",
        EventPattern=json.dumps({"source": [REGION_SOURCE], "detail-type": ["SignalRemoved"]}),
    )
    events.put_targets(
        Rule="FromRegions", EventBusName="verwijsindex-national", Targets=[{"Id": "q", "Arn": queue_arn}]
    )

    sent = [removal(n) for n in range(13)]  # more than one PutEvents call holds
    EventBridgePublisher(events, bus_arn).publish(sent)

    bodies: list[dict[str, Any]] = []
    while True:
        page = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not page:
            break
        bodies += [json.loads(m["Body"]) for m in page]
    # moto's SQS target leaves out the envelope's `account` (EventBridge always sets it).
    got = [received({"account": "111111111111", **body}) for body in bodies]
    assert sorted(g.detail.signal_id for g in got) == sorted(e.signal_id for e in sent)  # type: ignore[union-attr]
    assert {(g.source, g.detail_type) for g in got} == {(REGION_SOURCE, "SignalRemoved")}
    assert all(g.detail in sent for g in got)


class RefusingClient:
    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "FailedEntryCount": 1,
            "Entries": [{"EventId": "1"}, {"ErrorCode": "AccessDeniedException", "ErrorMessage": "no"}],
        }


def test_a_refused_entry_raises_so_the_stream_record_is_retried() -> None:
    publisher = EventBridgePublisher(RefusingClient(), "arn:aws:events:eu-west-1:999999999999:event-bus/x")  # type: ignore[arg-type]
    with pytest.raises(PublishError) as raised:
        publisher.publish([removal(1), removal(2)])
    assert raised.value.failed == 1 and "AccessDeniedException" in str(raised.value)
    assert NK not in str(raised.value)  # codes only, never contents
