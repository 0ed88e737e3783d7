"""The national link's publisher port: the same cases against the in-memory fake and the EventBridge
adapter on moto, observed as the receivers see the events: a rule on the bus forwards them to a
queue, and each is parsed as the national function and the regions' inboxes parse them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.fakes.events import BusRefused, FakeEventPublisher
from verwijsindex.adapters.national_bus import EventBridgePublisher, PublishError
from verwijsindex.api.bus_events import received
from verwijsindex.domain.national import (
    NATIONAL_SOURCE,
    REGION_SOURCE,
    RemoteSignalDestroyed,
    RemovalReason,
    SignalRemoved,
    StatisticsCounted,
    YouthMoved,
)
from verwijsindex.ports.events import Event, EventPublisher

NATIONAL_KEY = "b" * 64
BUS = "verwijsindex-national"
# A refused publish: the adapter's own error, or the bus's answer as boto3 raises it.
REFUSED = (BusRefused, PublishError, ClientError)

Arrival = tuple[str, str, Event]  # source, detail-type, detail


@dataclass
class Bus:
    publisher: EventPublisher
    arrived: Callable[[], list[Arrival]]
    refusing: Callable[[], EventPublisher]  # a publisher of the same kind whose events are refused


def _fake() -> Bus:
    fake = FakeEventPublisher()

    def refusing() -> EventPublisher:
        fake.refuse = BusRefused("the bus accepted none of the events")
        return fake

    return Bus(fake, fake.arrived, refusing)


def _event_bridge() -> Bus:
    events: Any = boto3.client("events")
    sqs: Any = boto3.client("sqs")
    bus_arn = events.create_event_bus(Name=BUS)["EventBusArn"]
    queue_url = sqs.create_queue(QueueName="receiver")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": [REGION_SOURCE, NATIONAL_SOURCE]}
    events.put_rule(Name="Everything", EventBusName=BUS, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="Everything", EventBusName=BUS, Targets=[{"Id": "receiver", "Arn": queue_arn}])

    def arrived() -> list[Arrival]:
        bodies: list[dict[str, Any]] = []
        while page := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
            bodies += [json.loads(message["Body"]) for message in page]
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(page)],
            )
        # moto's SQS target leaves out the envelope's `account` (EventBridge always sets it).
        got = [received({"account": "111111111111", **body}) for body in bodies]
        return [(one.source, one.detail_type, one.detail) for one in got]

    gone = f"{bus_arn.rsplit('/', 1)[0]}/deleted-bus"
    return Bus(EventBridgePublisher(events, bus_arn), arrived, lambda: EventBridgePublisher(events, gone))


@pytest.fixture(params=["fake", "eventbridge"])
def bus(request: pytest.FixtureRequest) -> Bus:
    if request.param == "fake":
        return _fake()
    request.getfixturevalue("aws")
    return _event_bridge()


def removal(n: int) -> SignalRemoved:
    return SignalRemoved(
        region="north",
        national_key=NATIONAL_KEY,
        signal_id=f"s-{n}",
        reason=RemovalReason.CLOSED,
        active_until=date(2027, 1, 1),
    )


def by_signal(arrivals: list[Arrival]) -> list[Arrival]:
    """A queue keeps no order: compare by what each event is."""
    return sorted(arrivals, key=lambda arrival: (arrival[1], arrival[2].model_dump_json()))


def test_every_published_event_arrives_with_its_source_and_type_as_the_receivers_parse_it(bus: Bus) -> None:
    removals: list[Event] = [removal(n) for n in range(12)]  # more than one PutEvents call holds
    others: list[Event] = [
        YouthMoved(region="north", national_key=NATIONAL_KEY, municipality="0772", moved_on=date(2026, 11, 20)),
        StatisticsCounted(region="north", month="2026-11", cell="0014#org-a#12-15", counts={"placed": 3}),
        RemoteSignalDestroyed(region="south", from_region="north", signal_id="s-1"),
    ]
    bus.publisher.publish(removals)
    bus.publisher.publish(others)
    bus.publisher.publish([])  # nothing to publish: nothing arrives, nothing fails

    expected = [(REGION_SOURCE, "SignalRemoved", event) for event in removals] + [
        (REGION_SOURCE, "YouthMoved", others[0]),
        (REGION_SOURCE, "StatisticsCounted", others[1]),
        (NATIONAL_SOURCE, "RemoteSignalDestroyed", others[2]),
    ]
    assert by_signal(bus.arrived()) == by_signal(expected)


def test_a_refused_publish_raises_without_naming_the_events_and_nothing_arrives(bus: Bus) -> None:
    with pytest.raises(REFUSED) as refused:
        bus.refusing().publish([removal(1), removal(2)])
    assert NATIONAL_KEY not in str(refused.value) and "s-1" not in str(refused.value)
    assert bus.arrived() == []
