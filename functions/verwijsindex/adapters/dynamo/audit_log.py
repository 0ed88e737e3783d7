"""Append-only audit table: entries are only ever put, never updated or deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.requests import query_all
from verwijsindex.domain.audit import AuditEntry

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


# GSI1 of the audit table: partition `actor`, sort `at`.
ACTOR_INDEX = "GSI1"


class AuditLog:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    def put_request(self, entry: AuditEntry) -> TransactWriteItemTypeDef:
        """The audit write as a transaction element, so a change and its entry land together."""
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": self._item(entry),
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }

    def record(self, entry: AuditEntry) -> None:
        self._client.put_item(
            TableName=self.table_name,
            Item=self._item(entry),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def for_subject(self, subject: str) -> list[AuditEntry]:
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": subject}},
        }
        return [self._entry(item) for item in query_all(self._client, request)]

    def for_actor(self, actor: str, limit: int = 1000) -> list[AuditEntry]:
        """What one actor (Cognito sub or client id) did, oldest first: Query of GSI1 (actor/at)."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": ACTOR_INDEX,
            "KeyConditionExpression": "actor = :actor",
            "ExpressionAttributeValues": {":actor": {"S": actor}},
        }
        entries: list[AuditEntry] = []
        while len(entries) < limit:
            page = self._client.query(**request)
            entries.extend(self._entry(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return entries[:limit]

    @staticmethod
    def _item(entry: AuditEntry) -> dict[str, Any]:
        values = entry.model_dump(mode="json")
        return to_item({"PK": entry.subject, "SK": f"{values['at']}#{entry.entry_id}", **values})

    @staticmethod
    def _entry(item: dict[str, Any]) -> AuditEntry:
        values = from_item(item)
        values.pop("PK")
        values.pop("SK")
        return AuditEntry.model_validate(values)
