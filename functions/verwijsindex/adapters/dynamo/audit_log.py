"""Append-only audit table (the port: ports/audit.py): entries are only ever put, never updated or deleted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.cursor import CursorSealer, CursorShape
from verwijsindex.adapters.dynamo.requests import write_batches
from verwijsindex.domain.audit import AuditEntry, AuditSubject
from verwijsindex.domain.errors import Conflict
from verwijsindex.ports.audit import AuditPage

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


# GSI1 of the audit table: partition `actor`, sort `at`.
ACTOR_INDEX = "GSI1"
# A cursor names the last entry read: the table key, plus the index key when read by actor.
_SUBJECT_CURSOR = CursorShape(attributes=frozenset({"PK", "SK"}), partition="PK")
_ACTOR_CURSOR = CursorShape(attributes=frozenset({"PK", "SK", "actor", "at"}), partition="actor")


class AuditLog:
    def __init__(self, client: DynamoDBClient, table_name: str, cursors: CursorSealer) -> None:
        self._client = client
        self.table_name = table_name
        self._cursors = cursors

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
        try:
            self._client.put_item(
                TableName=self.table_name,
                Item=self._item(entry),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except self._client.exceptions.ConditionalCheckFailedException as refused:
            raise Conflict("this audit entry is recorded already") from refused

    def record_many(self, entries: Sequence[AuditEntry]) -> None:
        # BatchWriteItem requests of 25: entry ids are fresh, so no condition is needed.
        write_batches(self._client, self.table_name, [{"PutRequest": {"Item": self._item(e)}} for e in entries])

    def for_subject(self, subject: AuditSubject, limit: int, cursor: str | None = None) -> AuditPage:
        partition = keys.audit_subject_pk(subject)
        return self._page(
            {"KeyConditionExpression": "PK = :key", "ExpressionAttributeValues": {":key": {"S": partition}}},
            _SUBJECT_CURSOR,
            partition,
            limit,
            cursor,
        )

    def for_actor(self, actor: str, limit: int, cursor: str | None = None) -> AuditPage:
        return self._page(
            {
                "IndexName": ACTOR_INDEX,
                "KeyConditionExpression": "actor = :key",
                "ExpressionAttributeValues": {":key": {"S": actor}},
            },
            _ACTOR_CURSOR,
            actor,
            limit,
            cursor,
        )

    def _page(
        self, request: dict[str, Any], shape: CursorShape, partition: str, limit: int, cursor: str | None
    ) -> AuditPage:
        """Reads at most `limit` entries (one Query, more only when DynamoDB's 1 MB page cuts it
        short); the cursor is the last entry's key, honoured only for the same partition."""
        start = self._cursors.open(cursor, scope=partition, shape=shape) if cursor else None
        items: list[dict[str, Any]] = []
        while len(items) < limit:
            kwargs: dict[str, Any] = {
                "TableName": self.table_name,
                "ScanIndexForward": False,
                "Limit": limit - len(items),
                **request,
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self._client.query(**kwargs)
            items.extend(page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if start is None:
                break
        return AuditPage(
            entries=[entry_of(item) for item in items],
            next_cursor=self._cursors.seal(start, scope=partition, shape=shape),
        )

    @staticmethod
    def _item(entry: AuditEntry) -> dict[str, Any]:
        partition = keys.audit_subject_pk(entry.subject)
        values = {**entry.model_dump(mode="json"), "subject": partition}
        return to_item({"PK": partition, "SK": f"{values['at']}#{entry.entry_id}", **values})


def entry_of(item: dict[str, Any]) -> AuditEntry:
    """The entry an audit table item holds; its subject comes from the partition key."""
    values = from_item(item)
    values.pop("SK")
    values["subject"] = keys.audit_subject_of(values.pop("PK"))
    return AuditEntry.model_validate(values)
