"""In-memory YouthPartitions (functions/verwijsindex/ports/youth_partitions.py): a youth's items in the
FakeIndex it shares with the other fakes of the main table, read at once and destroyed as the table's
partition would be: what goes with the youth is derived from the partition as it was read."""

from __future__ import annotations

from typing import cast

from tests.fakes.index import FakeIndex, Item, match_items
from verwijsindex.ports.youth_partitions import YouthPartition


class FakeYouthPartitions:
    def __init__(self, index: FakeIndex) -> None:
        self.index = index

    def read(self, youth_key: str) -> YouthPartition:
        index = self.index
        items = index.partition_items(youth_key)
        return YouthPartition(
            youth_key=youth_key,
            # In the order of the table's sort keys: SIGNAL#<id>, MATCH#<signal id>#<match id>.
            signals=[index.signals[(youth_key, item[2])] for item in sorted(i for i in items if i[0] == "signal")],
            parent_keys=index.parent_keys.get(youth_key, ()),
            linked_parent_keys=tuple(sorted(index.linked_parent_keys.get(youth_key, set()))),
            sides=[index.sides[(youth_key, item[2], item[3])] for item in sorted(i for i in items if i[0] == "side")],
            unmatched=index.unmatched(youth_key),
            held=tuple(items),
        )

    def forget_all_but_signals(self, partition: YouthPartition) -> int:
        held = [cast("Item", item) for item in partition.held]
        rest = [item for item in held if item[0] not in {"signal", "marker"}]
        return self.index.delete([*_with_youth(partition), *rest])

    def forget_signal_items(self, youth_key: str, signal_id: str) -> int:
        guards = [
            ("guard", *key)
            for key, held_by in self.index.guards.items()
            if key[0] == youth_key and held_by == signal_id
        ]
        items = self.index.partition_items(youth_key)
        doomed = [i for i in items if i in {("signal", youth_key, signal_id), ("renewal", youth_key, signal_id)}]
        return self.index.delete([*doomed, *guards])

    def forget_partition(self, youth_key: str) -> int:
        return self.index.delete(self.index.partition_items(youth_key))

    def forget_youth_matches(self, youth_key: str) -> int:
        return self.index.delete(_with_youth(self.read(youth_key)))


def _with_youth(partition: YouthPartition) -> list[Item]:
    """What goes with the youth outside its signals and marker, from the partition as read: its
    matches, its parent links, and its parents."""
    youth_key = partition.youth_key
    links: list[Item] = [
        ("child", parent_key, youth_key)
        for parent_key in sorted({*partition.parent_keys, *partition.linked_parent_keys})
    ]
    return [*match_items(partition.sides), *links, ("parents", youth_key)]
