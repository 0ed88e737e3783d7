"""Match sides and notifications in the single table (key layout in keys.py).

Every write that must happen once is conditional: a match side or notification is only
created when absent, a notification only moves pending -> sending -> sent under its claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.delivery import EmailDelivery
from verwijsindex.adapters.dynamo.family_store import PARENT_LINK_ENTITY, PARENTS_ENTITY
from verwijsindex.adapters.dynamo.requests import delete_batches, get_batches, owned_item, query_all, transact
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import MatchSide, MatchStatus, Notification, NotificationState
from verwijsindex.domain.models import Signal

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

MATCH_ENTITY = "match"
NOTIFICATION_ENTITY = "notification"
REMOTE_REF_ENTITY = "remote_match_ref"
SIGNAL_ENTITY = "signal"

_SIGNAL_FIELDS = frozenset(Signal.model_fields)
_SIDE_FIELDS = frozenset(MatchSide.model_fields)
_NOTIFICATION_FIELDS = frozenset(Notification.model_fields)
# Everything a sibling's partition can tell the matcher sorts between these two keys.
_SIBLING_RANGE = (keys.PARENTS_SK, "SIGNAL$")  # "$" sorts right after "#"
_ABSENT = "attribute_not_exists(PK)"


def signal_from_values(values: dict[str, Any]) -> Signal:
    return Signal.model_validate({k: v for k, v in values.items() if k in _SIGNAL_FIELDS})


def side_from_values(values: dict[str, Any]) -> MatchSide:
    return MatchSide.model_validate({k: v for k, v in values.items() if k in _SIDE_FIELDS})


def notification_from_values(values: dict[str, Any]) -> Notification:
    return Notification.model_validate({k: v for k, v in values.items() if k in _NOTIFICATION_FIELDS})


@dataclass
class YouthView:
    """What the matcher needs from one youth partition, read in one Query."""

    youth_key: str
    signals: list[Signal] = field(default_factory=list)
    parent_keys: tuple[str, ...] = ()
    linked_parent_keys: tuple[str, ...] = ()
    sides: list[MatchSide] = field(default_factory=list)

    def signal(self, signal_id: str) -> Signal | None:
        return next((s for s in self.signals if s.signal_id == signal_id), None)

    def match_ids_of(self, signal_id: str) -> set[str]:
        return {side.match_id for side in self.sides if side.signal_id == signal_id}


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


def _side_key(side: MatchSide) -> dict[str, Any]:
    return to_item({keys.PK: keys.youth_pk(side.youth_key), keys.SK: keys.match_sk(side.signal_id, side.match_id)})


def _view_from(youth_key: str, items: Iterable[dict[str, Any]]) -> YouthView:
    view = YouthView(youth_key=youth_key)
    for item in items:
        entity = item.get(keys.ENTITY, {}).get("S")
        if entity == SIGNAL_ENTITY:
            view.signals.append(signal_from_values(from_item(item)))
        elif entity == MATCH_ENTITY:
            view.sides.append(side_from_values(from_item(item)))
        elif entity == PARENTS_ENTITY:
            values = from_item(item)
            view.parent_keys = tuple(values.get("parent_keys") or ())
            view.linked_parent_keys = tuple(sorted(values.get("linked_parent_keys") or ()))
    return view


class MatchStore:
    def __init__(self, client: DynamoDBClient, table_name: str, audit: AuditLog) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit
        self._delivery = EmailDelivery(client, table_name)

    # --- reads -----------------------------------------------------------------------------

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        return query_all(self._client, {"TableName": self._table, **kwargs})

    def youth_view(self, youth_key: str) -> YouthView:
        """The whole youth partition in one strongly consistent Query: signals, parents and
        existing match sides (a youth has a handful of each)."""
        items = self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.youth_pk(youth_key)}},
            ConsistentRead=True,
        )
        return _view_from(youth_key, items)

    def sibling_view(self, youth_key: str) -> YouthView:
        """A sibling's parents and signals only (not its matches): one consistent Query."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues={
                ":pk": {"S": keys.youth_pk(youth_key)},
                ":low": {"S": _SIBLING_RANGE[0]},
                ":high": {"S": _SIBLING_RANGE[1]},
            },
            ConsistentRead=True,
        )
        return _view_from(youth_key, items)

    def sides_of_signal(self, youth_key: str, signal_id: str) -> list[MatchSide]:
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.youth_pk(youth_key)},
                ":sk": {"S": keys.matches_of_signal_prefix(signal_id)},
            },
        )
        return [side_from_values(from_item(item)) for item in items]

    def side_for_org(self, org_id: str, match_id: str) -> MatchSide | None:
        """A match only as seen from a party's organisation: others cannot even address it."""
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
        """Signals by (youth_key, signal_id) in BatchGetItem requests; missing ones are left out."""
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

    def create_match(self, side: MatchSide, notes: Sequence[Notification], audits: Sequence[AuditEntry]) -> bool:
        """Both sides, their notifications and audit entries in one transaction.

        False when the match already exists (a duplicate delivery or the other signal's
        processing wrote it first); nothing is written then.
        """
        items: list[TransactWriteItemTypeDef] = [
            {"Put": {"TableName": self._table, "Item": to_item(side_item(s)), "ConditionExpression": _ABSENT}}
            for s in (side, side.mirrored())
        ]
        items += [
            {"Put": {"TableName": self._table, "Item": to_item(notification_item(n)), "ConditionExpression": _ABSENT}}
            for n in notes
        ]
        items += [self._audit.put_request(entry) for entry in audits]
        return self._transact(items)

    def create_remote_match(self, side: MatchSide, note: Notification, audits: Sequence[AuditEntry]) -> bool:
        """This region's side of a match across regions, its notification and audit entries, in
        one transaction; False (nothing written) when it exists already (a repeated event)."""
        items: list[TransactWriteItemTypeDef] = [
            {"Put": {"TableName": self._table, "Item": to_item(item), "ConditionExpression": _ABSENT}}
            for item in (side_item(side), notification_item(note), _remote_ref_item(side))
        ]
        items += [self._audit.put_request(entry) for entry in audits]
        return self._transact(items)

    # --- coordination ------------------------------------------------------------------------

    def name_coordinator(
        self,
        side: MatchSide,
        coordinator_signal_id: str,
        note: Notification | None,
        audits: Sequence[AuditEntry],
    ) -> bool:
        """Sets the coordinator on both sides if nobody changed it since `side` was read."""
        update: dict[str, Any] = {
            "UpdateExpression": "SET coordinator_signal_id = :coordinator, coordinator_version = :next",
            "ConditionExpression": "coordinator_version = :seen",
            "ExpressionAttributeValues": to_item(
                {
                    ":coordinator": coordinator_signal_id,
                    ":next": side.coordinator_version + 1,
                    ":seen": side.coordinator_version,
                }
            ),
        }
        return self._transact(self._both_sides(side, update, note, audits))

    def mark_coordinated(
        self, side: MatchSide, at: datetime, by_org: str, note: Notification | None, audits: Sequence[AuditEntry]
    ) -> bool:
        """Open -> coordinated on both sides; False when it already was."""
        update: dict[str, Any] = {
            "UpdateExpression": "SET #status = :coordinated, coordinated_at = :at, coordinated_by_org = :by",
            "ConditionExpression": "#status = :open",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item(
                {
                    ":coordinated": MatchStatus.COORDINATED.value,
                    ":open": MatchStatus.OPEN.value,
                    ":at": at.isoformat(),
                    ":by": by_org,
                }
            ),
        }
        return self._transact(self._both_sides(side, update, note, audits))

    def _both_sides(
        self, side: MatchSide, update: dict[str, Any], note: Notification | None, audits: Sequence[AuditEntry]
    ) -> list[TransactWriteItemTypeDef]:
        items = [
            cast("TransactWriteItemTypeDef", {"Update": {"TableName": self._table, "Key": _side_key(s), **update}})
            for s in (side, side.mirrored())
        ]
        if note is not None:
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(notification_item(note)),
                        "ConditionExpression": _ABSENT,
                    }
                }
            )
        items += [self._audit.put_request(entry) for entry in audits]
        return items

    # --- notification delivery ---------------------------------------------------------------

    def claim_notification(self, note: Notification, token: str, now: datetime) -> NotificationState | None:
        """pending -> sending under `token`; also takes over a claim left by another (ended)
        invocation. Returns the state it was in, or None when it is sent or already ours."""
        return self._delivery.claim(notification_key(note), token, {"claimed_at": now.isoformat()})

    def release_notification(self, note: Notification, token: str) -> None:
        """sending -> pending after SES refused it, so the retry of the record sends it."""
        self._delivery.release(notification_key(note), token)

    def mark_sent(self, note: Notification, token: str, message_id: str, now: datetime) -> bool:
        return self._delivery.mark_sent(
            notification_key(note), token, {"sent_at": now.isoformat(), "message_id": message_id}
        )

    def notifications_of_match(self, youth_key: str, match_id: str) -> list[Notification]:
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.youth_pk(youth_key)},
                ":sk": {"S": keys.notifications_of_match_prefix(match_id)},
            },
            ConsistentRead=True,
        )
        return [notification_from_values(from_item(item)) for item in items]

    # --- destruction -------------------------------------------------------------------------

    def forget_signal(self, youth_key: str, signal_id: str) -> int:
        """Removes every match of one signal: both sides and all their notifications, in both
        partitions. Idempotent; call it when a signal is destroyed. Returns items deleted."""
        return self._forget_matches(self.sides_of_signal(youth_key, signal_id))

    def forget_youth(self, youth_key: str) -> int:
        """Removes every match, notification and parent link that involves this youth, in any
        partition; the caller deletes the youth's own partition (signals, guards, marker)."""
        view = self.youth_view(youth_key)
        deleted = self._forget_matches(view.sides)
        links = [
            {keys.PK: keys.parent_pk(parent_key), keys.SK: keys.child_sk(youth_key)}
            for parent_key in {*view.parent_keys, *view.linked_parent_keys}
        ]
        links.append({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.PARENTS_SK})
        return deleted + self._delete_all(links)

    def _forget_matches(self, sides: Iterable[MatchSide]) -> int:
        doomed: list[dict[str, Any]] = []
        for side in sides:
            # A remote match has only this side here (and its reference); the other region
            # forgets its own side.
            for party in (side,) if side.is_remote else (side, side.mirrored()):
                doomed.append(
                    {keys.PK: keys.youth_pk(party.youth_key), keys.SK: keys.match_sk(party.signal_id, party.match_id)}
                )
            if side.other_region is not None:
                doomed.append(_remote_ref_key(side))
            for partition in {side.youth_key, side.other_youth_key}:
                doomed.extend(
                    {
                        keys.PK: keys.youth_pk(note.recipient_youth_key),
                        keys.SK: keys.notification_sk(note.match_id, note.recipient_signal_id, note.event_tag),
                    }
                    for note in self.notifications_of_match(partition, side.match_id)
                )
        return self._delete_all(doomed)

    def forget_remote_signal(self, region: str, signal_id: str) -> int:
        """Removes this region's sides (and notifications) of matches with a signal of another
        region that was destroyed there. Idempotent. Returns items deleted."""
        refs = self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.remote_ref_pk(region, signal_id)}},
            ConsistentRead=True,
        )
        sides: list[MatchSide] = []
        orphans: list[dict[str, Any]] = []
        for ref in (from_item(item) for item in refs):
            side = self.get_side(str(ref["youth_key"]), str(ref["signal_id"]), str(ref["match_id"]))
            if side is None:  # forgotten halfway before: only the reference is left
                orphans.append({keys.PK: ref[keys.PK], keys.SK: ref[keys.SK]})
            else:
                sides.append(side)
        return self._forget_matches(sides) + self._delete_all(orphans)

    def _delete_all(self, doomed: Sequence[dict[str, Any]]) -> int:
        return delete_batches(self._client, self._table, doomed)

    # --- helpers -----------------------------------------------------------------------------

    def _transact(self, items: list[TransactWriteItemTypeDef]) -> bool:
        return transact(self._client, items)


__all__ = [
    "MATCH_ENTITY",
    "NOTIFICATION_ENTITY",
    "PARENT_LINK_ENTITY",
    "MatchStore",
    "YouthView",
    "notification_from_values",
    "side_from_values",
    "signal_from_values",
]
