"""Portal sessions: one item per signed-in browser, found by the hash of its cookie value.

The table holds no cookie value itself, so a copy of it cannot be replayed as a session.
DynamoDB TTL removes expired items eventually; reads also check the expiry themselves.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

BY_USER_INDEX = "by_user"


class StoredSession(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # SHA-256 of the cookie value
    kind: str  # "session" or "login" (a sign-in in progress)
    user_id: str = ""
    data: dict[str, Any]  # what the portal keeps: claims and CSRF token, or PKCE verifier and state
    expires_at: datetime


class SessionStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def put(self, session: StoredSession) -> None:
        item: dict[str, Any] = {
            "id": {"S": session.key},
            "kind": {"S": session.kind},
            "data": {"S": json.dumps(session.data, separators=(",", ":"))},
            "expires_at": {"S": session.expires_at.isoformat()},
            "ttl": {"N": str(int(session.expires_at.timestamp()))},
        }
        if session.user_id:
            item["user_id"] = {"S": session.user_id}
        self._client.put_item(TableName=self._table, Item=item)

    def get(self, key: str, now: datetime) -> StoredSession | None:
        item = self._client.get_item(TableName=self._table, Key={"id": {"S": key}}, ConsistentRead=True).get("Item")
        if not item:
            return None
        session = StoredSession(
            key=key,
            kind=item["kind"]["S"],
            user_id=item.get("user_id", {}).get("S", ""),
            data=json.loads(item["data"]["S"]),
            expires_at=datetime.fromisoformat(item["expires_at"]["S"]),
        )
        return session if session.expires_at > now else None

    def delete(self, key: str) -> None:
        self._client.delete_item(TableName=self._table, Key={"id": {"S": key}})

    def delete_for_user(self, user_id: str) -> int:
        """Every session of one person (sign-out everywhere); a person has a handful at most."""
        keys: list[str] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": BY_USER_INDEX,
            "KeyConditionExpression": "user_id = :u",
            "ExpressionAttributeValues": {":u": {"S": user_id}},
            "ProjectionExpression": "id",
        }
        while True:
            page = self._client.query(**kwargs)
            keys += [item["id"]["S"] for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        for key in keys:
            self.delete(key)
        return len(keys)
