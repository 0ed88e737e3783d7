"""Matching (DESIGN.md section 2): what the match function does with each stream record.

Two kinds of work, each safe to repeat:
- a signal became active: find the other live signals on the same youth (client match) and on
  youths sharing a parent (family match) of other organisations, and record each new pair
  with its two notifications in one conditional transaction;
- a notification was written: claim it, send it through SES, mark it sent.

Why no match is lost or doubled: a signal is written (by placement) before its stream record
exists, and every read here is strongly consistent, so of two signals placed at the same
moment at least the later-processed one sees the other; both compute the same match id, and
the conditional write lets only one create it. E-mails are separate notification records:
an SES failure fails only that record, and the claim makes each e-mail go out once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, TypedDict

from verwijsindex.domain.audit import AuditAction, AuditEntry
from verwijsindex.domain.callers import Caller, CallerKind
from verwijsindex.domain.changes import ChangeEvent, NotificationChanged, SignalChanged, TableChange
from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.matches import (
    MatchKind,
    MatchSide,
    Notification,
    NotificationEvent,
    NotificationState,
    PartyCard,
    is_live,
    match_id_for,
    notification_id_for,
)
from verwijsindex.domain.models import Signal, SignalStatus
from verwijsindex.domain.statistics import Counter, tally
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.emails.matches import match_email
from verwijsindex.logic.sending import Claim, Sent, send_claimed
from verwijsindex.ports.families import FamilyStore
from verwijsindex.ports.mail import Mailer
from verwijsindex.ports.matches import MatchStore, NewMatch, YouthView
from verwijsindex.ports.registry import OrganisationRegistry

if TYPE_CHECKING:
    from typing import Unpack

# The match function acts for nobody: its audit entries name it as the actor.
MATCH_FUNCTION = Caller(kind=CallerKind.MACHINE, subject="verwijsindex-match")


# --- which stream records matter -----------------------------------------------------------


@dataclass(frozen=True)
class SignalBecameActive:
    youth_key: str
    signal_id: str


@dataclass(frozen=True)
class NotificationDue:
    notification: Notification


Work = SignalBecameActive | NotificationDue


def work_for(change: TableChange | None) -> Work | None:
    """The work a change of the table asks for, or None (most changes: guards, markers, parent links,
    match sides, state changes of notifications, removals)."""
    if change is None or change.event is ChangeEvent.REMOVE:
        return None
    if isinstance(change, SignalChanged) and change.new is not None:
        was_active = change.old is not None and change.old.status is SignalStatus.ACTIVE
        if change.new.status is not SignalStatus.ACTIVE or (change.event is ChangeEvent.MODIFY and was_active):
            return None  # not active, or still active with some other attribute changed
        return SignalBecameActive(youth_key=change.new.youth_key, signal_id=change.new.signal_id)
    if isinstance(change, NotificationChanged) and change.event is ChangeEvent.INSERT and change.new is not None:
        if change.new.state is not NotificationState.PENDING:
            return None
        return NotificationDue(change.new)
    return None


# --- organisation names ----------------------------------------------------------------------


class OrganisationNames:
    """Organisation names for e-mails and views, cached per container (they rarely change)."""

    def __init__(self, registry: OrganisationRegistry) -> None:
        self._registry = registry
        self._names: dict[str, str] = {}

    def name(self, org_id: str) -> str:
        self.prefetch((org_id,))
        return self._names[org_id]

    def prefetch(self, org_ids: Iterable[str]) -> None:
        """The names not yet cached, in one BatchGetItem (per 100) rather than one read each."""
        missing = {org_id for org_id in org_ids if org_id not in self._names}
        if not missing:
            return
        found = self._registry.organisations(missing)
        for org_id in missing:
            self._names[org_id] = found[org_id].name if org_id in found else org_id


def party_card(signal: Signal, names: OrganisationNames) -> PartyCard:
    contact = signal.professional
    return PartyCard(
        organisation=names.name(signal.org_id), name=contact.name, email=str(contact.email), phone=contact.phone
    )


class NoteOptions(TypedDict, total=False):
    """What an e-mail about a match may add to whom it goes, about whom and when."""

    sequence: int  # the how-manieth e-mail of its kind on the match (a new regievoerder, new contact details)
    coordinator: PartyCard | None
    coordinator_is_recipient: bool
    state: NotificationState  # pending unless SUPPRESSED (a match of two silently imported signals)


def notification(
    *,
    side: MatchSide,
    event: NotificationEvent,
    recipient: Signal,
    other: PartyCard,
    created_at: datetime,
    **options: Unpack[NoteOptions],
) -> Notification:
    sequence = options.get("sequence", 0)
    return Notification(
        notification_id=notification_id_for(side.match_id, recipient.signal_id, event, sequence),
        match_id=side.match_id,
        kind=side.kind,
        event=event,
        sequence=sequence,
        recipient_youth_key=recipient.youth_key,
        recipient_signal_id=recipient.signal_id,
        recipient_client_reference=recipient.client_reference,
        recipient_name=recipient.professional.name,
        recipient_email=str(recipient.professional.email),
        other=other,
        coordinator=options.get("coordinator"),
        coordinator_is_recipient=options.get("coordinator_is_recipient", False),
        created_at=created_at,
        state=options.get("state", NotificationState.PENDING),
    )


def silently_matched(trigger: Signal, other: Signal) -> bool:
    """A match between two imported signals, the trigger imported silently: their professionals
    learnt of each other in the index the signals came from, so nobody is e-mailed about it. A
    match with a signal placed in this index is news to both and is e-mailed as always."""
    return trigger.imported is not None and trigger.imported.silent and other.imported is not None


# --- the use cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchOutcome:
    active: bool  # False: the signal is no longer active (or gone), so it matches nothing
    created: tuple[str, ...] = ()  # match ids written by this call
    existing: int = 0  # pairs already matched (a duplicate delivery, or the other side won)


class Delivery(StrEnum):
    SENT = "sent"
    RESENT = "resent"  # taken over from an invocation that ended while sending
    ALREADY_HANDLED = "already_handled"  # sent before, or not pending any more
    UNDELIVERABLE = "undeliverable"  # not sent: the address bounced before and was not updated since


@dataclass
class MatchService(Stamping):
    store: MatchStore
    family: FamilyStore
    names: OrganisationNames
    mailer: Mailer
    clock: Clock

    def match_signal(self, youth_key: str, signal_id: str) -> MatchOutcome:
        today = dutch_day(self.clock.now())
        # Signals and parents only: not the youth's matches and notifications.
        view = self.store.signals_and_parents(youth_key)
        trigger = view.signal(signal_id)
        if trigger is None or not is_live(trigger, today):
            self._finish(view, signal_id)  # nothing to match any more
            return MatchOutcome(active=False)

        candidates: list[tuple[MatchKind, Signal]] = [
            (MatchKind.CLIENT, other)
            for other in view.signals
            if other.signal_id != trigger.signal_id and other.org_id != trigger.org_id and is_live(other, today)
        ]
        family: list[tuple[MatchKind, Signal]] = []
        if view.parent_keys:
            siblings: set[str] = set()
            for parent_key in view.parent_keys:
                siblings.update(self.family.children_of(parent_key))
            siblings.discard(youth_key)
            for sibling_key in sorted(siblings):
                sibling = self.store.signals_and_parents(sibling_key)
                # The link may be stale (the BRP changed the sibling's parents since): recheck.
                if not set(sibling.parent_keys) & set(view.parent_keys):
                    continue
                family += [
                    (MatchKind.FAMILY, other)
                    for other in sibling.signals
                    if other.org_id != trigger.org_id and is_live(other, today)
                ]

        pairs = candidates + family
        known: set[str] = set()
        if pairs:
            # Pairs matched before (a repeated delivery, or the other signal's activation won):
            # the trigger's own sides, one Query, so no write is attempted for them.
            known = {side.match_id for side in self.store.sides_of_signal(youth_key, trigger.signal_id)}
            self.names.prefetch({trigger.org_id, *(other.org_id for _, other in pairs)})
        created: list[str] = []
        existing = 0
        for kind, other in pairs:
            match_id = match_id_for(trigger.signal_id, other.signal_id)
            if match_id in known:
                existing += 1
            elif self._create(kind, match_id, trigger, other):
                created.append(match_id)
            else:
                existing += 1
        # Only now, after every pair is recorded: a failure before leaves it for the sweeper.
        self._finish(view, signal_id)
        return MatchOutcome(active=True, created=tuple(created), existing=existing)

    def _finish(self, view: YouthView, signal_id: str) -> None:
        # Only when the signal read still owes its matching: a repeated delivery, the sweeper's rerun
        # after the stream did it, or a signal gone has no flag to clear and writes nothing.
        if signal_id in view.unmatched:
            self.store.finish_matching(view.youth_key, signal_id)

    def _create(self, kind: MatchKind, match_id: str, trigger: Signal, other: Signal) -> bool:
        now = self.clock.now()
        side = MatchSide(
            match_id=match_id,
            kind=kind,
            signal_id=trigger.signal_id,
            youth_key=trigger.youth_key,
            org_id=trigger.org_id,
            other_signal_id=other.signal_id,
            other_youth_key=other.youth_key,
            other_org_id=other.org_id,
            created_at=now,
        )
        trigger_card = party_card(trigger, self.names)
        other_card = party_card(other, self.names)
        state = NotificationState.SUPPRESSED if silently_matched(trigger, other) else NotificationState.PENDING
        notes = [
            notification(
                side=side,
                event=NotificationEvent.MATCH,
                recipient=trigger,
                other=other_card,
                created_at=now,
                state=state,
            ),
            notification(
                side=side.mirrored(),
                event=NotificationEvent.MATCH,
                recipient=other,
                other=trigger_card,
                created_at=now,
                state=state,
            ),
        ]
        # Counted once, in the month it arose, under the later of the two signals (the one that
        # made the match), whichever of them the stream happened to process first.
        counter = Counter.MATCH_CLIENT if kind is MatchKind.CLIENT else Counter.MATCH_FAMILY
        later = max(trigger, other, key=lambda s: (s.created_at, s.signal_id))
        counted = [tally(dutch_day(now), later.dimensions, counter)]
        return self.store.create_match(NewMatch(side=side, notes=notes, audits=self._match_audit(side), counts=counted))

    def _match_audit(self, side: MatchSide) -> list[AuditEntry]:
        detail = (
            f"{side.kind.value} match: signal {side.signal_id} ({side.org_id}) "
            f"and {side.other_signal_id} ({side.other_org_id})"
        )
        return [
            self._stamp.on_youth(
                MATCH_FUNCTION, AuditAction.MATCH_CREATED, youth_key, target=side.match_id, detail=detail[:200]
            )
            for youth_key in dict.fromkeys((side.youth_key, side.other_youth_key))
        ]

    def deliver(self, note: Notification, invocation: str, *, claimed_before: datetime | None = None) -> Delivery:
        """Sends one notification at most once per claim; SES errors leave it pending and raise.
        `claimed_before`: take over another invocation's claim only when it is older (the sweeper)."""
        before = self.store.claim_notification(note, invocation, self.clock.now(), claimed_before=claimed_before)
        if before is None:
            return Delivery.ALREADY_HANDLED
        claim = Claim(
            undeliverable=partial(self.store.set_undeliverable, note, invocation),
            release=partial(self.store.release_notification, note, invocation),
            sent=lambda message_id: self.store.mark_sent(note, invocation, message_id, self.clock.now()),
        )
        if send_claimed(self.mailer, match_email(note), claim) is Sent.UNDELIVERABLE:
            return Delivery.UNDELIVERABLE
        return Delivery.RESENT if before is NotificationState.SENDING else Delivery.SENT


__all__ = [
    "MATCH_FUNCTION",
    "Delivery",
    "MatchOutcome",
    "MatchService",
    "NotificationDue",
    "OrganisationNames",
    "SignalBecameActive",
    "Work",
    "notification",
    "party_card",
    "silently_matched",
    "work_for",
]
