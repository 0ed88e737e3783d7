"""A youth's whole partition: read for a dossier, and destroyed with the youth (23rd birthday, death,
a restore replayed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from verwijsindex.ports.matches import YouthView


@dataclass
class YouthPartition(YouthView):
    """Everything the index holds about one youth, read at once. `held` is the store's own record of
    what it read (opaque to the rules: hand the partition back to the store to destroy it)."""

    held: tuple[object, ...] = field(default=(), repr=False)

    def __bool__(self) -> bool:
        return bool(self.held)


class YouthPartitions(Protocol):
    def read(self, youth_key: str) -> YouthPartition:
        """Every item of the youth's partition, strongly consistent."""
        ...

    def forget_all_but_signals(self, partition: YouthPartition) -> int:
        """Everything that goes with the youth except its signals and its marker, derived from the
        partition already read: both sides and the notifications of each match, parent links, and the
        rest of the partition. Returns items deleted. The signals and marker go last, with their
        audit entries (LifecycleStore.destroy_signals_and_marker)."""
        ...

    def forget_signal_items(self, youth_key: str, signal_id: str) -> int:
        """The signal itself, its guard (if it still points at it) and its renewal notice."""
        ...

    def forget_partition(self, youth_key: str) -> int:
        """Every item left in the youth's partition."""
        ...

    def forget_youth_matches(self, youth_key: str) -> int:
        """Every match, notification and parent link that involves this youth, in any partition."""
        ...
