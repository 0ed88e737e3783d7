"""A youth's whole partition (key layout in keys.py): read at once for a dossier, and destroyed with
the youth, together with everything about it in other partitions (the other sides of its matches,
their notifications, its parent links).

Destroying a youth: for every MATCH# side, delete the other side and the NOTE#<match_id># items in
the other partition; for every linked parent key, delete PARENT#<pk>/CHILD#<yk>; then the partition
itself, the signals and the marker last (with their audit entries, lifecycle_store.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item
from verwijsindex.adapters.dynamo.items import SIGNAL_ENTITY, view_of
from verwijsindex.adapters.dynamo.lifecycle_store import renewal_sk
from verwijsindex.adapters.dynamo.match_store import match_keys
from verwijsindex.adapters.dynamo.requests import delete_batches, query_all
from verwijsindex.ports.youth_partitions import YouthPartition

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class YouthPartitionStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def read(self, youth_key: str) -> YouthPartition:
        # One strongly consistent Query; every item of it is held, to destroy them.
        items = self._items(youth_key)
        partition = YouthPartition(youth_key=youth_key, held=tuple(items))
        view_of(youth_key, items, partition)
        return partition

    def forget_all_but_signals(self, partition: YouthPartition) -> int:
        items = _held(partition)
        rest = [i for i in items if i.get(keys.ENTITY) != SIGNAL_ENTITY and i[keys.SK] != keys.YOUTH_SK]
        return self._delete([*_doomed_with_youth(partition), *rest])

    def forget_signal_items(self, youth_key: str, signal_id: str) -> int:
        doomed = [
            item
            for item in self._items(youth_key)
            if item[keys.SK] in {keys.signal_sk(signal_id), renewal_sk(signal_id)}
            or (str(item[keys.SK]).startswith(keys.guard_sk.start) and item.get("signal_id") == signal_id)
        ]
        return self._delete(doomed)

    def forget_partition(self, youth_key: str) -> int:
        return self._delete(self._items(youth_key))

    def forget_youth_matches(self, youth_key: str) -> int:
        return self._delete(_doomed_with_youth(self.read(youth_key)))

    # --- helpers -------------------------------------------------------------------------------

    def _items(self, youth_key: str) -> list[dict[str, Any]]:
        """Every item of one youth partition (decoded), strongly consistent."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.youth_pk(youth_key)}},
            "ConsistentRead": True,
        }
        return [from_item(item) for item in query_all(self._client, request)]

    def _delete(self, items: Sequence[dict[str, Any]]) -> int:
        """Deletes items by their PK/SK (whatever else they hold), in batches of 25."""
        return delete_batches(self._client, self._table, items)


def _held(partition: YouthPartition) -> list[dict[str, Any]]:
    return [cast("dict[str, Any]", item) for item in partition.held]


def _doomed_with_youth(partition: YouthPartition) -> list[dict[str, Any]]:
    """Keys that go with the youth outside its signals and marker, derived from the partition's items
    already read (no further reads): both sides and the notifications of each match, each remote
    reference, each parent link, and the youth's PARENTS item."""
    youth_key = partition.youth_key
    links = [
        {keys.PK: keys.parent_pk(parent_key), keys.SK: keys.child_sk(youth_key)}
        for parent_key in sorted({*partition.parent_keys, *partition.linked_parent_keys})
    ]
    links.append({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.PARENTS_SK})
    return [*match_keys(partition.sides), *links]
