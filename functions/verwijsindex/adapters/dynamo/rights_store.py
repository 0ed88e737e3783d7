"""Rights requests in the single table, and the operator's corrections of signals.

RIGHTS#<id> / RIGHTS, listed through GSI1 `RIGHTS` / `<deadline>#<id>` (keys.py). Every write
goes with its audit entry in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.cursor import GSI1_CURSOR, GSI2_CURSOR, CursorSealer
from verwijsindex.adapters.dynamo.requests import TRANSACTION_LIMIT
from verwijsindex.adapters.dynamo.statistics_store import counter_updates
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.errors import Conflict
from verwijsindex.domain.matches import MatchSide
from verwijsindex.domain.models import Signal
from verwijsindex.domain.rights import RightsRequest, RightsStatus
from verwijsindex.domain.statistics import Tally

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

RIGHTS_ENTITY = "rights_request"
_FIELDS = frozenset(RightsRequest.model_fields)


def _item(request: RightsRequest) -> dict[str, Any]:
    return {
        keys.PK: keys.rights_pk(request.request_id),
        keys.SK: keys.RIGHTS_SK,
        keys.ENTITY: RIGHTS_ENTITY,
        keys.GSI1PK: keys.RIGHTS_INDEX_PK,
        keys.GSI1SK: keys.rights_index_sk(request.deadline, request.request_id),
        keys.GSI2PK: keys.rights_status_pk(request.status.value),
        keys.GSI2SK: keys.rights_index_sk(request.deadline, request.request_id),
        **request.model_dump(mode="json"),
    }


def _request(item: dict[str, Any]) -> RightsRequest:
    values = from_item(item)
    return RightsRequest.model_validate({k: v for k, v in values.items() if k in _FIELDS})


class RightsStore:
    def __init__(self, client: DynamoDBClient, table_name: str, audit: AuditLog, cursors: CursorSealer) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit
        self._cursors = cursors

    # --- requests ----------------------------------------------------------------------------

    def create(self, request: RightsRequest, entry: AuditEntry) -> None:
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(_item(request)),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                self._audit.put_request(entry),
            ]
        )

    def get(self, request_id: str) -> RightsRequest | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: keys.rights_pk(request_id), keys.SK: keys.RIGHTS_SK}),
            ConsistentRead=True,
        ).get("Item")
        return _request(item) if item else None

    def page(
        self, *, status: RightsStatus | None, overdue_on: date | None, limit: int, cursor: str | None
    ) -> tuple[list[RightsRequest], str | None]:
        # A status is a partition of GSI2 (a key condition, not a filter), so no page is cut short.
        if overdue_on is not None:
            status = RightsStatus.OPEN
        if status is None:
            index, pk_name, sk_name, partition, shape = (
                keys.GSI1,
                keys.GSI1PK,
                keys.GSI1SK,
                keys.RIGHTS_INDEX_PK,
                GSI1_CURSOR,
            )
        else:
            index, pk_name, sk_name = keys.GSI2, keys.GSI2PK, keys.GSI2SK
            partition, shape = keys.rights_status_pk(status.value), GSI2_CURSOR
        condition = f"{pk_name} = :pk"
        values: dict[str, Any] = {":pk": {"S": partition}}
        if overdue_on is not None:
            condition += f" AND {sk_name} < :today"
            values[":today"] = {"S": overdue_on.isoformat()}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = self._cursors.open(cursor, scope=partition, shape=shape)
        page = self._client.query(**kwargs)
        return [_request(item) for item in page.get("Items", [])], self._cursors.seal(
            page.get("LastEvaluatedKey"), scope=partition, shape=shape
        )

    def decide(self, request: RightsRequest, entries: Sequence[AuditEntry], counts: Sequence[Tally] = ()) -> None:
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(_item(request)),
                            "ConditionExpression": "#status = :open",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {":open": {"S": RightsStatus.OPEN.value}},
                        }
                    },
                    *(self._audit.put_request(entry) for entry in entries),
                    *counter_updates(self._table, counts),
                ]
            )
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                raise Conflict("this request has already been decided") from None
            raise

    # --- corrections of signals (correctie) --------------------------------------------------

    def correct_signal(
        self, old: Signal, new: Signal, entries: Sequence[AuditEntry], sides: Sequence[MatchSide] = ()
    ) -> None:
        key = to_item({keys.PK: keys.youth_pk(old.youth_key), keys.SK: keys.signal_sk(old.signal_id)})
        items: list[TransactWriteItemTypeDef] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key,
                    "UpdateExpression": "SET org_id = :org, GSI1PK = :gsi, professional = :pro, "
                    "professional_id = :pro_id",
                    "ConditionExpression": "attribute_exists(PK) AND #status = :status",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": to_item(
                        {
                            ":org": new.org_id,
                            ":gsi": keys.org_pk(new.org_id),
                            ":pro": new.professional.model_dump(mode="json"),
                            ":pro_id": new.professional_id,
                            ":status": old.status.value,
                        }
                    ),
                }
            }
        ]
        old_guard = keys.guard_sk(old.org_id, old.professional_id)
        new_guard = keys.guard_sk(new.org_id, new.professional_id)
        if old.is_active and old_guard != new_guard:
            pk = keys.youth_pk(old.youth_key)
            items.append({"Delete": {"TableName": self._table, "Key": to_item({keys.PK: pk, keys.SK: old_guard})}})
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(
                            {keys.PK: pk, keys.SK: new_guard, keys.ENTITY: "guard", "signal_id": new.signal_id}
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        if new.org_id != old.org_id:
            items.extend(self._side_moves(sides, new.org_id))
        items.extend(self._audit.put_request(entry) for entry in entries)
        if len(items) > TRANSACTION_LIMIT:
            raise Conflict("this signal has too many matches to correct in one step")
        try:
            self._client.transact_write_items(TransactItems=items)
        except self._client.exceptions.TransactionCanceledException:
            raise Conflict(
                "the signal changed meanwhile, or that professional already has an active signal on this youth"
            ) from None

    def _side_moves(self, sides: Sequence[MatchSide], new_org_id: str) -> list[TransactWriteItemTypeDef]:
        """Each side of the signal moves to the new organisation (its GSI1 owner too); the other
        party's side, when it is in this region, names it as the other organisation."""
        items: list[TransactWriteItemTypeDef] = []
        for side in sides:
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_item(
                            {
                                keys.PK: keys.youth_pk(side.youth_key),
                                keys.SK: keys.match_sk(side.signal_id, side.match_id),
                            }
                        ),
                        "UpdateExpression": "SET org_id = :org, GSI1PK = :gsi",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeValues": to_item({":org": new_org_id, ":gsi": keys.org_pk(new_org_id)}),
                    }
                }
            )
            if side.is_remote:
                continue  # the other party's side is in another region
            other = side.mirrored()
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_item(
                            {
                                keys.PK: keys.youth_pk(other.youth_key),
                                keys.SK: keys.match_sk(other.signal_id, other.match_id),
                            }
                        ),
                        "UpdateExpression": "SET other_org_id = :org",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeValues": to_item({":org": new_org_id}),
                    }
                }
            )
        return items

    def set_destroy_on(self, youth_key: str, signal_ids: Sequence[str], destroy_on: date, entry: AuditEntry) -> None:
        pk = keys.youth_pk(youth_key)
        items: list[TransactWriteItemTypeDef] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": to_item({keys.PK: pk, keys.SK: keys.signal_sk(signal_id)}),
                    "UpdateExpression": "SET destroy_on = :day",
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": to_item({":day": destroy_on.isoformat()}),
                }
            }
            for signal_id in signal_ids
        ]
        items.append(
            {
                "Update": {
                    "TableName": self._table,
                    "Key": to_item({keys.PK: pk, keys.SK: keys.YOUTH_SK}),
                    "UpdateExpression": "SET destroy_on = :day, GSI2PK = :due",
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": to_item(
                        {":day": destroy_on.isoformat(), ":due": keys.due_pk(destroy_on)}
                    ),
                }
            }
        )
        items.append(self._audit.put_request(entry))
        # A youth has a handful of signals; the transaction limit (100) is far away.
        self._client.transact_write_items(TransactItems=items)
