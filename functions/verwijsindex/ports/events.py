"""The national link: events a region sends to the national index and back
(adapters/national_bus.py: EventBridge)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from verwijsindex.domain.national import NationalEvent, RegionEvent

Event = RegionEvent | NationalEvent


class EventPublisher(Protocol):
    def publish(self, events: Sequence[Event]) -> None:
        """Every event accepted by the bus, or an exception (the caller's record is retried)."""
        ...
