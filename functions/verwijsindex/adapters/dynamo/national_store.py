"""The national index table: only active signals, keyed by national pseudonyms.

YOUTH#<national_key> / SIGNAL#<region>#<signal_id>    entity "national_signal": the region, the
    organisation and the professional's contact, active_until and the parents' national keys:
    what another region needs to notify its professional, nothing about why, no BSN, no name.
PARENT#<national_parent_key> / SIGNAL#<region>#<signal_id>   entity "national_parent_link": this
    parent has a child with that active signal (national_key), for family matches across regions.
REMOVED#<region>#<signal_id> / REMOVED                 entity "removed": the signal is no longer
    active; a late or repeated activation of it is refused. Holds no national key.

Every item about a signal has a TTL (`ttl`): shortly after the signal's last active day it is
gone even if the region's removal never arrives, so nothing outlives the signal's active period.
The statistics items (below) hold counts only and are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from verwijsindex.adapters.dynamo.codec import from_item, to_item

# The same key layout as the regional table's, keyed by national instead of regional pseudonyms.
from verwijsindex.adapters.dynamo.keys import ENTITY, PK, SK, TTL, Key, parent_pk, youth_pk
from verwijsindex.adapters.dynamo.requests import get_batches, query_all, transact
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.national import SignalActivated, SignalRemoved
from verwijsindex.ports.national import NationalSignal, ParentLink

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

NATIONAL_SIGNAL_ENTITY = "national_signal"
PARENT_LINK_ENTITY = "national_parent_link"
REMOVED_ENTITY = "removed"
REMOVED_SK = "REMOVED"
# Entries outlive the last active day by this much (clock skew between regions, time zones).
GRACE = timedelta(days=2)
# A removal is remembered a little longer than any activation of that signal could arrive.
REMOVED_GRACE = timedelta(days=14)


signal_sk = Key("SIGNAL")  # <region>#<signal_id>
removed_pk = Key("REMOVED")  # <region>#<signal_id>


def expires_at(last_day: date, grace: timedelta) -> int:
    """Epoch seconds of the end of `last_day` (Dutch time) plus `grace`: the item's TTL."""
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=AMSTERDAM)
    return int((end + grace).timestamp())


_SIGNAL_FIELDS = frozenset(NationalSignal.model_fields)


def _signal_from(item: dict[str, Any]) -> NationalSignal:
    values = from_item(item)
    return NationalSignal.model_validate({k: v for k, v in values.items() if k in _SIGNAL_FIELDS})


class NationalStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def activate(self, event: SignalActivated) -> bool:
        ttl = expires_at(event.active_until, GRACE)
        signal = {
            PK: youth_pk(event.national_key),
            SK: signal_sk(event.region, event.signal_id),
            ENTITY: NATIONAL_SIGNAL_ENTITY,
            **event.model_dump(mode="json"),
            TTL: ttl,
        }
        items: list[TransactWriteItemTypeDef] = [
            {
                "ConditionCheck": {
                    "TableName": self._table,
                    "Key": to_item({PK: removed_pk(event.region, event.signal_id), SK: REMOVED_SK}),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {"Put": {"TableName": self._table, "Item": to_item(signal)}},
        ]
        items += [
            {"Put": {"TableName": self._table, "Item": to_item(link)}}
            for link in (
                {
                    PK: parent_pk(parent_key),
                    SK: signal_sk(event.region, event.signal_id),
                    ENTITY: PARENT_LINK_ENTITY,
                    "national_key": event.national_key,
                    "region": event.region,
                    "signal_id": event.signal_id,
                    TTL: ttl,
                }
                for parent_key in dict.fromkeys(event.parent_keys)
            )
        ]
        return transact(self._client, items)

    def remove(self, event: SignalRemoved, today: date) -> bool:
        existing = self.get_signal(event.national_key, event.region, event.signal_id)
        last_day = max(event.active_until, today)
        removed = {
            PK: removed_pk(event.region, event.signal_id),
            SK: REMOVED_SK,
            ENTITY: REMOVED_ENTITY,
            TTL: expires_at(last_day, REMOVED_GRACE),
        }
        items: list[TransactWriteItemTypeDef] = [{"Put": {"TableName": self._table, "Item": to_item(removed)}}]
        if existing is not None:
            sk = signal_sk(event.region, event.signal_id)
            items.append(
                {"Delete": {"TableName": self._table, "Key": to_item({PK: youth_pk(event.national_key), SK: sk})}}
            )
            items += [
                {"Delete": {"TableName": self._table, "Key": to_item({PK: parent_pk(parent_key), SK: sk})}}
                for parent_key in dict.fromkeys(existing.parent_keys)
            ]
        transact(self._client, items)
        return existing is not None

    def get_signal(self, national_key: str, region: str, signal_id: str) -> NationalSignal | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({PK: youth_pk(national_key), SK: signal_sk(region, signal_id)}),
            ConsistentRead=True,
        ).get("Item")
        return _signal_from(item) if item else None

    def get_signals(self, wanted: Iterable[tuple[str, str, str]]) -> list[NationalSignal]:
        # BatchGetItem requests of 100.
        item_keys = [
            to_item({PK: youth_pk(national_key), SK: signal_sk(region, signal_id)})
            for national_key, region, signal_id in sorted(set(wanted))
        ]
        return [_signal_from(item) for item in get_batches(self._client, self._table, item_keys, consistent=True)]

    def signals_of(self, national_key: str) -> list[NationalSignal]:
        return [_signal_from(item) for item in self._signal_items(youth_pk(national_key))]

    def children_of(self, national_parent_key: str) -> list[ParentLink]:
        links = [from_item(item) for item in self._signal_items(parent_pk(national_parent_key))]
        return [ParentLink.model_validate({k: v[k] for k in ("national_key", "region", "signal_id")}) for v in links]

    def _signal_items(self, pk: str) -> list[dict[str, Any]]:
        """The SIGNAL# items of one partition (a youth's signals or a parent's links), strongly
        consistent."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
            "ExpressionAttributeValues": to_item({":pk": pk, ":sk": signal_sk.start}),
            "ConsistentRead": True,
        }
        return query_all(self._client, request)


# --- statistics: each region's counter items (snapshots) and the country's totals per month --------
# STATS#<month> / REGION#<region>#<cell>   entity "region_statistics": a region's counter item as last
#     reported, with `version` = the sum of its counts (counters only grow, so a larger sum is newer).
# STATS#<month> / TOTAL                    entity "national_statistics": the sums over all regions,
#     changed by the difference each newer snapshot brings, in the snapshot's own transaction.
# Counts only, nothing personal, and no TTL: they outlive the signals, as in the regions.

NATIONAL_STATISTICS_TOTAL = "TOTAL"
_COUNT_FIELDS = frozenset({PK, SK, ENTITY, "version", "region", "regions"})


_statistics_pk = Key("STATS")  # <month>
_region_sk = Key("REGION")  # <region>#<cell>


def _counts_of(item: dict[str, Any] | None) -> dict[str, int]:
    values = from_item(item) if item else {}
    return {name: int(value) for name, value in values.items() if name not in _COUNT_FIELDS}


class NationalStatisticsStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def record(self, region: str, month: str, cell: str, counts: dict[str, int]) -> bool:
        # One transaction conditional on the snapshot read.
        key = {PK: _statistics_pk(month), SK: _region_sk(region, cell)}
        held = self._client.get_item(TableName=self._table, Key=to_item(key), ConsistentRead=True).get("Item")
        before = _counts_of(held)
        version, held_version = sum(counts.values()), sum(before.values())
        if held is not None and version <= held_version:
            return False
        changes = {name: counts.get(name, 0) - before.get(name, 0) for name in {*counts, *before}}
        changes = {name: change for name, change in changes.items() if change}
        snapshot = {**key, ENTITY: "region_statistics", "region": region, "version": version, **counts}
        names = {f"#c{n}": name for n, name in enumerate(sorted(changes))}
        values = {f":c{n}": changes[name] for n, name in enumerate(sorted(changes))}
        total: dict[str, Any] = {
            "TableName": self._table,
            "Key": to_item({PK: _statistics_pk(month), SK: NATIONAL_STATISTICS_TOTAL}),
            "UpdateExpression": "SET #entity = :entity ADD version :version"
            + "".join(f", {alias} {alias.replace('#', ':')}" for alias in names),
            "ExpressionAttributeNames": {"#entity": ENTITY, **names},
            "ExpressionAttributeValues": to_item(
                {":entity": "national_statistics", ":version": version - held_version, **values}
            ),
        }
        condition = "attribute_not_exists(PK)" if held is None else "version = :held"
        put: dict[str, Any] = {"TableName": self._table, "Item": to_item(snapshot), "ConditionExpression": condition}
        if held is not None:
            put["ExpressionAttributeValues"] = to_item({":held": held_version})
        elements = [cast("TransactWriteItemTypeDef", {"Put": put}), cast("TransactWriteItemTypeDef", {"Update": total})]
        return transact(self._client, elements)

    def totals(self, month: str) -> tuple[int, dict[str, int]]:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({PK: _statistics_pk(month), SK: NATIONAL_STATISTICS_TOTAL}),
            ConsistentRead=True,
        ).get("Item")
        values = from_item(item) if item else {}
        return int(values.get("version", 0)), _counts_of(item)

    def regions_reporting(self, month: str) -> int:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :region)",
            "ExpressionAttributeValues": to_item({":pk": _statistics_pk(month), ":region": _region_sk.start}),
            "ProjectionExpression": "#region",
            "ExpressionAttributeNames": {"#region": "region"},
        }
        return len({str(from_item(item)["region"]) for item in query_all(self._client, request)})
