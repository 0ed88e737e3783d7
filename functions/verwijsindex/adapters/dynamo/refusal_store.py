"""Refused placements per caller per day: the count that stops a caller probing BSNs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import to_item
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.clock import AMSTERDAM

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class RefusalStore:
    def __init__(self, client: DynamoDBClient, table_name: str, audit: AuditLog) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit

    def count(self, actor: str, day: date) -> int:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: keys.refusals_pk(actor), keys.SK: keys.refusals_sk(day)}),
            ProjectionExpression="refusals",
        ).get("Item")
        return int(item["refusals"]["N"]) if item and "refusals" in item else 0

    def record(self, actor: str, day: date, entry: AuditEntry) -> None:
        expires = datetime.combine(day + timedelta(days=2), time(), tzinfo=AMSTERDAM)
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_item({keys.PK: keys.refusals_pk(actor), keys.SK: keys.refusals_sk(day)}),
                        "UpdateExpression": "ADD refusals :one SET #entity = :entity, #ttl = :ttl",
                        "ExpressionAttributeNames": {"#entity": keys.ENTITY, "#ttl": keys.TTL},
                        "ExpressionAttributeValues": to_item(
                            {":one": 1, ":entity": "refusal_count", ":ttl": int(expires.timestamp())}
                        ),
                    }
                },
                self._audit.put_request(entry),
            ]
        )
