"""The region's half of the national link (DESIGN.md, Regions and the national link).

Publishing: the main table's stream tells what changed, so every way a signal stops being
active (closed, expired, withdrawn, objection, purged, 23rd birthday, death) reaches the
national index without each use case having to remember it. Each record is turned into at
most one event; publishing again is harmless (the national index is idempotent).

Receiving: a RemoteMatch becomes this region's side of the match and one notification, in
one conditional transaction, so the e-mail goes out through the match function exactly as
for a local match (same claim, same content rules) and a repeated event writes nothing. A
MoveNotice is recorded once and e-mailed once to the region's operator.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import partial

from verwijsindex.domain.audit import AuditAction, AuditSubject
from verwijsindex.domain.callers import Caller, CallerKind
from verwijsindex.domain.changes import (
    ChangeEvent,
    SignalChanged,
    StatisticsCellChanged,
    TableChange,
    YouthMarkerChanged,
)
from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.matches import MatchKind, MatchSide, NotificationEvent, PartyCard, is_live
from verwijsindex.domain.models import Signal, SignalStatus
from verwijsindex.domain.national import (
    MoveNotice,
    NationalTotals,
    RegionEvent,
    RemoteMatch,
    RemoteSignalDestroyed,
    RemovalReason,
    SignalActivated,
    SignalRemoved,
    StatisticsCounted,
    YouthMoved,
)
from verwijsindex.domain.statistics import Counter, Tally, month_of
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.emails.operator import move_notice_email
from verwijsindex.logic.matching import OrganisationNames, notification
from verwijsindex.logic.sending import Claim, Sent, send_claimed
from verwijsindex.ports.events import EventPublisher
from verwijsindex.ports.families import FamilyStore
from verwijsindex.ports.mail import Mailer
from verwijsindex.ports.matches import MatchStore, NewMatch
from verwijsindex.ports.move_notices import MoveNoticeStore
from verwijsindex.ports.signals import SignalStore
from verwijsindex.ports.statistics import StatisticsStore
from verwijsindex.ports.work import SignalWork, Tombstone

# The national link acts for nobody: audit entries name it.
NATIONAL_LINK = Caller(kind=CallerKind.MACHINE, subject="verwijsindex-national-link")


# --- publishing: which stream records matter ---------------------------------------------------


@dataclass(frozen=True)
class Activated:
    signal: Signal


@dataclass(frozen=True)
class Removed:
    signal: Signal
    reason: RemovalReason


@dataclass(frozen=True)
class Destroyed:
    """A signal destroyed (withdrawn, purged, 23rd birthday, death, objection): what the national index
    needs to forget it, from the stream's last image of the signal or from the tombstone the
    destruction left in a linked region (ports/work.py, Tombstone) when the sweeper finds it."""

    signal_id: str
    national_key: str
    active_until: date

    @classmethod
    def of(cls, gone: Signal | Tombstone) -> Destroyed:
        return cls(signal_id=gone.signal_id, national_key=gone.national_key, active_until=gone.active_until)


@dataclass(frozen=True)
class Moved:
    youth_key: str
    national_key: str
    municipality: str
    moved_on: date


@dataclass(frozen=True)
class Counted:
    """A statistics counter item as it is now (README "Statistics"): counts only."""

    month: str
    cell: str
    counts: dict[str, int]


PublishWork = Activated | Removed | Destroyed | Moved | Counted


def publish_work_for(change: TableChange | None) -> PublishWork | None:
    """What a change of the table means for the national index, or None (most changes)."""
    if change is None:
        return None
    if isinstance(change, SignalChanged):
        if change.event is ChangeEvent.REMOVE:
            return Destroyed.of(change.old) if change.old is not None else None
        return _signal_change(change.new, change.old) if change.new is not None else None
    if isinstance(change, YouthMarkerChanged) and change.event is ChangeEvent.MODIFY:
        return _move(change)
    if isinstance(change, StatisticsCellChanged) and change.event is not ChangeEvent.REMOVE:
        return Counted(month=change.month, cell=change.cell, counts=dict(change.counts))
    return None


def _signal_change(new: Signal, old: Signal | None) -> PublishWork | None:
    was_active = old is not None and old.status is SignalStatus.ACTIVE
    is_active = new.status is SignalStatus.ACTIVE
    if is_active and was_active and old is not None:
        # A correction (rights: correctie) of the professional or organisation: publish it again,
        # so the national index hands out the corrected contact from now on.
        corrected = new.org_id != old.org_id or new.professional != old.professional
        return Activated(new) if corrected else None
    if is_active == was_active:
        return None  # still inactive
    return Activated(new) if is_active else Removed(new, RemovalReason.CLOSED)


def _move(change: YouthMarkerChanged) -> Moved | None:
    new, old = change.new, change.old
    if new is None:
        return None
    after = new.moved_on, new.municipality
    before = (old.moved_on, old.municipality) if old is not None else (None, None)
    if not after[0] or after == before:
        return None  # the marker changed for another reason (a new signal, a correction)
    return Moved(
        youth_key=new.youth_key,
        national_key=new.national_key,
        municipality=str(after[1]),
        moved_on=after[0],
    )


class Published(StrEnum):
    ACTIVATED = "activated"
    REMOVED = "removed"
    MOVED = "moved"
    COUNTED = "counted"
    NOTHING = "nothing"  # e.g. a signal whose active period ended before the record was read


@dataclass
class NationalPublisher:
    region: str
    bus: EventPublisher
    family: FamilyStore
    signals: SignalStore
    names: OrganisationNames
    clock: Clock

    def publish(self, work: PublishWork) -> Published:
        event = self.event_for(work)
        if event is not None:
            self.bus.publish([event])
        if isinstance(work, Activated | Removed):
            # Published (or nothing to say any more): the signal no longer owes the national index.
            self.signals.finish_work(work.signal.youth_key, work.signal.signal_id, SignalWork.PUBLISH)
        elif isinstance(work, Destroyed):
            self.signals.finish_removal(work.signal_id)  # its tombstone goes
        if event is None:
            return Published.NOTHING
        if isinstance(event, SignalActivated):
            return Published.ACTIVATED
        if isinstance(event, StatisticsCounted):
            return Published.COUNTED
        return Published.REMOVED if isinstance(event, SignalRemoved) else Published.MOVED

    def event_for(self, work: PublishWork) -> RegionEvent | None:  # noqa: PLR0911 - one event per kind of work
        if isinstance(work, Counted):
            return StatisticsCounted(region=self.region, month=work.month, cell=work.cell, counts=work.counts)
        if isinstance(work, Activated):
            signal = work.signal
            if not is_live(signal, dutch_day(self.clock.now())):
                return None
            return SignalActivated(
                region=self.region,
                national_key=signal.national_key,
                signal_id=signal.signal_id,
                org_id=signal.org_id,
                organisation=self.names.name(signal.org_id),
                professional=signal.professional,
                active_until=signal.active_until,
                parent_keys=tuple(self.family.national_parents_of(signal.youth_key)),
            )
        if isinstance(work, Removed):
            return SignalRemoved(
                region=self.region,
                national_key=work.signal.national_key,
                signal_id=work.signal.signal_id,
                reason=work.reason,
                active_until=work.signal.active_until,
            )
        if isinstance(work, Destroyed):
            return SignalRemoved(
                region=self.region,
                national_key=work.national_key,
                signal_id=work.signal_id,
                reason=RemovalReason.DESTROYED,
                active_until=work.active_until,
            )
        # A move matters nationally only while the youth has an active signal: otherwise the
        # national index holds nothing about it and must not learn of it either.
        today = dutch_day(self.clock.now())
        if not any(is_live(s, today) for s in self.signals.youth_signals(work.youth_key)):
            return None
        return YouthMoved(
            region=self.region, national_key=work.national_key, municipality=work.municipality, moved_on=work.moved_on
        )


# --- receiving ---------------------------------------------------------------------------------


class InboxOutcome(StrEnum):
    RECORDED = "recorded"
    ALREADY_RECORDED = "already_recorded"  # a repeated event
    NOT_ACTIVE = "not_active"  # our signal closed or is gone: no match, no e-mail
    NOT_OURS = "not_ours"  # addressed to another region (a misrouted event)
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    UNDELIVERABLE = "undeliverable"  # not sent: the operator's address is undeliverable
    FORGOTTEN = "forgotten"
    NOTHING_TO_FORGET = "nothing_to_forget"


@dataclass
class NationalInbox(Stamping):
    region: str
    signals: SignalStore
    matches: MatchStore
    move_notices: MoveNoticeStore
    mailer: Mailer
    operator_email: str
    clock: Clock
    new_token: Callable[[], str] = field(default=lambda: uuid.uuid4().hex)
    statistics: StatisticsStore | None = None

    def national_totals(self, event: NationalTotals) -> InboxOutcome:
        """The country's totals of a month, kept unless an equal or newer version is held."""
        if event.region != self.region:
            return InboxOutcome.NOT_OURS
        assert self.statistics is not None, "the inbox keeps the national totals"
        kept = self.statistics.keep_national(event.month, event.version, event.regions, dict(event.counts))
        return InboxOutcome.RECORDED if kept else InboxOutcome.ALREADY_RECORDED

    def remote_match(self, event: RemoteMatch) -> InboxOutcome:
        if event.region != self.region:
            return InboxOutcome.NOT_OURS
        found = self.signals.get_for_org(event.org_id, event.signal_id)
        # The org index is eventually consistent: read the signal itself for its state now.
        mine = (
            self.matches.get_signals([(found.youth_key, found.signal_id)], consistent=True).get(found.signal_id)
            if found
            else None
        )
        if mine is None or not is_live(mine, dutch_day(self.clock.now())):
            return InboxOutcome.NOT_ACTIVE
        other = event.other
        card = PartyCard(
            organisation=other.organisation,
            name=other.professional.name,
            email=other.professional.email,
            phone=other.professional.phone,
            region=other.region_name,
        )
        now = self.clock.now()
        side = MatchSide(
            match_id=event.match_id,
            kind=event.kind,
            signal_id=mine.signal_id,
            youth_key=mine.youth_key,
            org_id=mine.org_id,
            other_signal_id=other.signal_id,
            other_youth_key=mine.youth_key,  # the other youth is not known here (see MatchSide)
            other_org_id=other.org_id,
            created_at=now,
            other_region=other.region,
            other_party=card,
        )
        note = notification(side=side, event=NotificationEvent.MATCH, recipient=mine, other=card, created_at=now)
        detail = (
            f"{event.kind.value} match across regions: signal {mine.signal_id} ({mine.org_id}) "
            f"and {other.signal_id} ({other.org_id}, region {other.region})"
        )
        audit = self._stamp.on_youth(
            NATIONAL_LINK,
            AuditAction.MATCH_CREATED,
            mine.youth_key,
            org_id=mine.org_id,
            target=event.match_id,
            detail=detail[:200],
        )
        # Each region counts its own side; the national totals halve the sum (README "Statistics").
        counters = (
            (Counter.MATCH_CLIENT, Counter.MATCH_CLIENT_CROSS_REGION)
            if event.kind is MatchKind.CLIENT
            else (Counter.MATCH_FAMILY, Counter.MATCH_FAMILY_CROSS_REGION)
        )
        counted = [Tally(month_of(dutch_day(now)), mine.dimensions, {c.value: 1 for c in counters})]
        if not self.matches.create_remote_match(NewMatch(side=side, notes=[note], audits=[audit], counts=counted)):
            return InboxOutcome.ALREADY_RECORDED
        return InboxOutcome.RECORDED

    def remote_signal_destroyed(self, event: RemoteSignalDestroyed) -> InboxOutcome:
        """Forget our sides of matches with a signal destroyed in another region (no history:
        as for a local signal withdrawn, purged, or of a youth who turned 23 or died)."""
        if event.region != self.region:
            return InboxOutcome.NOT_OURS
        deleted = self.matches.forget_remote_signal(event.from_region, event.signal_id)
        return InboxOutcome.FORGOTTEN if deleted else InboxOutcome.NOTHING_TO_FORGET

    def move_notice(self, notice: MoveNotice) -> InboxOutcome:
        """Recorded once, e-mailed once; an SES refusal raises (the event is retried)."""
        if notice.region != self.region:
            return InboxOutcome.NOT_OURS
        if not self.operator_email:
            raise ValueError("OPERATOR_EMAIL is not configured: the move notice cannot be delivered")
        audit = self._stamp.entry(
            NATIONAL_LINK,
            AuditAction.MOVE_NOTICE_RECEIVED,
            AuditSubject.move_notice(notice.notice_id),
            target=notice.notice_id,
            detail=f"moved to municipality {notice.municipality}: {len(notice.signals)} active signal(s) elsewhere",
        )
        self.move_notices.record(notice, self.clock.now(), audit)  # False: received before; deliver if unsent
        token = self.new_token()
        if self.move_notices.claim(notice, token) is None:
            return InboxOutcome.ALREADY_SENT
        claim = Claim(
            undeliverable=partial(self.move_notices.mark_undeliverable, notice, token),
            release=partial(self.move_notices.release, notice, token),
            sent=lambda message_id: self.move_notices.mark_sent(notice, token, message_id, self.clock.now()),
        )
        if send_claimed(self.mailer, move_notice_email(notice, self.operator_email), claim) is Sent.UNDELIVERABLE:
            return InboxOutcome.UNDELIVERABLE
        return InboxOutcome.SENT
