"""The national link's EventBridge adapter (the port: ports/events.py): the only code that puts events.

A region publishes to the national bus (cross-account: the bus ARN), the national index to
its own bus, whose rules forward each event to the inbox bus of the region it names.
EventBridge sets each event's `account` to the sender's, which the receivers check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from verwijsindex.domain.national import detail_type_of, source_of
from verwijsindex.ports.events import Event

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_events.type_defs import PutEventsRequestEntryTypeDef

PUT_EVENTS_LIMIT = 10  # entries per PutEvents call


class PublishError(Exception):
    """EventBridge refused some entries; holds error codes only, never event contents."""

    def __init__(self, failed: int, codes: Sequence[str]) -> None:
        super().__init__(f"{failed} event(s) not accepted: {', '.join(sorted(set(codes)))}")
        self.failed = failed


class EventBridgePublisher:
    def __init__(self, client: EventBridgeClient, bus: str) -> None:
        self._client = client
        self._bus = bus  # a name on the own account, or the ARN of another account's bus

    def publish(self, events: Sequence[Event]) -> None:
        for start in range(0, len(events), PUT_EVENTS_LIMIT):
            entries: list[PutEventsRequestEntryTypeDef] = [
                {
                    "EventBusName": self._bus,
                    "Source": source_of(event),
                    "DetailType": detail_type_of(event).value,
                    "Detail": event.model_dump_json(),
                }
                for event in events[start : start + PUT_EVENTS_LIMIT]
            ]
            response = self._client.put_events(Entries=entries)
            if response.get("FailedEntryCount"):
                codes = [str(e.get("ErrorCode", "unknown")) for e in response.get("Entries", []) if e.get("ErrorCode")]
                raise PublishError(int(response["FailedEntryCount"]), codes)


class Unlinked:
    """A region without a national link: nothing may be published (a wiring mistake)."""

    def publish(self, events: Sequence[Event]) -> None:
        if events:
            raise RuntimeError("this region has no national link (NATIONAL_BUS_ARN is not set)")
