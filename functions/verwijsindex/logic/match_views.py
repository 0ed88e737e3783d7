"""Matches, history and coordination as the parties see them (own organisation only, audited).

A professional sees matches and history only through a signal of their own organisation
that is still active (DESIGN.md, Not searchable); a match is addressed only by its parties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from verwijsindex.domain.audit import AuditAction, AuditEntry
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from verwijsindex.domain.matches import MatchSide, MatchStatus, Notification, NotificationEvent, is_live
from verwijsindex.domain.models import Contact, Signal, SignalStatus
from verwijsindex.domain.statistics import Counter, tally
from verwijsindex.logic import access
from verwijsindex.logic.access import Actor
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.match_schemas import (
    Coordinator,
    CoordinatorRequest,
    HistoryEntry,
    HistoryList,
    MatchList,
    MatchView,
    Party,
)
from verwijsindex.logic.matching import OrganisationNames, notification, party_card

if TYPE_CHECKING:
    from typing import Unpack

    from verwijsindex.logic.matching import NoteOptions
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.matches import Coordination, CoordinatorNaming, MatchStore
from verwijsindex.ports.registry import OrganisationRegistry
from verwijsindex.ports.signals import SignalStore

_NOT_ACTIVE = "matches and history are shown only while your signal on this youth is active"


@dataclass
class MatchViewService(Stamping):
    signals: SignalStore
    matches: MatchStore
    registry: OrganisationRegistry
    names: OrganisationNames
    audit: AuditLog
    clock: Clock

    # --- views -------------------------------------------------------------------------------

    def list_matches(self, actor: Actor, signal_id: str) -> MatchList:
        signal = self._own_active_signal(actor, signal_id)
        caller = actor.caller
        sides = self.matches.sides_of_signal(signal.youth_key, signal.signal_id)
        local = [side for side in sides if not side.is_remote]
        others = self.matches.get_signals((side.other_youth_key, side.other_signal_id) for side in local)
        self.names.prefetch({signal.org_id, *(other.org_id for other in others.values())})
        views = [
            self._view(side, signal, others[side.other_signal_id]) for side in local if side.other_signal_id in others
        ]
        views += [self._remote_view(side) for side in sides if side.is_remote]
        views.sort(key=lambda view: (view.created_at, view.match_id))
        # One entry per youth whose data was shown: a family match shows a sibling's signal.
        shown = (others[v.other.signal_id].youth_key for v in views if v.other.signal_id in others)
        youths = dict.fromkeys([signal.youth_key, *shown])
        self.audit.record_many(
            [
                self._stamp.on_youth(
                    caller,
                    AuditAction.MATCHES_READ,
                    youth_key,
                    org_id=signal.org_id,
                    target=signal.signal_id,
                    detail=f"{len(views)} matches",
                )
                for youth_key in youths
            ]
        )
        return MatchList(items=views)

    def history(self, actor: Actor, signal_id: str) -> HistoryList:
        signal = self._own_active_signal(actor, signal_id)
        caller = actor.caller
        closed = [
            s
            for s in self.signals.youth_signals(signal.youth_key)
            if s.status is SignalStatus.CLOSED and s.org_id != signal.org_id
        ]
        closed.sort(key=lambda s: (s.active_from, s.closed_on or s.active_until, s.org_id))
        self.names.prefetch(s.org_id for s in closed)
        self.audit.record(
            self._stamp.on_signal(
                caller, AuditAction.HISTORY_READ, signal, detail=f"{len(closed)} closed signals of other organisations"
            )
        )
        return HistoryList(
            items=[
                HistoryEntry(
                    org_id=s.org_id,
                    organisation=self.names.name(s.org_id),
                    active_from=s.active_from,
                    closed_on=s.closed_on,
                )
                for s in closed
            ]
        )

    # --- coordination ------------------------------------------------------------------------

    def name_coordinator(self, actor: Actor, match_id: str, request: CoordinatorRequest) -> MatchView:
        side, mine, other = self._party(actor, match_id)
        caller = actor.caller
        if request.signal_id not in {side.signal_id, side.other_signal_id}:
            raise Unprocessable("the regievoerder must be one of the two signals of this match", field="signal_id")
        if side.coordinator_signal_id == request.signal_id:
            return self._view(side, mine, other)  # already so: nothing changes, nobody is e-mailed
        coordinator = mine if request.signal_id == mine.signal_id else other
        if not is_live(coordinator, self._today()):
            raise Unprocessable("the regievoerder must have an active signal", field="signal_id")
        version = side.coordinator_version + 1
        now = self.clock.now()
        note = self._note_to_other(
            side,
            mine,
            other,
            NotificationEvent.COORDINATOR,
            now,
            sequence=version,
            coordinator=party_card(coordinator, self.names),
            coordinator_is_recipient=coordinator.signal_id == other.signal_id,
        )
        audits = self._audits(
            caller, side, AuditAction.MATCH_COORDINATOR_NAMED, f"regievoerder: signal {coordinator.signal_id}"
        )
        naming = CoordinatorNaming(side=side, coordinator_signal_id=coordinator.signal_id, note=note, audits=audits)
        if not self.matches.name_coordinator(naming):
            raise Conflict("the match changed while naming the regievoerder; read it again and retry")
        return self._view(naming.applied_to(side), mine, other)

    def mark_coordinated(self, actor: Actor, match_id: str) -> MatchView:
        side, mine, other = self._party(actor, match_id)
        caller = actor.caller
        if side.status is MatchStatus.COORDINATED:
            return self._view(side, mine, other)
        now = self.clock.now()
        note = self._note_to_other(side, mine, other, NotificationEvent.COORDINATED, now)
        audits = self._audits(caller, side, AuditAction.MATCH_COORDINATED, "marked afgestemd")
        # Counted once, under the signal of the party that marked it, with the days it took.
        today = dutch_day(now)
        days = (today - dutch_day(side.created_at)).days
        counted = [tally(today, mine.dimensions, Counter.COORDINATED, days=days)]
        coordination = Coordination(side=side, at=now, by_org=mine.org_id, note=note, audits=audits, counts=counted)
        if not self.matches.mark_coordinated(coordination):
            # The other party was first: it is coordinated now, and they e-mailed us.
            current = self.matches.get_side(side.youth_key, side.signal_id, side.match_id)
            if current is None:
                raise NotFound("no such match")
            return self._view(current, mine, other)
        return self._view(coordination.applied_to(side), mine, other)

    # --- helpers -----------------------------------------------------------------------------

    def _today(self) -> date:
        return dutch_day(self.clock.now())

    def _own_active_signal(self, actor: Actor, signal_id: str) -> Signal:
        access.require_active(actor)
        signal = self.signals.get_for_org(actor.org_id, signal_id)
        if signal is None:
            raise NotFound("no such signal")
        if not is_live(signal, dutch_day(self.clock.now())):
            raise Forbidden(_NOT_ACTIVE)
        return signal

    def _party(self, actor: Actor, match_id: str) -> tuple[MatchSide, Signal, Signal]:
        """The caller's side of the match, their signal and the other party's; 404 for anyone
        who is not a party, whether or not the match exists."""
        access.require_active(actor)
        side = self.matches.side_for_org(actor.org_id, match_id)
        if side is None:
            raise NotFound("no such match")
        if side.is_remote:
            raise Conflict(
                "this match is with a professional in another region: agree on the regievoerder with them "
                "directly; the index records coordination only within a region"
            )
        # The index is eventually consistent: read the side itself for its current state.
        side = self.matches.get_side(side.youth_key, side.signal_id, side.match_id) or side
        signals = self.matches.get_signals(
            [(side.youth_key, side.signal_id), (side.other_youth_key, side.other_signal_id)], consistent=True
        )
        mine, other = signals.get(side.signal_id), signals.get(side.other_signal_id)
        if mine is None or other is None:
            raise NotFound("no such match")
        if not is_live(mine, dutch_day(self.clock.now())):
            raise Forbidden("only a party with an active signal can coordinate this match")
        return side, mine, other

    def _note_to_other(
        self,
        side: MatchSide,
        mine: Signal,
        other: Signal,
        event: NotificationEvent,
        created_at: datetime,
        **options: Unpack[NoteOptions],
    ) -> Notification | None:
        """The e-mail that tells the other party what this one did, unless their signal is no longer live."""
        if not is_live(other, self._today()):
            return None
        return notification(
            side=side.mirrored(),
            event=event,
            recipient=other,
            other=party_card(mine, self.names),
            created_at=created_at,
            **options,
        )

    def _audits(self, caller: Caller, side: MatchSide, action: AuditAction, detail: str) -> list[AuditEntry]:
        return [
            self._stamp.on_youth(caller, action, youth_key, org_id=side.org_id, target=side.match_id, detail=detail)
            for youth_key in dict.fromkeys((side.youth_key, side.other_youth_key))
        ]

    def _remote_view(self, side: MatchSide) -> MatchView:
        """A match with a professional of another region: their card as the national index sent it."""
        card = side.other_party
        assert card is not None
        other = Party(
            signal_id=side.other_signal_id,
            org_id=side.other_org_id,
            organisation=card.organisation,
            professional=Contact(name=card.name, email=card.email, phone=card.phone),
            signal_status=None,
            region=card.region,
        )
        return _match_view(side, other)

    def _view(self, side: MatchSide, mine: Signal, other: Signal) -> MatchView:
        coordinator = None
        if side.coordinator_signal_id in {mine.signal_id, other.signal_id}:
            chosen = mine if side.coordinator_signal_id == mine.signal_id else other
            coordinator = Coordinator(
                signal_id=chosen.signal_id,
                org_id=chosen.org_id,
                organisation=self.names.name(chosen.org_id),
                professional=chosen.professional,
            )
        party = Party(
            signal_id=other.signal_id,
            org_id=other.org_id,
            organisation=self.names.name(other.org_id),
            professional=other.professional,
            signal_status=other.status,
        )
        return _match_view(side, party, coordinator)


def _match_view(side: MatchSide, other: Party, coordinator: Coordinator | None = None) -> MatchView:
    """A match as one party sees it (`side` is that party's side: its signal is theirs)."""
    return MatchView(
        match_id=side.match_id,
        kind=side.kind,
        status=side.status,
        signal_id=side.signal_id,
        other=other,
        coordinator=coordinator,
        created_at=side.created_at,
        coordinated_at=side.coordinated_at,
    )
