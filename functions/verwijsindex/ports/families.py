"""Parent links as pseudonyms: which signalled youths share a parent (family matches)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ParentLinks:
    """A youth's parents as the BRP gave them at a placement, as pseudonyms only: written with the
    signal (SignalStore.create, import_signal)."""

    youth_key: str
    parent_keys: tuple[str, ...]
    national_parent_keys: tuple[str, ...]


class FamilyStore(Protocol):
    def parent_links(self, youth_key: str, parent_bsns: Iterable[str]) -> ParentLinks:
        """The youth's parents as pseudonyms (nothing is read or written)."""
        ...

    def national_parents_of(self, youth_key: str) -> list[str]:
        """The youth's parents as national pseudonyms, as recorded at the last placement."""
        ...

    def children_of(self, parent_key: str) -> list[str]:
        """Youth keys of this parent's signalled children (strongly consistent: see matching)."""
        ...
