"""In-memory FamilyStore (functions/verwijsindex/ports/families.py): the parent links the signal fake
writes with a placement (FakeIndex), read back as the table's PARENTS item and PARENT#/CHILD# links."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from tests.fakes.index import FakeIndex
from verwijsindex.ports.families import ParentLinks


def _pseudonym(purpose: str, bsn: str) -> str:
    # Not the keyed HMAC of production: any one-way function with a purpose of its own keeps the
    # contract (no BSN, regional and national pseudonyms apart, the same parent the same key).
    return hashlib.sha256(f"{purpose}:{bsn}".encode()).hexdigest()


class FakeFamilyStore:
    def __init__(self, index: FakeIndex) -> None:
        self.index = index

    def parent_links(self, youth_key: str, parent_bsns: Iterable[str]) -> ParentLinks:
        bsns = set(parent_bsns)
        return ParentLinks(
            youth_key=youth_key,
            parent_keys=tuple(sorted(_pseudonym("parent", bsn) for bsn in bsns)),
            national_parent_keys=tuple(sorted(_pseudonym("national-parent", bsn) for bsn in bsns)),
        )

    def national_parents_of(self, youth_key: str) -> list[str]:
        return list(self.index.national_parent_keys.get(youth_key, ()))

    def children_of(self, parent_key: str) -> list[str]:
        return sorted(self.index.children.get(parent_key, set()))
