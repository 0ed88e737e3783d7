"""The request shapes every store repeats: a paged Query, a conditional transaction, and
batches (BatchWriteItem, BatchGetItem) that resend what DynamoDB left unprocessed."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef, WriteRequestTypeDef

BATCH_WRITE_LIMIT = 25  # DynamoDB's maximum per BatchWriteItem
BATCH_GET_LIMIT = 100  # and per BatchGetItem
TRANSACTION_LIMIT = 100  # elements per TransactWriteItems


def query_all(client: DynamoDBClient, request: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every item a Query matches, following LastEvaluatedKey (raw attribute values)."""
    kwargs = dict(request)
    items: list[dict[str, Any]] = []
    while True:
        page = client.query(**kwargs)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def owned_item(client: DynamoDBClient, table: str, org_id: str, index_sk: str) -> dict[str, Any] | None:
    """An item (a signal, a match side) only as its own organisation addresses it, through GSI1
    `ORG#<org_id>` / `index_sk`: another organisation cannot even reach it."""
    page = client.query(
        TableName=table,
        IndexName=keys.GSI1,
        KeyConditionExpression="GSI1PK = :pk AND GSI1SK = :sk",
        ExpressionAttributeValues={":pk": {"S": keys.org_pk(org_id)}, ":sk": {"S": index_sk}},
    )
    items = page.get("Items", [])
    return items[0] if items else None


def transact(client: DynamoDBClient, items: Sequence[TransactWriteItemTypeDef]) -> bool:
    """Writes all or nothing; False when a condition failed (the state was not as expected)."""
    try:
        client.transact_write_items(TransactItems=list(items))
    except client.exceptions.TransactionCanceledException as error:
        reasons = error.response.get("CancellationReasons", [])
        if any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons):
            return False
        raise
    return True


class UnprocessedItemsError(RuntimeError):
    """DynamoDB kept refusing part of a batch (throttling): the caller fails loudly, so the
    stream or the schedule that drives it runs the work again."""

    def __init__(self, operation: str, remaining: int) -> None:
        super().__init__(f"{operation}: {remaining} item(s) still unprocessed after every retry")
        self.remaining = remaining


@dataclass(frozen=True)
class Backoff:
    """Bounded retries of unprocessed batch items: exponential backoff with full jitter (each
    wait is random between 0 and min(cap, base * 2^retry)), then UnprocessedItemsError."""

    attempts: int = 8
    base_seconds: float = 0.05
    cap_seconds: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def wait(self, retry: int) -> None:
        self.sleep(self.jitter() * min(self.cap_seconds, self.base_seconds * 2**retry))


DEFAULT_BACKOFF = Backoff()


def write_batches(
    client: DynamoDBClient, table: str, requests: Sequence[WriteRequestTypeDef], backoff: Backoff = DEFAULT_BACKOFF
) -> None:
    """Puts and deletes in BatchWriteItem requests of 25, resending unprocessed ones."""
    for start in range(0, len(requests), BATCH_WRITE_LIMIT):
        pending: dict[str, Any] = {table: list(requests[start : start + BATCH_WRITE_LIMIT])}
        for retry in range(backoff.attempts):
            if retry:
                backoff.wait(retry - 1)
            response = client.batch_write_item(RequestItems=pending)
            pending = dict(response.get("UnprocessedItems") or {})
            if not pending:
                break
        if pending:
            raise UnprocessedItemsError("BatchWriteItem", sum(len(v) for v in pending.values()))


def delete_batches(
    client: DynamoDBClient, table: str, item_keys: Iterable[Mapping[str, Any]], backoff: Backoff = DEFAULT_BACKOFF
) -> int:
    """Deletes items by PK/SK (plain values), in the order given (duplicates once): a caller
    lists what must go first first. Returns how many keys were sent."""
    unique = dict.fromkeys((str(key[keys.PK]), str(key[keys.SK])) for key in item_keys)
    requests: list[WriteRequestTypeDef] = [
        {"DeleteRequest": {"Key": {keys.PK: {"S": pk}, keys.SK: {"S": sk}}}} for pk, sk in unique
    ]
    write_batches(client, table, requests, backoff)
    return len(requests)


def get_batches(
    client: DynamoDBClient,
    table: str,
    item_keys: Sequence[Mapping[str, Any]],
    *,
    consistent: bool = False,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> list[dict[str, Any]]:
    """Items by key (raw attribute values) in BatchGetItem requests of 100; missing ones are left out."""
    found: list[dict[str, Any]] = []
    for start in range(0, len(item_keys), BATCH_GET_LIMIT):
        pending: dict[str, Any] = {
            table: {"Keys": list(item_keys[start : start + BATCH_GET_LIMIT]), "ConsistentRead": consistent}
        }
        for retry in range(backoff.attempts):
            if retry:
                backoff.wait(retry - 1)
            response = client.batch_get_item(RequestItems=pending)
            found.extend(response.get("Responses", {}).get(table, []))
            pending = dict(response.get("UnprocessedKeys") or {})
            if not pending:
                break
        if pending:
            raise UnprocessedItemsError("BatchGetItem", sum(len(v["Keys"]) for v in pending.values()))
    return found
