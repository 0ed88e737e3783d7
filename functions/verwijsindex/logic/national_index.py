"""The national index (DESIGN.md, Regions and the national link): matches across regions.

It holds, per youth, only the national pseudonym and the active signals of each region,
with what another region needs to notify its professional. Regions report activations,
removals and moves; the index answers with RemoteMatch events to both regions of every new
cross-region pair (client: the same youth; family: youths who share a parent) and with a
MoveNotice to the region a youth with active signals moved into.

Matches within one region are that region's own business: the index pairs only signals of
different regions. Organisations are registered per region, so two signals of different
regions always belong to different registrations and may match.

Idempotent by construction: an activation is written (unless removed before) and its pairs
are answered again on every delivery; the match id is the same uuid5 of the two signal ids
as a local match, and each region records a match once. A removal leaves a marker, so an
activation that arrives after it (out of order, or replayed) is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.matches import MatchKind, match_id_for
from verwijsindex.domain.national import (
    MAX_LISTED_SIGNALS,
    LinkedRegion,
    NationalEvent,
    NationalTotals,
    RegionEvent,
    RemoteMatch,
    RemoteParty,
    RemoteSignalDestroyed,
    RemovalReason,
    SignalActivated,
    SignalRemoved,
    StatisticsCounted,
    YouthMoved,
    move_notice_id,
)
from verwijsindex.domain.national import MoveNotice as MoveNoticeEvent
from verwijsindex.domain.statistics import national_view
from verwijsindex.ports.national import NationalSignal, NationalStatisticsStore, NationalStore


class UnknownSender(Exception):
    """The event names a region that is not listed, or came from another account than that
    region's. Holds the region code only."""


@dataclass(frozen=True)
class Answer:
    """What one region event led to: the events to publish, and what happened (for metrics)."""

    events: tuple[NationalEvent, ...] = ()
    stored: bool = False  # an activation written, or a removal that forgot something
    refused: bool = False  # an activation of a signal removed before (out of order or replayed)


def _live(signal: NationalSignal, today: date) -> bool:
    return signal.active_until >= today


@dataclass
class NationalIndex:
    store: NationalStore
    regions: Mapping[str, LinkedRegion]
    clock: Clock
    statistics: NationalStatisticsStore | None = None

    def __post_init__(self) -> None:
        self._municipalities = {
            municipality: code for code, region in self.regions.items() for municipality in region.municipalities
        }

    def handle(self, account: str, event: RegionEvent) -> Answer:
        region = self.regions.get(event.region)
        if region is None or region.account != account:
            raise UnknownSender(event.region)
        if isinstance(event, SignalActivated):
            return self.activated(event)
        if isinstance(event, SignalRemoved):
            return self.removed(event)
        if isinstance(event, StatisticsCounted):
            return self.counted(event)
        return self.moved(event)

    def counted(self, event: StatisticsCounted) -> Answer:
        """Keeps the region's newer counts; when the month's totals changed, every region gets
        them (a repeated or late snapshot changes nothing, and only its sender hears the totals
        again). Counts only: no key, no signal, no organisation of another region."""
        assert self.statistics is not None, "the national index keeps statistics"
        stored = self.statistics.record(event.region, event.month, event.cell, dict(event.counts))
        version, counts = self.statistics.totals(event.month)
        reporting = self.statistics.regions_reporting(event.month)
        told = sorted(self.regions) if stored else [event.region]
        events = tuple(
            NationalTotals(
                region=code, month=event.month, version=version, regions=reporting, counts=national_view(counts)
            )
            for code in told
        )
        return Answer(events=events, stored=stored)

    def removed(self, event: SignalRemoved) -> Answer:
        """Forgets the signal; a destroyed one is forgotten by every other region too (their
        sides of matches with it), as a destroyed local signal takes its matches with it."""
        forgot = self.store.remove(event, self._today())
        if event.reason is not RemovalReason.DESTROYED:
            return Answer(stored=forgot)
        notices = tuple(
            RemoteSignalDestroyed(region=code, from_region=event.region, signal_id=event.signal_id)
            for code in sorted(self.regions)
            if code != event.region
        )
        return Answer(events=notices, stored=forgot)

    def _today(self) -> date:
        return dutch_day(self.clock.now())

    # --- activation: store, then answer every cross-region pair -------------------------------

    def activated(self, event: SignalActivated) -> Answer:
        today = self._today()
        if event.active_until < today:
            return Answer()  # its active period is over: it matches nothing and is not kept
        if not self.store.activate(event):
            return Answer(refused=True)
        trigger = NationalSignal.model_validate(event.model_dump())
        pairs: dict[str, tuple[MatchKind, NationalSignal]] = {}
        # Strongly consistent reads after our write: of two activations at the same moment in
        # two regions, at least the later one sees the other (both answer the same match id).
        for other in self.store.signals_of(event.national_key):
            if other.region != trigger.region and _live(other, today):
                pairs[match_id_for(trigger.signal_id, other.signal_id)] = (MatchKind.CLIENT, other)
        links = [
            link
            for parent_key in dict.fromkeys(event.parent_keys)
            for link in self.store.children_of(parent_key)
            if link.region != trigger.region and link.national_key != trigger.national_key
        ]
        # The siblings' signals by key, together (one BatchGetItem per 100), not one read each.
        for sibling in self.store.get_signals((link.national_key, link.region, link.signal_id) for link in links):
            match_id = match_id_for(trigger.signal_id, sibling.signal_id)
            if _live(sibling, today) and match_id not in pairs:
                pairs[match_id] = (MatchKind.FAMILY, sibling)
        events: list[NationalEvent] = []
        for match_id, (kind, other) in sorted(pairs.items()):
            events.append(self._remote_match(match_id, kind, to=trigger, other=other))
            events.append(self._remote_match(match_id, kind, to=other, other=trigger))
        return Answer(events=tuple(events), stored=True)

    def _party(self, signal: NationalSignal) -> RemoteParty:
        return RemoteParty(
            region=signal.region,
            region_name=self.regions[signal.region].display_name,
            signal_id=signal.signal_id,
            org_id=signal.org_id,
            organisation=signal.organisation,
            professional=signal.professional,
        )

    def _remote_match(
        self, match_id: str, kind: MatchKind, *, to: NationalSignal, other: NationalSignal
    ) -> RemoteMatch:
        return RemoteMatch(
            region=to.region,
            match_id=match_id,
            kind=kind,
            signal_id=to.signal_id,
            org_id=to.org_id,
            other=self._party(other),
        )

    # --- moves ---------------------------------------------------------------------------------

    def region_of(self, municipality: str) -> str | None:
        return self._municipalities.get(municipality)

    def moved(self, event: YouthMoved) -> Answer:
        """A youth with active signals moved into another region: that region's operator is told
        who is involved (the new region's own signals are its own business)."""
        destination = self.region_of(event.municipality)
        if destination is None or destination == event.region:
            return Answer()  # within the region, or to a municipality outside the linked regions
        today = self._today()
        involved = [s for s in self.store.signals_of(event.national_key) if s.region != destination and _live(s, today)]
        if not involved:
            return Answer()
        involved.sort(key=lambda s: (s.region, s.organisation, s.signal_id))
        notice = MoveNoticeEvent(
            region=destination,
            notice_id=move_notice_id(event.national_key, event.municipality, event.moved_on),
            municipality=event.municipality,
            moved_on=event.moved_on,
            from_region=event.region,
            from_region_name=self.regions[event.region].display_name,
            signals=tuple(self._party(s) for s in involved[:MAX_LISTED_SIGNALS]),
        )
        return Answer(events=(notice,))
