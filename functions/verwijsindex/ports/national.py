"""The national index's own store: only active signals, keyed by national pseudonyms, and the
national statistics (logic/national_index.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from verwijsindex.domain.models import Frozen
from verwijsindex.domain.national import NationalKey, RegionCode, SignalActivated, SignalId, SignalRemoved


class NationalSignal(SignalActivated):
    """An active signal as the national index keeps it: exactly what its region published."""


class ParentLink(Frozen):
    national_key: NationalKey
    region: RegionCode
    signal_id: SignalId


class NationalStore(Protocol):
    def activate(self, event: SignalActivated) -> bool:
        """The signal and its parent links, unless it was removed before (False then). Writing it again is harmless
        (same values), so a repeated activation is accepted."""
        ...

    def remove(self, event: SignalRemoved, today: date) -> bool:
        """Forgets the signal and its parent links and remembers that it is gone. True when there was something to
        forget; repeating it changes nothing."""
        ...

    def get_signals(self, wanted: Iterable[tuple[str, str, str]]) -> list[NationalSignal]:
        """Signals by (national_key, region, signal_id), strongly consistent; missing ones are left out."""
        ...

    def signals_of(self, national_key: str) -> list[NationalSignal]:
        """Every active signal on the youth, in any region (strongly consistent: see matching)."""
        ...

    def children_of(self, national_parent_key: str) -> list[ParentLink]:
        """Where this parent's children have an active signal, in any region (strongly consistent)."""
        ...


class NationalStatisticsStore(Protocol):
    def record(self, region: str, month: str, cell: str, counts: dict[str, int]) -> bool:
        """Keeps the snapshot if it is newer than the one held, and adds what it changed to the month's totals,
        together. False when it was not newer (a repeated or late event) or another delivery changed it meanwhile."""
        ...

    def totals(self, month: str) -> tuple[int, dict[str, int]]:
        """The month's totals over all regions and their version (0 before any report)."""
        ...

    def regions_reporting(self, month: str) -> int:
        """How many regions reported any count for the month."""
        ...
