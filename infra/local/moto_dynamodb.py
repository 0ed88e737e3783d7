"""moto's DynamoDB with a cost per request that does not grow with the tables (long local runs).

Transactions: moto backs up every table a transaction names with a deep copy, and when the transaction is
cancelled it puts the copy in the table's place. Two things follow for a long local run:
the cost of every transaction grows with the table (and its stream), and anything holding
the table object (the stream behind the local Lambda mapping) is left with a table that no
longer changes. Here the backup holds only the items the transaction names and the length of
the table's stream; a cancelled transaction restores those items in the live table and drops
the stream records it wrote, so it leaves no trace, as in DynamoDB.

Queries: moto lists every item of the table for each Query and sorts all that share the
partition key before applying the sort-key condition. Here a Query on the table starts from
its partition, and a Query on an index from the items whose index keys match the key
condition; moto then sorts, pages and filters those as before, so answers are unchanged.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import StreamShard, Table

_installed = threading.Lock()
_ORIGINAL_TRANSACT = DynamoDBBackend.transact_write_items
_ORIGINAL_QUERY = Table.query


class _CopyKeepingTables:
    """moto's `copy` module, except that a Table is not copied: it is rolled back in place."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


@dataclass
class _Before:
    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    item: Item | None

    def restore(self) -> None:
        items: Any = self.table.items
        if self.range_key is None:
            if self.item is None:
                items.pop(self.hash_key, None)
            else:
                items[self.hash_key] = self.item
            return
        partition = items[self.hash_key]
        if self.item is None:
            partition.pop(self.range_key, None)
        else:
            partition[self.range_key] = self.item


class _Undo:
    def __init__(self, backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        self._before: list[_Before] = []
        self._streams: dict[str, tuple[StreamShard, int]] = {}  # table name -> shard, records before
        for entry in transact_items:
            for operation in entry.values():
                table = backend.tables.get(str(operation.get("TableName")))
                if table is None:
                    continue
                key = operation.get("Key") or operation.get("Item") or {}
                self._remember(table, key)

    def _remember(self, table: Table, key: dict[str, Any]) -> None:
        if table.hash_key_attr not in key:
            return  # moto refuses the operation before writing anything
        if table.range_key_attr is not None and table.range_key_attr not in key:
            return
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        current = table.get_item(hash_key, range_key)
        self._before.append(_Before(table, hash_key, range_key, copy.deepcopy(current)))
        if table.stream_shard is not None and table.name not in self._streams:
            self._streams[table.name] = (table.stream_shard, len(table.stream_shard.items))

    def apply(self) -> None:
        for before in reversed(self._before):
            before.restore()
        for shard, length in self._streams.values():
            del shard.items[length:]


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    undo = _Undo(self, transact_items)
    try:
        _ORIGINAL_TRANSACT(self, transact_items)
    except BaseException:
        undo.apply()
        raise


def _same(value: DynamoType | None, expected: DynamoType) -> bool:
    return value is not None and value.type == expected.type and value.value == expected.value


def _candidates(table: Table, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Item] | None:
    """The items moto would keep after its key-condition checks, found without sorting the
    partition; None when the query is of a shape left to moto as it is."""
    hash_key, range_comparison, range_objs = args[0], args[1], args[2]
    index_name = args[7] if len(args) > 7 else kwargs.get("index_name")
    if not index_name:
        if hash_key is None or table.range_key_attr is None:
            return None
        partition: dict[Any, Item] = table.items.get(hash_key, {})
        return list(partition.values())
    conditions: list[tuple[str, DynamoType]] = kwargs.get("hash_key_conditions") or []
    range_conditions = kwargs.get("range_key_conditions") or []
    if not conditions or len(range_conditions) > 1:
        return None
    every: list[Item] = table.all_items()  # a list of references: cheap next to moto's sort
    found = [item for item in every if all(_same(item.attrs.get(name), value) for name, value in conditions)]
    if range_comparison and range_conditions:
        name = range_conditions[0][0]
        found = [
            item
            for item in found
            if item.attrs.get(name) is not None and item.attrs[name].compare(range_comparison, range_objs)
        ]
    return found


def _query(self: Table, *args: Any, **kwargs: Any) -> Any:
    candidates = _candidates(self, args, kwargs)
    if candidates is None:
        return _ORIGINAL_QUERY(self, *args, **kwargs)
    self.all_items = lambda: candidates  # type: ignore[method-assign]
    try:
        return _ORIGINAL_QUERY(self, *args, **kwargs)
    finally:
        del self.all_items


def install() -> None:
    """Patches moto in this process (idempotent); only the local run and its tests call it."""
    with _installed:
        setattr(dynamodb_models, "copy", _CopyKeepingTables)  # noqa: B010 - moto's module global
        DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
        Table.query = _query  # type: ignore[method-assign]


def uninstall() -> None:
    """moto as it was (for tests that compare)."""
    with _installed:
        setattr(dynamodb_models, "copy", copy)  # noqa: B010 - moto's module global
        DynamoDBBackend.transact_write_items = _ORIGINAL_TRANSACT  # type: ignore[method-assign]
        Table.query = _ORIGINAL_QUERY  # type: ignore[method-assign]


def forget_spent_state() -> None:
    """Drops what moto keeps only for its dashboard and for iterators nobody will use again:
    its register of every model instance ever made, and the stream iterators handed out (the
    local stream pump asks for a fresh one on every poll). Called between requests."""
    from moto.core.model_instances import reset_model_data
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    reset_model_data()
    for account in dynamodbstreams_backends.values():
        for backend in account.values():
            backend.shard_iterators.clear()
