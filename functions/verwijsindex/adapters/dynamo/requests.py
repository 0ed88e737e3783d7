"""The two request shapes every store repeats: a paged Query and a conditional transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


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
