"""The national index's stores in memory (functions/verwijsindex/ports/national.py): its active signals
with their parent links and the signals it was told are gone, and the statistics the regions report.
The contract tests in tests/ports/test_national_contract.py hold them to the table's behaviour."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from verwijsindex.domain.national import SignalActivated, SignalRemoved
from verwijsindex.ports.national import NationalSignal, ParentLink


class FakeNationalStore:
    def __init__(self) -> None:
        self._signals: dict[tuple[str, str, str], NationalSignal] = {}  # (national key, region, signal id)
        self._links: dict[tuple[str, str, str], ParentLink] = {}  # (parent key, region, signal id)
        self._removed: set[tuple[str, str]] = set()  # (region, signal id)

    def activate(self, event: SignalActivated) -> bool:
        if (event.region, event.signal_id) in self._removed:
            return False
        self._signals[event.national_key, event.region, event.signal_id] = NationalSignal(**dict(event))
        for parent_key in event.parent_keys:
            link = ParentLink(national_key=event.national_key, region=event.region, signal_id=event.signal_id)
            self._links[parent_key, event.region, event.signal_id] = link
        return True

    def remove(self, event: SignalRemoved, today: date) -> bool:
        """The removal is remembered whether or not the signal was held (a late activation is refused)."""
        self._removed.add((event.region, event.signal_id))
        existing = self._signals.pop((event.national_key, event.region, event.signal_id), None)
        if existing is None:
            return False
        for parent_key in existing.parent_keys:
            self._links.pop((parent_key, event.region, event.signal_id), None)
        return True

    def get_signals(self, wanted: Iterable[tuple[str, str, str]]) -> list[NationalSignal]:
        return [self._signals[key] for key in sorted(set(wanted)) if key in self._signals]

    def signals_of(self, national_key: str) -> list[NationalSignal]:
        return [signal for key, signal in sorted(self._signals.items()) if key[0] == national_key]

    def children_of(self, national_parent_key: str) -> list[ParentLink]:
        return [link for key, link in sorted(self._links.items()) if key[0] == national_parent_key]


class FakeNationalStatisticsStore:
    def __init__(self) -> None:
        self._snapshots: dict[tuple[str, str, str], dict[str, int]] = {}  # (month, region, cell)
        self._totals: dict[str, dict[str, int]] = {}
        self._versions: dict[str, int] = {}

    def record(self, region: str, month: str, cell: str, counts: dict[str, int]) -> bool:
        """A snapshot counts when its sum is larger than the held one's (counters only grow)."""
        held = self._snapshots.get((month, region, cell))
        before = held or {}
        if held is not None and sum(counts.values()) <= sum(before.values()):
            return False
        totals = self._totals.setdefault(month, {})
        for name in {*counts, *before}:
            change = counts.get(name, 0) - before.get(name, 0)
            if change:
                totals[name] = totals.get(name, 0) + change
        self._versions[month] = self._versions.get(month, 0) + sum(counts.values()) - sum(before.values())
        self._snapshots[month, region, cell] = dict(counts)
        return True

    def totals(self, month: str) -> tuple[int, dict[str, int]]:
        return self._versions.get(month, 0), dict(self._totals.get(month, {}))

    def regions_reporting(self, month: str) -> int:
        return len({region for (held_month, region, _) in self._snapshots if held_month == month})
