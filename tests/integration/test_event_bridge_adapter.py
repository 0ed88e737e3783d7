"""The EventBridge adapter of the national link reports entries the bus refused. What it puts arrives
as the receivers parse it: tests/ports/test_events_contract.py, with the in-memory fake."""

from __future__ import annotations

from typing import Any

import pytest

from verwijsindex.adapters.national_bus import EventBridgePublisher, PublishError
from verwijsindex.domain.national import RemovalReason, SignalRemoved

NK = "b" * 64


def removal(n: int) -> SignalRemoved:
    return SignalRemoved(
        region="north", national_key=NK, signal_id=f"s-{n}", reason=RemovalReason.CLOSED, active_until="2027-01-01"
    )


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
