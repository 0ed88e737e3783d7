"""What the lifecycle jobs read and write in the single table (key layout in keys.py).

Reads come only from the sparse due-day index (GSI2 `DUE#<day>`, one Query per kind and
day) and from single youth partitions: cost follows what is due, never what is stored.
Every change is conditional on the state it moves away from, so a rerun or an overlapping
run changes nothing twice and writes no second audit entry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.delivery import EmailDelivery
from verwijsindex.adapters.dynamo.items import signal_from_values
from verwijsindex.adapters.dynamo.requests import query_all, transact
from verwijsindex.adapters.dynamo.signal_store import close_requests, removal_request
from verwijsindex.adapters.dynamo.statistics_store import counter_updates
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.lifecycle import DueKind, NoticeState, RenewalNotice
from verwijsindex.domain.models import Signal, SignalStatus
from verwijsindex.domain.statistics import Tally
from verwijsindex.ports.lifecycle import DueItem, Expiry

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

RENEWAL_ENTITY = "renewal_notice"
# Per signal: the delete, its audit entry and the statistics counter it adds to (at most one each),
# and in a linked region its tombstone; the marker's two on top: at most 100 elements.
_SIGNALS_PER_TRANSACTION = 32  # 32 x 3 + 2
_LINKED_SIGNALS_PER_TRANSACTION = 24  # 24 x 4 + 2
JOB_ENTITY = "job"
_NOTICE_FIELDS = frozenset(RenewalNotice.model_fields)


renewal_sk = keys.Key("RENEWAL")  # <signal_id>
job_pk = keys.Key("JOB")  # <job>


LAST_RUN_SK = "LAST_RUN"


def _due_item(kind: DueKind, values: dict[str, Any]) -> DueItem:
    youth_key = str(values["youth_key"])
    if kind is DueKind.AGE_LIMIT:
        return DueItem(kind, youth_key, destroy_on=date.fromisoformat(str(values["destroy_on"])))
    if kind is DueKind.RENEWAL:
        notice = RenewalNotice.model_validate({k: v for k, v in values.items() if k in _NOTICE_FIELDS})
        return DueItem(kind, youth_key, due_notice=notice)
    return DueItem(kind, youth_key, due_signal=signal_from_values(values))


class LifecycleStore:
    def __init__(
        self, client: DynamoDBClient, table_name: str, audit: AuditLog, *, national_link: bool = False
    ) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit
        # A linked region owes the national index the closing or destruction of every signal: written
        # as outstanding work in the same transaction (signal_store.close_requests, removal_request).
        self._national_link = national_link
        self._delivery = EmailDelivery(client, table_name)
        self.items_read = 0

    # --- the due-day index ---------------------------------------------------------------

    def due(self, day: date, kind: DueKind) -> list[DueItem]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.GSI2,
            "KeyConditionExpression": "GSI2PK = :pk AND begins_with(GSI2SK, :kind)",
            "ExpressionAttributeValues": {":pk": {"S": keys.due_pk(day)}, ":kind": {"S": f"{kind.value}#"}},
        }
        items = query_all(self._client, request)
        self.items_read += len(items)
        return [_due_item(kind, from_item(item)) for item in items]

    # --- last completed run (one small item per job) ---------------------------------------

    def last_run(self, job: str) -> date | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: job_pk(job), keys.SK: LAST_RUN_SK}),
            ConsistentRead=True,
        ).get("Item")
        return date.fromisoformat(item["last_day"]["S"]) if item else None

    def mark_run(self, job: str, day: date) -> None:
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table,
                Key=to_item({keys.PK: job_pk(job), keys.SK: LAST_RUN_SK}),
                UpdateExpression="SET last_day = :day, #entity = :entity",
                ConditionExpression="attribute_not_exists(last_day) OR last_day < :day",
                ExpressionAttributeNames={"#entity": keys.ENTITY},
                ExpressionAttributeValues=to_item({":day": day.isoformat(), ":entity": JOB_ENTITY}),
            )

    # --- expiry ----------------------------------------------------------------------------

    def expire(self, expiry: Expiry) -> bool:
        closed, audit = expiry.closed, expiry.audit
        notice_item = {
            keys.PK: keys.youth_pk(closed.youth_key),
            keys.SK: renewal_sk(closed.signal_id),
            keys.ENTITY: RENEWAL_ENTITY,
            **expiry.notice.model_dump(mode="json"),
            "state": NoticeState.PENDING.value,
            "attempts": 0,
            # Sparse: in the due index only while unsent, so a failed e-mail is retried.
            keys.GSI2PK: keys.due_pk(expiry.notice_due),
            keys.GSI2SK: f"{DueKind.RENEWAL.value}#{closed.youth_key}#{closed.signal_id}",
        }
        # The close's condition (the signal still active) decides a race with another run.
        return self._transact(
            [
                *close_requests(self._table, closed, expiry.archive_until, audit.at if self._national_link else None),
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(notice_item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                self._audit.put_request(audit),
                *counter_updates(self._table, expiry.counts),
            ]
        )

    def claim_notice(self, notice: RenewalNotice, token: str) -> bool:
        return self._delivery.claim(self._notice_key(notice), token) is not None

    def notice_sent(self, notice: RenewalNotice, token: str, message_id: str) -> None:
        self._delivery.mark_sent(
            self._notice_key(notice), token, {"message_id": message_id}, also_remove=("GSI2PK", "GSI2SK")
        )

    def notice_undeliverable(self, notice: RenewalNotice, token: str) -> None:
        self._delivery.finish(
            self._notice_key(notice), NoticeState.UNDELIVERABLE, token=token, also_remove=("GSI2PK", "GSI2SK")
        )

    def release_notice(self, notice: RenewalNotice, token: str) -> None:
        self._delivery.release(self._notice_key(notice), token)

    # --- destruction -------------------------------------------------------------------------

    def purge(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally] = ()) -> bool:
        return self._transact(
            [
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": self._signal_key(signal.youth_key, signal.signal_id),
                        "ConditionExpression": "#status = :closed",
                        "ExpressionAttributeNames": {"#status": "status"},
                        "ExpressionAttributeValues": {":closed": {"S": SignalStatus.CLOSED.value}},
                    }
                },
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": to_item(
                            {keys.PK: keys.youth_pk(signal.youth_key), keys.SK: renewal_sk(signal.signal_id)}
                        ),
                    }
                },
                self._audit.put_request(audit),
                *([removal_request(self._table, signal, audit.at)] if self._national_link else []),
                *counter_updates(self._table, counts),
            ]
        )

    def destroy_signals_and_marker(
        self, youth_key: str, signals: Sequence[tuple[Signal, AuditEntry, Tally]], youth_entry: AuditEntry
    ) -> int:
        # One transaction for a youth's handful of signals (more only past 24 or 32 of them); when one fails because
        # another run got there first, each part goes on its own.
        elements: list[tuple[TransactWriteItemTypeDef, ...]] = [
            (
                self._delete_existing(self._signal_key(youth_key, signal.signal_id)),
                self._audit.put_request(entry),
                *([removal_request(self._table, signal, entry.at)] if self._national_link else []),
            )
            for signal, entry, _ in signals
        ]
        counted = {id(pair): one for pair, (_, _, one) in zip(elements, signals, strict=True)}
        marker = (
            self._delete_existing(to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.YOUTH_SK})),
            self._audit.put_request(youth_entry),
        )
        size = _LINKED_SIGNALS_PER_TRANSACTION if self._national_link else _SIGNALS_PER_TRANSACTION
        groups = [elements[start : start + size] for start in range(0, len(elements), size)]
        if not groups or len(groups[-1]) == size:
            groups.append([])
        groups[-1] = [*groups[-1], marker]
        destroyed = 0
        for group in groups:
            counts = counter_updates(self._table, [counted[id(pair)] for pair in group if id(pair) in counted])
            if self._transact([*(element for pair in group for element in pair), *counts]):
                destroyed += sum(1 for pair in group if pair is not marker)
                continue
            for pair in group:  # someone else destroyed part of it: what is left, one by one
                own = counter_updates(self._table, [counted[id(pair)]] if id(pair) in counted else [])
                if self._transact([*pair, *own]) and pair is not marker:
                    destroyed += 1
        return destroyed

    def _delete_existing(self, key: dict[str, Any]) -> TransactWriteItemTypeDef:
        return {"Delete": {"TableName": self._table, "Key": key, "ConditionExpression": "attribute_exists(PK)"}}

    # --- BRP -------------------------------------------------------------------------------

    def held_youths(self, youth_keys: list[str]) -> set[str]:
        # BatchGetItem requests of 100.
        unique = sorted(set(youth_keys))
        held: set[str] = set()
        for start in range(0, len(unique), 100):
            request: dict[str, Any] = {
                self._table: {
                    "Keys": [
                        to_item({keys.PK: keys.youth_pk(key), keys.SK: keys.YOUTH_SK})
                        for key in unique[start : start + 100]
                    ],
                    "ProjectionExpression": "youth_key",
                    "ConsistentRead": True,
                }
            }
            while request:
                response = self._client.batch_get_item(RequestItems=request)
                held.update(str(from_item(i)["youth_key"]) for i in response.get("Responses", {}).get(self._table, []))
                request = dict(response.get("UnprocessedKeys") or {})
        return held

    def record_move(self, youth_key: str, municipality: str, moved_on: date, audit: AuditEntry) -> bool:
        return self._transact(
            [
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.YOUTH_SK}),
                        "UpdateExpression": "SET municipality = :municipality, moved_on = :moved_on",
                        "ConditionExpression": (
                            "attribute_exists(PK) AND "
                            "(attribute_not_exists(moved_on) OR moved_on <> :moved_on "
                            "OR municipality <> :municipality)"
                        ),
                        "ExpressionAttributeValues": to_item(
                            {":municipality": municipality, ":moved_on": moved_on.isoformat()}
                        ),
                    }
                },
                self._audit.put_request(audit),
            ]
        )

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _signal_key(youth_key: str, signal_id: str) -> dict[str, Any]:
        return to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.signal_sk(signal_id)})

    @staticmethod
    def _notice_key(notice: RenewalNotice) -> dict[str, Any]:
        return to_item({keys.PK: keys.youth_pk(notice.youth_key), keys.SK: renewal_sk(notice.signal_id)})

    def _transact(self, items: list[TransactWriteItemTypeDef]) -> bool:
        return transact(self._client, items)
