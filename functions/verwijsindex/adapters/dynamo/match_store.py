"""Match sides and notifications in the single table (key layout in keys.py).

Every write that must happen once is conditional: a match side or notification is only
created when absent, a notification only moves pending -> sending -> sent under its claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.delivery import EmailDelivery
from verwijsindex.adapters.dynamo.items import (
    MATCH_ENTITY,
    NOTIFICATION_ENTITY,
    side_from_values,
    signal_from_values,
    view_of,
)
from verwijsindex.adapters.dynamo.requests import delete_batches, get_batches, owned_item, query_all, transact
from verwijsindex.adapters.dynamo.statistics_store import counter_updates
from verwijsindex.adapters.dynamo.work_store import ATTEMPTS, WorkStore, outstanding, utc_stamp
from verwijsindex.domain.matches import MatchSide, MatchStatus, Notification, NotificationState
from verwijsindex.domain.models import Signal
from verwijsindex.ports.matches import Coordination, CoordinatorNaming, NewMatch, SidesChange, YouthView
from verwijsindex.ports.work import SignalWork, WorkKind

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

REMOTE_REF_ENTITY = "remote_match_ref"
# A youth's parents and signals sort between these two keys (matches and notifications before).
_SIBLING_RANGE = (keys.PARENTS_SK, "SIGNAL$")  # "$" sorts right after "#"
_ABSENT = "attribute_not_exists(PK)"
_WORK_KEYS = (keys.GSI3PK, keys.GSI3SK, ATTEMPTS)  # removed when a notification's delivery ends


def side_item(side: MatchSide) -> dict[str, Any]:
    return {
        keys.PK: keys.youth_pk(side.youth_key),
        keys.SK: keys.match_sk(side.signal_id, side.match_id),
        keys.ENTITY: MATCH_ENTITY,
        keys.GSI1PK: keys.org_pk(side.org_id),
        keys.GSI1SK: keys.match_index_sk(side.match_id),
        **side.model_dump(mode="json"),
    }


def notification_key(note: Notification) -> dict[str, Any]:
    return to_item(
        {
            keys.PK: keys.youth_pk(note.recipient_youth_key),
            keys.SK: keys.notification_sk(note.match_id, note.recipient_signal_id, note.event_tag),
        }
    )


def notification_item(note: Notification) -> dict[str, Any]:
    return {
        keys.PK: keys.youth_pk(note.recipient_youth_key),
        keys.SK: keys.notification_sk(note.match_id, note.recipient_signal_id, note.event_tag),
        keys.ENTITY: NOTIFICATION_ENTITY,
        **note.model_dump(mode="json"),
        "attempts": 0,
        # Outstanding until it is sent: the sweeper finds it here if the stream lost it. A
        # suppressed one is never sent, so it owes nothing.
        **(
            outstanding(WorkKind.DELIVERY, note.created_at, note.recipient_youth_key, note.notification_id)
            if note.state is NotificationState.PENDING
            else {}
        ),
    }


def _remote_ref_key(side: MatchSide) -> dict[str, Any]:
    assert side.other_region is not None
    return {
        keys.PK: keys.remote_ref_pk(side.other_region, side.other_signal_id),
        keys.SK: keys.match_index_sk(side.match_id),
    }


def _remote_ref_item(side: MatchSide) -> dict[str, Any]:
    return {
        **_remote_ref_key(side),
        keys.ENTITY: REMOTE_REF_ENTITY,
        "youth_key": side.youth_key,
        "signal_id": side.signal_id,
        "match_id": side.match_id,
    }


def _note_keys(party: MatchSide) -> list[dict[str, Any]]:
    """Every notification a match can have sent to the owner of `party`'s signal, derived from
    the side itself (so no Query finds them): the match e-mail, one per regievoerder named, and
    the coordinated one. Deleting a key that was never written is harmless."""
    tags = ["MATCH", *(f"COORDINATOR#{n}" for n in range(1, party.coordinator_version + 1))]
    if party.status is MatchStatus.COORDINATED:
        tags.append("COORDINATED")
    return [
        {keys.PK: keys.youth_pk(party.youth_key), keys.SK: keys.notification_sk(party.match_id, party.signal_id, tag)}
        for tag in tags
    ]


def _side_key(side: MatchSide) -> dict[str, Any]:
    return to_item({keys.PK: keys.youth_pk(side.youth_key), keys.SK: keys.match_sk(side.signal_id, side.match_id)})


def match_keys(sides: Iterable[MatchSide]) -> list[dict[str, Any]]:
    """Every item of these matches: the sides (a remote match has only this region's side and
    its reference here: the other region forgets its own) and their notifications."""
    doomed: list[dict[str, Any]] = []
    for side in sides:
        parties = (side,) if side.is_remote else (side, side.mirrored())
        for party in parties:
            doomed.append(
                {keys.PK: keys.youth_pk(party.youth_key), keys.SK: keys.match_sk(party.signal_id, party.match_id)}
            )
            doomed.extend(_note_keys(party))
        if side.other_region is not None:
            doomed.append(_remote_ref_key(side))
    return doomed


class MatchStore:
    def __init__(self, client: DynamoDBClient, table_name: str, audit: AuditLog) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit
        self._delivery = EmailDelivery(client, table_name)
        self._work = WorkStore(client, table_name)

    # --- reads -----------------------------------------------------------------------------

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        return query_all(self._client, {"TableName": self._table, **kwargs})

    def signals_and_parents(self, youth_key: str) -> YouthView:
        # One consistent Query of the sort-key range PARENTS..SIGNAL# (it also passes the renewal notices of expired
        # signals, at most one per signal).
        items = self._query(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues={
                ":pk": {"S": keys.youth_pk(youth_key)},
                ":low": {"S": _SIBLING_RANGE[0]},
                ":high": {"S": _SIBLING_RANGE[1]},
            },
            ConsistentRead=True,
        )
        return view_of(youth_key, (from_item(item) for item in items))

    def sides_of_signal(self, youth_key: str, signal_id: str) -> list[MatchSide]:
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.youth_pk(youth_key)},
                ":sk": {"S": keys.matches_of_signal_prefix(signal_id)},
            },
            ConsistentRead=True,
        )
        return [side_from_values(from_item(item)) for item in items]

    def count_of_signal(self, youth_key: str, signal_id: str) -> int:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.youth_pk(youth_key)},
                ":sk": {"S": keys.matches_of_signal_prefix(signal_id)},
            },
            "Select": "COUNT",
        }
        count = 0
        while True:
            page = self._client.query(**request)
            count += page.get("Count", 0)
            if "LastEvaluatedKey" not in page:
                return count
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def sides_of_org(self, org_id: str) -> list[MatchSide]:
        items = self._query(
            IndexName=keys.GSI1,
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
            ExpressionAttributeValues={":pk": {"S": keys.org_pk(org_id)}, ":sk": {"S": keys.match_index_sk.start}},
        )
        return [side_from_values(from_item(item)) for item in items]

    def side_for_org(self, org_id: str, match_id: str) -> MatchSide | None:
        item = owned_item(self._client, self._table, org_id, keys.match_index_sk(match_id))
        return side_from_values(from_item(item)) if item else None

    def get_side(self, youth_key: str, signal_id: str, match_id: str) -> MatchSide | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.match_sk(signal_id, match_id)}),
            ConsistentRead=True,
        ).get("Item")
        return side_from_values(from_item(item)) if item else None

    def get_signals(self, wanted: Iterable[tuple[str, str]], *, consistent: bool = False) -> dict[str, Signal]:
        # BatchGetItem requests of 100.
        item_keys = [
            to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.signal_sk(signal_id)})
            for youth_key, signal_id in sorted(set(wanted))
        ]
        signals = (
            signal_from_values(from_item(item))
            for item in get_batches(self._client, self._table, item_keys, consistent=consistent)
        )
        return {signal.signal_id: signal for signal in signals}

    # --- match creation ----------------------------------------------------------------------

    def create_match(self, match: NewMatch) -> bool:
        side = match.side
        items: list[TransactWriteItemTypeDef] = [
            {"Put": {"TableName": self._table, "Item": to_item(side_item(s)), "ConditionExpression": _ABSENT}}
            for s in (side, side.mirrored())
        ]
        return self._transact([*items, *self._recorded(match)])

    def create_remote_match(self, match: NewMatch) -> bool:
        items: list[TransactWriteItemTypeDef] = [
            {"Put": {"TableName": self._table, "Item": to_item(item), "ConditionExpression": _ABSENT}}
            for item in (side_item(match.side), _remote_ref_item(match.side))
        ]
        return self._transact([*items, *self._recorded(match)])

    def _recorded(self, match: NewMatch) -> list[TransactWriteItemTypeDef]:
        """A new match's notifications (each written once), audit entries and statistics."""
        items: list[TransactWriteItemTypeDef] = [
            {"Put": {"TableName": self._table, "Item": to_item(notification_item(n)), "ConditionExpression": _ABSENT}}
            for n in match.notes
        ]
        items += [self._audit.put_request(entry) for entry in match.audits]
        items += counter_updates(self._table, match.counts)
        return items

    # --- coordination ------------------------------------------------------------------------

    def name_coordinator(self, naming: CoordinatorNaming) -> bool:
        update: dict[str, Any] = {
            "UpdateExpression": "SET coordinator_signal_id = :coordinator, coordinator_version = :next",
            "ConditionExpression": "coordinator_version = :seen",
            "ExpressionAttributeValues": to_item(
                {
                    ":coordinator": naming.coordinator_signal_id,
                    ":next": naming.side.coordinator_version + 1,
                    ":seen": naming.side.coordinator_version,
                }
            ),
        }
        return self._transact(self._both_sides(naming, update))

    def mark_coordinated(self, coordination: Coordination) -> bool:
        update: dict[str, Any] = {
            "UpdateExpression": "SET #status = :coordinated, coordinated_at = :at, coordinated_by_org = :by",
            "ConditionExpression": "#status = :open",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item(
                {
                    ":coordinated": MatchStatus.COORDINATED.value,
                    ":open": MatchStatus.OPEN.value,
                    ":at": coordination.at.isoformat(),
                    ":by": coordination.by_org,
                }
            ),
        }
        return self._transact(
            [*self._both_sides(coordination, update), *counter_updates(self._table, coordination.counts)]
        )

    def _both_sides(self, change: SidesChange, update: dict[str, Any]) -> list[TransactWriteItemTypeDef]:
        items = [
            cast("TransactWriteItemTypeDef", {"Update": {"TableName": self._table, "Key": _side_key(s), **update}})
            for s in (change.side, change.side.mirrored())
        ]
        if change.note is not None:
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(notification_item(change.note)),
                        "ConditionExpression": _ABSENT,
                    }
                }
            )
        items += [self._audit.put_request(entry) for entry in change.audits]
        return items

    # --- notification delivery ---------------------------------------------------------------

    def claim_notification(
        self, note: Notification, token: str, now: datetime, *, claimed_before: datetime | None = None
    ) -> NotificationState | None:
        return self._delivery.claim(
            notification_key(note),
            token,
            {"claimed_at": utc_stamp(now)},
            claimed_before=utc_stamp(claimed_before) if claimed_before else None,
        )

    def release_notification(self, note: Notification, token: str) -> None:
        self._delivery.release(notification_key(note), token)

    def mark_sent(self, note: Notification, token: str, message_id: str, now: datetime) -> bool:
        # The same write takes it out of the outstanding work.
        return self._delivery.mark_sent(
            notification_key(note),
            token,
            {"sent_at": now.isoformat(), "message_id": message_id},
            also_remove=_WORK_KEYS,
        )

    def set_undeliverable(self, note: Notification, token: str) -> bool:
        return self._delivery.finish(
            notification_key(note), NotificationState.UNDELIVERABLE, token=token, also_remove=_WORK_KEYS
        )

    def set_bounced(self, youth_key: str, match_id: str, signal_id: str, event_tag: str) -> bool:
        key = to_item(
            {keys.PK: keys.youth_pk(youth_key), keys.SK: keys.notification_sk(match_id, signal_id, event_tag)}
        )
        return self._delivery.finish(key, NotificationState.BOUNCED, also_remove=_WORK_KEYS)

    def finish_matching(self, youth_key: str, signal_id: str) -> None:
        key = {keys.PK: keys.youth_pk(youth_key), keys.SK: keys.signal_sk(signal_id)}
        self._work.finish_signal_work(key, SignalWork.MATCH)

    # --- destruction -------------------------------------------------------------------------

    def forget_signal(self, youth_key: str, signal_id: str) -> int:
        return self._forget_matches(self.sides_of_signal(youth_key, signal_id))

    def _forget_matches(self, sides: Iterable[MatchSide]) -> int:
        return self._delete_all(match_keys(sides))

    def forget_remote_signal(self, region: str, signal_id: str) -> int:
        refs = self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.remote_ref_pk(region, signal_id)}},
            ConsistentRead=True,
        )
        references = [from_item(item) for item in refs]
        side_keys = [
            to_item(
                {
                    keys.PK: keys.youth_pk(str(ref["youth_key"])),
                    keys.SK: keys.match_sk(str(ref["signal_id"]), str(ref["match_id"])),
                }
            )
            for ref in references
        ]
        found = get_batches(self._client, self._table, side_keys, consistent=True)
        sides = [side_from_values(from_item(item)) for item in found]
        # The references go too (also one whose side was forgotten halfway before).
        orphans = [{keys.PK: ref[keys.PK], keys.SK: ref[keys.SK]} for ref in references]
        return self._delete_all([*match_keys(sides), *orphans])

    def _delete_all(self, doomed: Sequence[dict[str, Any]]) -> int:
        return delete_batches(self._client, self._table, doomed)

    # --- helpers -----------------------------------------------------------------------------

    def _transact(self, items: list[TransactWriteItemTypeDef]) -> bool:
        return transact(self._client, items)
