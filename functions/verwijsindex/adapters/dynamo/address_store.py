"""Undeliverable addresses in the registry (key layout in keys.py): SES said it bounced for good, or
the recipient complained. Nothing is e-mailed to such an address until the professional's registration
is written again (which deletes the entry in the same transaction).

The entry also counts the e-mails held back because of it. From the first one on it is on the
operator's list of stuck work (GSI3 `STUCK#address`), so the alarm on stuck work fires and the operator
sees that mail is waiting for a corrected address; registering the professional again removes it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.requests import get_batches, transact
from verwijsindex.adapters.dynamo.work_store import ATTEMPTS, utc_stamp
from verwijsindex.ports.addresses import UndeliverableAddress
from verwijsindex.ports.work import WorkKind

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

    from verwijsindex.adapters.dynamo.audit_log import AuditLog
    from verwijsindex.domain.audit import AuditEntry

ENTITY = "undeliverable_address"


def address_key(email: str) -> dict[str, Any]:
    return {keys.PK: keys.undeliverable_pk(email), keys.SK: keys.UNDELIVERABLE_SK}


def forget_request(table: str, email: str) -> TransactWriteItemTypeDef:
    """The transaction element that makes an address deliverable again (a registration rewritten)."""
    return {"Delete": {"TableName": table, "Key": to_item(address_key(email))}}


class AddressStore:
    def __init__(self, client: DynamoDBClient, table_name: str, audit: AuditLog | None = None) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit

    def mark(self, email: str, reason: str, at: datetime, audit: AuditEntry | None = None) -> bool:
        put: TransactWriteItemTypeDef = {
            "Put": {
                "TableName": self._table,
                "Item": to_item(
                    {
                        **address_key(email),
                        keys.ENTITY: ENTITY,
                        "email": email.strip().lower(),
                        "reason": reason,
                        "since": at.isoformat(),
                    }
                ),
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }
        if audit is None or self._audit is None:
            try:
                self._client.put_item(**put["Put"])
            except self._client.exceptions.ConditionalCheckFailedException:
                return False
            return True
        return transact(self._client, [put, self._audit.put_request(audit)])

    def hold_back(self, email: str, kind: str, at: datetime) -> bool:
        # One conditional update: the same cost as a read when the address is deliverable.
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_item(address_key(email)),
                UpdateExpression=(
                    f"SET {keys.GSI3PK} = :stuck, {keys.GSI3SK} = if_not_exists({keys.GSI3SK}, :since), "
                    f"held_back_kind = :kind, held_back_at = :at ADD {ATTEMPTS} :one"
                ),
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=to_item(
                    {
                        ":stuck": keys.stuck_pk(WorkKind.ADDRESS.value),
                        ":since": f"{utc_stamp(at)}#{keys.undeliverable_pk(email).split('#', 1)[1]}",
                        ":kind": kind,
                        ":at": at.isoformat(),
                        ":one": 1,
                    }
                ),
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def undeliverable_among(self, emails: Iterable[str]) -> dict[str, UndeliverableAddress]:
        # BatchGetItem requests of 100.
        wanted = sorted({email.strip().lower() for email in emails})
        item_keys = [to_item(address_key(email)) for email in wanted]
        found = (from_item(item) for item in get_batches(self._client, self._table, item_keys))
        return {
            str(item["email"]): UndeliverableAddress(
                email=str(item["email"]), reason=str(item["reason"]), since=datetime.fromisoformat(str(item["since"]))
            )
            for item in found
        }
