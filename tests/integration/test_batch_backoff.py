"""Unprocessed batch items are resent after growing, bounded, jittered waits, then fail loudly.

DynamoDB's throttling is injected: a client that hands back part of a batch as unprocessed
(without writing it), as DynamoDB does under load. The sleep is injected, so nothing waits.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import NAMES
from tests.support import all_items
from verwijsindex.adapters.dynamo.requests import Backoff, UnprocessedItemsError, get_batches, write_batches


class Throttled:
    """Passes calls to the real client, except that the first `refusals` batch calls process only
    their first request and hand back the rest as unprocessed."""

    def __init__(self, client: Any, refusals: int) -> None:
        self._client = client
        self.refusals = refusals
        self.calls = 0

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.calls > self.refusals:
            return dict(self._client.batch_write_item(RequestItems=RequestItems))
        (table, requests), *_ = RequestItems.items()
        self._client.batch_write_item(RequestItems={table: requests[:1]})
        return {"UnprocessedItems": {table: requests[1:]} if requests[1:] else {}}

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.calls > self.refusals:
            return dict(self._client.batch_get_item(RequestItems=RequestItems))
        return {"Responses": {}, "UnprocessedKeys": RequestItems}


def _puts(count: int) -> list[Any]:
    return [
        {"PutRequest": {"Item": {"PK": {"S": f"TEST#{i}"}, "SK": {"S": "ITEM"}, "n": {"N": str(i)}}}}
        for i in range(count)
    ]


def test_unprocessed_items_are_resent_after_exponential_waits_until_all_are_written(dynamodb: Any) -> None:
    waits: list[float] = []
    backoff = Backoff(attempts=6, base_seconds=0.1, cap_seconds=0.3, sleep=waits.append, jitter=lambda: 1.0)
    throttled = Throttled(dynamodb, refusals=4)
    write_batches(throttled, NAMES.main, _puts(5), backoff)  # type: ignore[arg-type]
    assert sorted(item["n"] for item in all_items(dynamodb, NAMES.main)) == [0, 1, 2, 3, 4]
    # Four partial answers: four waits, doubling from the base and capped.
    assert waits == [0.1, 0.2, 0.3, 0.3]


def test_the_waits_are_jittered_below_their_ceiling(dynamodb: Any) -> None:
    waits: list[float] = []
    draws = iter([0.5, 0.25, 0.75])
    backoff = Backoff(attempts=4, base_seconds=0.2, cap_seconds=10, sleep=waits.append, jitter=lambda: next(draws))
    write_batches(Throttled(dynamodb, refusals=3), NAMES.main, _puts(4), backoff)  # type: ignore[arg-type]
    assert waits == pytest.approx([0.5 * 0.2, 0.25 * 0.4, 0.75 * 0.8])
    assert len(all_items(dynamodb, NAMES.main)) == 4


def test_a_batch_still_unprocessed_after_every_retry_fails_loudly(dynamodb: Any) -> None:
    waits: list[float] = []
    backoff = Backoff(attempts=5, base_seconds=0.1, cap_seconds=1.0, sleep=waits.append, jitter=lambda: 1.0)
    throttled = Throttled(dynamodb, refusals=1_000)
    with pytest.raises(UnprocessedItemsError) as failure:
        write_batches(throttled, NAMES.main, _puts(10), backoff)  # type: ignore[arg-type]
    # Five attempts (each wrote one item), four waits in between, and the rest named as lost work.
    assert throttled.calls == 5
    assert len(waits) == 4 and max(waits) <= 1.0
    assert failure.value.remaining == 5
    assert len(all_items(dynamodb, NAMES.main)) == 5


def test_batch_reads_retry_unprocessed_keys_too(dynamodb: Any) -> None:
    write_batches(dynamodb, NAMES.main, _puts(3))
    waits: list[float] = []
    keys = [{"PK": {"S": f"TEST#{i}"}, "SK": {"S": "ITEM"}} for i in range(3)]
    backoff = Backoff(attempts=3, base_seconds=0.1, sleep=waits.append, jitter=lambda: 1.0)
    found = get_batches(Throttled(dynamodb, refusals=2), NAMES.main, keys, backoff=backoff)  # type: ignore[arg-type]
    assert sorted(item["n"]["N"] for item in found) == ["0", "1", "2"]
    assert waits == [0.1, 0.2]
    with pytest.raises(UnprocessedItemsError):
        get_batches(Throttled(dynamodb, refusals=3), NAMES.main, keys, backoff=backoff)  # type: ignore[arg-type]
