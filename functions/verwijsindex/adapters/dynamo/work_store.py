"""Outstanding work in the sparse index GSI3 (key layout in keys.py, Reconciliation).

A unit of work that the stream drives (a signal to match or to publish, a notification to
deliver) carries its state on its own item: the GSI3 keys exist only while the work is
outstanding. They are written in the same request that creates the work and removed by the
request that finishes it, so the sweeper can find what the stream lost with a Query of one
index partition (never a Scan) and run it again through the same idempotent code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, cast

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.cursor import GSI3_CURSOR, ITEM_REFERENCE, CursorSealer
from verwijsindex.adapters.dynamo.items import notification_from_values, signal_from_values
from verwijsindex.ports.work import (
    OutstandingWork,
    SignalWork,
    StuckWork,
    Tombstone,
    WorkKind,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


ATTEMPTS = "sweep_attempts"


def utc_stamp(moment: datetime) -> str:
    """Timestamps that sort as strings: always UTC (Dutch offsets change twice a year)."""
    return moment.astimezone(UTC).isoformat()


def outstanding(kind: WorkKind, since: datetime, *ids: str) -> dict[str, str]:
    """The index keys that mark an item's work as outstanding (merged into the item written)."""
    return {keys.GSI3PK: keys.work_pk(kind.value), keys.GSI3SK: "#".join((utc_stamp(since), *ids))}


def pending_signal_work(since: datetime, youth_key: str, signal_id: str, *flags: SignalWork) -> dict[str, Any]:
    return {**outstanding(WorkKind.SIGNAL, since, youth_key, signal_id), **{flag.value: True for flag in flags}}


REMOVAL_ENTITY = "national_removal"
REMOVAL_SK = "REMOVAL"


def removal_key(signal_id: str) -> dict[str, str]:
    return {keys.PK: keys.removal_pk(signal_id), keys.SK: REMOVAL_SK}


def removal_item(since: datetime, signal_id: str, national_key: str, active_until: str) -> dict[str, Any]:
    """A destroyed signal's tombstone in a linked region: what the national index needs to forget it
    (its national pseudonym, id and last active day; no contact, no regional pseudonym), written in the
    transaction that destroys the signal and deleted once the removal is published."""
    return {
        **removal_key(signal_id),
        keys.ENTITY: REMOVAL_ENTITY,
        "signal_id": signal_id,
        "national_key": national_key,
        "active_until": active_until,
        **outstanding(WorkKind.REMOVAL, since, signal_id),
    }


# The operator's references to stuck work are sealed like paging cursors, under their own scope.
REFERENCE_SCOPE = "stuck-work"


def _key(work: OutstandingWork | StuckWork) -> dict[str, Any]:
    return dict(cast("dict[str, Any]", work.ref))  # our own handle: the item's plain key


def _outstanding(kind: WorkKind, item: dict[str, Any]) -> OutstandingWork:
    """An overdue item as the sweeper's unit of work (items.py is the one mapping to domain objects)."""
    ref = {keys.PK: item[keys.PK], keys.SK: item[keys.SK]}
    attempts = int(item.get(ATTEMPTS, 0))
    if kind is WorkKind.DELIVERY:
        return OutstandingWork(kind, ref, attempts, notification=notification_from_values(item))
    if kind is WorkKind.REMOVAL:
        tombstone = Tombstone(
            signal_id=str(item["signal_id"]),
            national_key=str(item["national_key"]),
            active_until=date.fromisoformat(str(item["active_until"])),
        )
        return OutstandingWork(kind, ref, attempts, tombstone=tombstone)
    pending = frozenset(flag for flag in SignalWork if item.get(flag.value))
    return OutstandingWork(kind, ref, attempts, signal=signal_from_values(item), pending=pending)


class WorkStore:
    def __init__(self, client: DynamoDBClient, table_name: str, cursors: CursorSealer | None = None) -> None:
        self._client = client
        self._table = table_name
        self._cursors = cursors

    def finish_signal_work(self, key: Mapping[str, Any], flag: SignalWork) -> None:
        """Clears one flag of a signal; the index keys go with the last flag. One request when
        the other flag is not set (always in a region without the national link)."""
        other = SignalWork.PUBLISH if flag is SignalWork.MATCH else SignalWork.MATCH
        item_key = to_item(dict(key))
        try:
            self._client.update_item(
                TableName=self._table,
                Key=item_key,
                UpdateExpression=f"REMOVE {flag.value}, {keys.GSI3PK}, {keys.GSI3SK}, {ATTEMPTS}",
                ConditionExpression=f"attribute_exists({flag.value}) AND attribute_not_exists({other.value})",
            )
            return
        except self._client.exceptions.ConditionalCheckFailedException:
            pass
        # The other part is still outstanding (or this one was done already: a repeat).
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table,
                Key=item_key,
                UpdateExpression=f"REMOVE {flag.value}",
                ConditionExpression=f"attribute_exists({flag.value})",
            )

    def finish_removal(self, signal_id: str) -> None:
        """The removal is published: the tombstone goes (a repeat finds nothing to delete)."""
        self._client.delete_item(TableName=self._table, Key=to_item(removal_key(signal_id)))

    def drop(self, work: OutstandingWork) -> None:
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table,
                Key=to_item(_key(work)),
                UpdateExpression=f"REMOVE {keys.GSI3PK}, {keys.GSI3SK}, {ATTEMPTS}",
                ConditionExpression="attribute_exists(PK)",
            )

    # --- the sweeper ---------------------------------------------------------------------------

    def overdue(self, kind: WorkKind, before: datetime, limit: int) -> list[OutstandingWork]:
        page = self._client.query(
            TableName=self._table,
            IndexName=keys.GSI3,
            KeyConditionExpression=f"{keys.GSI3PK} = :pk AND {keys.GSI3SK} < :before",
            ExpressionAttributeValues={":pk": {"S": keys.work_pk(kind.value)}, ":before": {"S": utc_stamp(before)}},
            Limit=limit,
        )
        return [_outstanding(kind, from_item(item)) for item in page.get("Items", [])]

    def count_attempt(self, work: OutstandingWork) -> int | None:
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=to_item(_key(work)),
                UpdateExpression=f"ADD {ATTEMPTS} :one",
                ConditionExpression=f"{keys.GSI3PK} = :pk",
                ExpressionAttributeValues=to_item({":one": 1, ":pk": keys.work_pk(work.kind.value)}),
                ReturnValues="UPDATED_NEW",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return None
        return int(from_item(response.get("Attributes", {})).get(ATTEMPTS, 0))

    def give_up(self, work: OutstandingWork) -> bool:
        # GSI3PK WORK#<kind> -> STUCK#<kind>.
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_item(_key(work)),
                UpdateExpression=f"SET {keys.GSI3PK} = :stuck",
                ConditionExpression=f"{keys.GSI3PK} = :pk",
                ExpressionAttributeValues=to_item(
                    {":stuck": keys.stuck_pk(work.kind.value), ":pk": keys.work_pk(work.kind.value)}
                ),
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def stuck(self, kind: WorkKind, limit: int, cursor: str | None = None) -> tuple[list[StuckWork], str | None]:
        # The cursor is sealed: it holds table keys.
        scope = keys.stuck_pk(kind.value)
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.GSI3,
            "KeyConditionExpression": f"{keys.GSI3PK} = :pk",
            "ExpressionAttributeValues": {":pk": {"S": scope}},
            "Limit": limit,
        }
        if cursor:
            request["ExclusiveStartKey"] = self._sealer().open(cursor, scope=scope, shape=GSI3_CURSOR)
        page = self._client.query(**request)
        found = [_stuck(from_item(item)) for item in page.get("Items", [])]
        return found, self._sealer().seal(page.get("LastEvaluatedKey"), scope=scope, shape=GSI3_CURSOR)

    def reference(self, work: StuckWork) -> str:
        # The item's key, sealed like a paging cursor.
        key = {name: {"S": str(value)} for name, value in _key(work).items()}
        reference = self._sealer().seal(key, scope=REFERENCE_SCOPE, shape=ITEM_REFERENCE)
        assert reference is not None  # a key is never empty
        return reference

    def open_reference(self, reference: str) -> dict[str, Any]:
        return self._sealer().open(reference, scope=REFERENCE_SCOPE, shape=ITEM_REFERENCE)

    def _sealer(self) -> CursorSealer:
        assert self._cursors is not None, "the operator's list needs the cursor sealer"
        return self._cursors

    def count_stuck(self, kinds: Iterable[WorkKind]) -> int:
        total = 0
        for kind in kinds:
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": keys.GSI3,
                "KeyConditionExpression": f"{keys.GSI3PK} = :pk",
                "ExpressionAttributeValues": {":pk": {"S": keys.stuck_pk(kind.value)}},
                "Select": "COUNT",
            }
            while True:
                page = self._client.query(**request)
                total += int(page.get("Count", 0))
                if "LastEvaluatedKey" not in page:
                    break
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return total


def _stuck(item: dict[str, Any]) -> StuckWork:
    since = datetime.fromisoformat(str(item[keys.GSI3SK]).split("#", 1)[0])
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return StuckWork(
        since=since.astimezone(UTC),
        attempts=int(item.get(ATTEMPTS, 0)),
        ref={keys.PK: str(item[keys.PK]), keys.SK: str(item[keys.SK])},
    )
