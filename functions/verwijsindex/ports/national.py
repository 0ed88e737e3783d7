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
    def activate(self, event: SignalActivated) -> bool: ...

    def remove(self, event: SignalRemoved, today: date) -> bool: ...

    def get_signals(self, wanted: Iterable[tuple[str, str, str]]) -> list[NationalSignal]: ...

    def signals_of(self, national_key: str) -> list[NationalSignal]: ...

    def children_of(self, national_parent_key: str) -> list[ParentLink]: ...


class NationalStatisticsStore(Protocol):
    def record(self, region: str, month: str, cell: str, counts: dict[str, int]) -> bool: ...

    def totals(self, month: str) -> tuple[int, dict[str, int]]: ...

    def regions_reporting(self, month: str) -> int: ...
