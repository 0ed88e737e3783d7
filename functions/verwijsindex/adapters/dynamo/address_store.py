"""Undeliverable addresses in the registry (key layout in keys.py): SES said it bounced for good, or
the recipient complained. Nothing is e-mailed to such an address until the professional's registration
is written again (which deletes the entry in the same transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

ENTITY = "undeliverable_address"


def address_key(email: str) -> dict[str, Any]:
    return {keys.PK: keys.undeliverable_pk(email), keys.SK: keys.UNDELIVERABLE_SK}


def forget_request(table: str, email: str) -> TransactWriteItemTypeDef:
    """The transaction element that makes an address deliverable again (a registration rewritten)."""
    return {"Delete": {"TableName": table, "Key": to_item(address_key(email))}}


class AddressStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def mark(self, email: str, reason: str, at: datetime) -> bool:
        """Records the address as undeliverable; False when it was already (a repeated SES event)."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item=to_item(
                    {
                        **address_key(email),
                        keys.ENTITY: ENTITY,
                        "email": email.strip().lower(),
                        "reason": reason,
                        "since": at.isoformat(),
                    }
                ),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def is_undeliverable(self, email: str) -> bool:
        item = self._client.get_item(
            TableName=self._table, Key=to_item(address_key(email)), ProjectionExpression="PK"
        ).get("Item")
        return item is not None
