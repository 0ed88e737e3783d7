"""Counts what a DynamoDB client asks of the service: requests and items read.

Attached through botocore's event hooks, so it sees every call the stores make without the
stores knowing. A transaction is one request (DynamoDB bills and throttles it as one call).
Items read are what DynamoDB had to read: `ScannedCount` for a Query or Scan (a filter does
not make reading cheaper), the items returned for GetItem, BatchGetItem and TransactGetItems.
Used by the benchmarks and by tests that assert how many requests an operation costs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@dataclass
class Reading:
    """What was counted between two points: requests per operation and items read."""

    requests_by_operation: Counter[str] = field(default_factory=Counter)
    items_read: int = 0

    @property
    def requests(self) -> int:
        return sum(self.requests_by_operation.values())


def items_read_by(operation: str, response: dict[str, Any]) -> int:
    if operation in {"Query", "Scan"}:
        return int(response.get("ScannedCount", response.get("Count", 0)))
    if operation == "GetItem":
        return 1 if response.get("Item") else 0
    if operation == "BatchGetItem":
        return sum(len(items) for items in response.get("Responses", {}).values())
    if operation == "TransactGetItems":
        return sum(1 for entry in response.get("Responses", []) if entry.get("Item"))
    return 0


class DynamoMeter:
    """Attach to one or more clients; `reading()` gives the counts since the last `reset()`."""

    def __init__(self) -> None:
        self._reading = Reading()
        self._folded = 0

    def attach(self, client: DynamoDBClient) -> DynamoDBClient:
        client.meta.events.register("after-call.dynamodb", self._count)
        return client

    def detach(self, client: DynamoDBClient) -> None:
        client.meta.events.unregister("after-call.dynamodb", self._count)

    def reset(self) -> None:
        self._reading = Reading()

    def reading(self) -> Reading:
        return Reading(Counter(self._reading.requests_by_operation), self._reading.items_read)

    @contextmanager
    def as_one_request(self, operation: str) -> Iterator[None]:
        """Counts the calls made inside as one request of `operation` (a bench that applies a
        transaction as its elements, because moto's transactions slow down with the table)."""
        self._folded += 1
        try:
            yield
        finally:
            self._folded -= 1
            if not self._folded:
                self._reading.requests_by_operation[operation] += 1

    def _count(self, http_response: Any = None, parsed: Any = None, model: Any = None, **_: Any) -> None:
        if self._folded:
            return
        operation = model.name if model is not None else "unknown"
        self._reading.requests_by_operation[operation] += 1
        if isinstance(parsed, dict):
            self._reading.items_read += items_read_by(operation, parsed)
