"""The national link's publisher in memory (functions/verwijsindex/ports/events.py): every event the bus
accepted, in order, with the source and detail-type EventBridge would carry; `refuse` makes the next
publishes fail as the bus can (nothing accepted). tests/ports/test_events_contract.py holds it to the
EventBridge adapter's behaviour."""

from __future__ import annotations

from collections.abc import Sequence

from verwijsindex.domain.national import detail_type_of, source_of
from verwijsindex.ports.events import Event


class BusRefused(Exception):
    """The bus accepted none of the events; names no event's contents."""


class FakeEventPublisher:
    def __init__(self) -> None:
        self.accepted: list[Event] = []
        self.refuse: BusRefused | None = None

    def publish(self, events: Sequence[Event]) -> None:
        if self.refuse is not None and events:
            raise self.refuse
        self.accepted.extend(events)

    def arrived(self) -> list[tuple[str, str, Event]]:
        """What a rule on the bus would deliver: (source, detail-type, detail)."""
        return [(source_of(event), detail_type_of(event).value, event) for event in self.accepted]
