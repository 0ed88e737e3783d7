"""Signals in the single table (key layout in keys.py and the README)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.cursor import CursorSealer
from verwijsindex.adapters.dynamo.family_store import placement_requests
from verwijsindex.adapters.dynamo.items import SIGNAL_ENTITY, YOUTH_ENTITY, signal_from_values
from verwijsindex.adapters.dynamo.match_store import notification_item
from verwijsindex.adapters.dynamo.requests import get_batches, owned_item, query_all
from verwijsindex.adapters.dynamo.statistics_store import counter_updates
from verwijsindex.adapters.dynamo.work_store import WorkStore, pending_signal_work, removal_item
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.lifecycle import DueKind
from verwijsindex.domain.matches import Notification
from verwijsindex.domain.models import Informed, Signal, SignalStatus
from verwijsindex.domain.statistics import Tally
from verwijsindex.ports.families import ParentLinks
from verwijsindex.ports.signals import Arrival, Placement, SignalImport, Transfer
from verwijsindex.ports.work import SignalWork

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class SignalStore:
    def __init__(
        self,
        client: DynamoDBClient,
        table_name: str,
        audit: AuditLog,
        cursors: CursorSealer,
        *,
        national_link: bool = False,
    ) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit
        self._cursors = cursors
        # A linked region also owes the national index an event for every new signal.
        self._new_work = (SignalWork.MATCH, SignalWork.PUBLISH) if national_link else (SignalWork.MATCH,)
        self._national_link = national_link
        self._work = WorkStore(client, table_name)

    # --- reads -----------------------------------------------------------------------------

    def youth_signals(self, youth_key: str) -> list[Signal]:
        # One Query of its partition (a youth has a handful).
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
            "ExpressionAttributeValues": {":pk": {"S": keys.youth_pk(youth_key)}, ":sk": {"S": keys.signal_sk.start}},
        }
        return [signal_from_values(from_item(item)) for item in query_all(self._client, request)]

    def active_signal_of(self, youth_key: str, org_id: str, professional_id: str) -> Signal | None:
        # Through its guard: one GetItem when there is none, whatever the youth's history (two when there is).
        pk = keys.youth_pk(youth_key)
        guard = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: pk, keys.SK: keys.guard_sk(org_id, professional_id)}),
            ConsistentRead=True,
        ).get("Item")
        if guard is None:
            return None
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: pk, keys.SK: keys.signal_sk(guard["signal_id"]["S"])}),
            ConsistentRead=True,
        ).get("Item")
        signal = signal_from_values(from_item(item)) if item else None
        return signal if signal is not None and signal.is_active else None

    def holds_youth(self, youth_key: str) -> bool:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.YOUTH_SK}),
            ProjectionExpression="PK",
            ConsistentRead=True,
        ).get("Item")
        return item is not None

    def get_for_org(self, org_id: str, signal_id: str) -> Signal | None:
        item = owned_item(self._client, self._table, org_id, keys.signal_sk(signal_id))
        return signal_from_values(from_item(item)) if item else None

    def active_of_professional(self, org_id: str, professional_id: str) -> list[Signal]:
        # A filter on the organisation's list (GSI1): affordable for an occasional offboarding.
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.GSI1,
            "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
            "FilterExpression": "professional_id = :professional AND #status = :active",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item(
                {
                    ":pk": keys.org_pk(org_id),
                    ":sk": keys.signal_sk.start,
                    ":professional": professional_id,
                    ":active": SignalStatus.ACTIVE.value,
                }
            ),
        }
        return [signal_from_values(from_item(item)) for item in query_all(self._client, request)]

    def every_of_org(self, org_id: str) -> list[Signal]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.GSI1,
            "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
            "ExpressionAttributeValues": {":pk": {"S": keys.org_pk(org_id)}, ":sk": {"S": keys.signal_sk.start}},
        }
        return [signal_from_values(from_item(item)) for item in query_all(self._client, request)]

    def list_for_org(self, org_id: str, limit: int, cursor: str | None) -> tuple[list[Signal], str | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.GSI1,
            "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
            "ExpressionAttributeValues": {":pk": {"S": keys.org_pk(org_id)}, ":sk": {"S": keys.signal_sk.start}},
            "Limit": limit,
            "ScanIndexForward": False,  # signal ids sort by placement: newest first
        }
        if cursor:
            # A cursor is honoured only for the organisation that received it.
            kwargs["ExclusiveStartKey"] = self._cursors.open(cursor, scope=keys.org_pk(org_id))
        page = self._client.query(**kwargs)
        signals = [signal_from_values(from_item(item)) for item in page.get("Items", [])]
        return signals, self._cursors.seal(page.get("LastEvaluatedKey"), scope=keys.org_pk(org_id))

    # --- writes ----------------------------------------------------------------------------

    def _parents(self, parents: ParentLinks | None) -> list[TransactWriteItemTypeDef]:
        return placement_requests(self._table, parents) if parents is not None else []

    def create(self, placement: Placement) -> bool:
        # Signal, active-guard, youth marker, audit entry and statistics, then the parent links: the guard's condition
        # decides the race.
        signal = placement.signal
        guard = guard_item(signal)
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(
                                {
                                    **signal_item(signal),
                                    # Outstanding until the match function (and the publisher) did it.
                                    **pending_signal_work(
                                        signal.created_at, signal.youth_key, signal.signal_id, *self._new_work
                                    ),
                                }
                            ),
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(guard),
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    youth_marker_request(self._table, signal),
                    self._audit.put_request(placement.audit),
                    *self._parents(placement.parents),
                    *counter_updates(self._table, placement.counts),
                ]
            )
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            if len(reasons) > 1 and reasons[1].get("Code") == "ConditionalCheckFailed":
                return False
            raise
        return True

    def import_signal(self, imported: SignalImport) -> Arrival:
        # One transaction; the professional's guard item carries the condition of an active one.
        signal, archive_until = imported.signal, imported.archive_until
        item = signal_item(signal)
        if signal.is_active:
            item.update(pending_signal_work(signal.created_at, signal.youth_key, signal.signal_id, *self._new_work))
        else:
            assert archive_until is not None, "a closed signal is due in the archive"
            item[keys.GSI2PK] = keys.due_pk(archive_until)
            item[keys.GSI2SK] = f"{DueKind.ARCHIVE.value}#{signal.youth_key}#{signal.signal_id}"
        items: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(item),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
        ]
        if signal.is_active:
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(guard_item(signal)),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        items += [
            youth_marker_request(self._table, signal),
            self._audit.put_request(imported.audit),
            *self._parents(imported.parents),
        ]
        try:
            self._client.transact_write_items(TransactItems=items)
        except self._client.exceptions.TransactionCanceledException as error:
            codes = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if codes and codes[0] == "ConditionalCheckFailed":
                return Arrival.KNOWN
            if signal.is_active and len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
                return Arrival.GUARDED
            raise
        return Arrival.STORED

    def exist(self, signals: Sequence[Signal]) -> tuple[set[str], set[tuple[str, str, str]]]:
        # BatchGetItem requests of 100 keys, for a dry run: the guards tell who holds an active signal.
        wanted: list[dict[str, Any]] = []
        holders: dict[tuple[str, str], tuple[str, str, str]] = {}
        for signal in signals:
            pk = keys.youth_pk(signal.youth_key)
            wanted.append({keys.PK: pk, keys.SK: keys.signal_sk(signal.signal_id)})
            if signal.is_active:
                guard = keys.guard_sk(signal.org_id, signal.professional_id)
                wanted.append({keys.PK: pk, keys.SK: guard})
                holders[(pk, guard)] = (signal.youth_key, signal.org_id, signal.professional_id)
        unique = list({(k[keys.PK], k[keys.SK]): k for k in wanted}.values())
        found = get_batches(self._client, self._table, [to_item(k) for k in unique], consistent=True)
        ids: set[str] = set()
        guards: set[tuple[str, str, str]] = set()
        for item in found:
            sort_key = item[keys.SK]["S"]
            if sort_key.startswith(keys.signal_sk.start):
                ids.add(sort_key.removeprefix(keys.signal_sk.start))
            else:
                guards.add(holders[(item[keys.PK]["S"], sort_key)])
        return ids, guards

    def finish_work(self, youth_key: str, signal_id: str, flag: SignalWork) -> None:
        self._work.finish_signal_work({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.signal_sk(signal_id)}, flag)

    def finish_removal(self, signal_id: str) -> None:
        self._work.finish_removal(signal_id)

    def close(self, closed: Signal, archive_until: date, audit: AuditEntry, counts: Sequence[Tally] = ()) -> None:
        # The guard goes with the close, so the professional can renew.
        since = audit.at if self._national_link else None
        self._client.transact_write_items(
            TransactItems=[
                *close_requests(self._table, closed, archive_until, since),
                self._audit.put_request(audit),
                *counter_updates(self._table, counts),
            ]
        )

    def set_informed(self, signal: Signal, informed: Informed, audit: AuditEntry) -> bool:
        key = {keys.PK: keys.youth_pk(signal.youth_key), keys.SK: keys.signal_sk(signal.signal_id)}
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": to_item(key),
                            "UpdateExpression": "SET informed = :informed",
                            "ConditionExpression": "#status = :active",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {
                                ":informed": to_item({"v": informed.model_dump(mode="json")})["v"],
                                ":active": {"S": SignalStatus.ACTIVE.value},
                            },
                        }
                    },
                    self._audit.put_request(audit),
                ]
            )
        except self._client.exceptions.TransactionCanceledException:
            return False
        return True

    def transfer(
        self, signal: Signal, taken: Signal, audit: AuditEntry, notes: Sequence[Notification] = ()
    ) -> Transfer:
        # The guard moves with the signal.
        items: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(signal_item(taken)),
                    "ConditionExpression": "#status = :active AND professional_id = :held_by",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": to_item(
                        {":active": SignalStatus.ACTIVE.value, ":held_by": signal.professional_id}
                    ),
                }
            }
        ]
        if taken.professional_id != signal.professional_id:
            items += [
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(guard_item(taken)),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                delete_guard_request(self._table, signal),
            ]
        items.append(self._audit.put_request(audit))
        items += [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(notification_item(note)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
            for note in notes
        ]
        try:
            self._client.transact_write_items(TransactItems=items)
        except self._client.exceptions.TransactionCanceledException as error:
            codes = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if codes and codes[0] == "ConditionalCheckFailed":
                return Transfer.CHANGED
            if (
                len(codes) > 1
                and codes[1] == "ConditionalCheckFailed"
                and taken.professional_id != signal.professional_id
            ):
                return Transfer.COVERED
            raise
        return Transfer.DONE

    def destroy(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally] = ()) -> bool:
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": to_item(
                                {
                                    keys.PK: keys.youth_pk(signal.youth_key),
                                    keys.SK: keys.signal_sk(signal.signal_id),
                                }
                            ),
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    # A closed signal's guard is gone already; the guard there now, if any, belongs
                    # to the professional's newer active signal and must stay.
                    *([delete_guard_request(self._table, signal)] if signal.is_active else []),
                    self._audit.put_request(audit),
                    *([removal_request(self._table, signal, audit.at)] if self._national_link else []),
                    *counter_updates(self._table, counts),
                ]
            )
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise
        return True


def youth_marker_request(table: str, signal: Signal) -> TransactWriteItemTypeDef:
    """The youth's marker, written with each of its signals. An update, not a put: the move the
    BRP recorded on it earlier (`municipality`, `moved_on`) stays, so the same move is not taken
    for a new one."""
    values = _youth_marker(signal)
    names = {f"#a{i}": name for i, name in enumerate(values)}
    return {
        "Update": {
            "TableName": table,
            "Key": to_item({keys.PK: keys.youth_pk(signal.youth_key), keys.SK: keys.YOUTH_SK}),
            "UpdateExpression": "SET " + ", ".join(f"{alias} = :v{i}" for i, alias in enumerate(names)),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_item({f":v{i}": value for i, value in enumerate(values.values())}),
        }
    }


def _youth_marker(signal: Signal) -> dict[str, Any]:
    return {
        keys.ENTITY: YOUTH_ENTITY,
        "youth_key": signal.youth_key,
        "national_key": signal.national_key,
        "destroy_on": signal.destroy_on.isoformat(),
        # Sparse due index: the expire job finds youths turning 23 without a Scan.
        keys.GSI2PK: keys.due_pk(signal.destroy_on),
        keys.GSI2SK: f"AGE_LIMIT#{signal.youth_key}",
    }


def guard_item(signal: Signal) -> dict[str, Any]:
    """One active signal per professional per youth: the guard makes the race impossible."""
    return {
        keys.PK: keys.youth_pk(signal.youth_key),
        keys.SK: keys.guard_sk(signal.org_id, signal.professional_id),
        keys.ENTITY: "guard",
        "signal_id": signal.signal_id,
    }


def delete_guard_request(table: str, signal: Signal) -> TransactWriteItemTypeDef:
    """The transaction element that frees the professional to signal this youth again."""
    key = {keys.PK: keys.youth_pk(signal.youth_key), keys.SK: keys.guard_sk(signal.org_id, signal.professional_id)}
    return {"Delete": {"TableName": table, "Key": to_item(key)}}


def close_requests(
    table: str, closed: Signal, archive_until: date, publish_since: datetime | None = None
) -> list[TransactWriteItemTypeDef]:
    """Active -> closed (ended, expired, objection): the signal, due in the archive index on the
    day its history ends, conditional on it still being active; and its guard deleted. In a linked
    region (`publish_since`, the moment of closing) the signal owes the national index its removal:
    outstanding work until the publisher (or the sweeper) has published it."""
    item = signal_item(closed)
    item[keys.GSI2PK] = keys.due_pk(archive_until)
    item[keys.GSI2SK] = f"{DueKind.ARCHIVE.value}#{closed.youth_key}#{closed.signal_id}"
    if publish_since is not None:
        item.update(pending_signal_work(publish_since, closed.youth_key, closed.signal_id, SignalWork.PUBLISH))
    return [
        {
            "Put": {
                "TableName": table,
                "Item": to_item(item),
                "ConditionExpression": "#status = :active",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":active": {"S": SignalStatus.ACTIVE.value}},
            }
        },
        delete_guard_request(table, closed),
    ]


def removal_request(table: str, signal: Signal, at: datetime) -> TransactWriteItemTypeDef:
    """In a linked region, the tombstone written with a signal's destruction (work_store.removal_item)."""
    item = removal_item(at, signal.signal_id, signal.national_key, signal.active_until.isoformat())
    return {"Put": {"TableName": table, "Item": to_item(item)}}


def signal_item(signal: Signal) -> dict[str, Any]:
    values = signal.model_dump(mode="json")
    item: dict[str, Any] = {
        keys.PK: keys.youth_pk(signal.youth_key),
        keys.SK: keys.signal_sk(signal.signal_id),
        keys.ENTITY: SIGNAL_ENTITY,
        keys.GSI1PK: keys.org_pk(signal.org_id),
        keys.GSI1SK: keys.signal_sk(signal.signal_id),
        **values,
    }
    if signal.is_active:
        # Due the day after its last active day: the expire job closes it then.
        item[keys.GSI2PK] = keys.due_pk(signal.active_until + timedelta(days=1))
        item[keys.GSI2SK] = f"EXPIRE#{signal.youth_key}#{signal.signal_id}"
    return item
