"""Pseudonyms of the BSN: the only form in which a BSN is ever a key (adapters/pseudonym.py:
HMAC-SHA256 under the region's and the nation's keys)."""

from __future__ import annotations

from typing import Protocol


class Pseudonyms(Protocol):
    def regional(self, bsn: str) -> str:
        """The youth's key in this region: never joinable with another region's."""
        ...

    def national(self, bsn: str) -> str:
        """The youth's key across linked regions, as the national index knows it."""
        ...

    def imported_row(self, source: str, row_key: str) -> bytes:
        """A digest recognising a row of another index's file again; the row key is never kept."""
        ...
