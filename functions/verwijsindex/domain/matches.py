"""Matches between signals and the e-mails they cause (DESIGN.md section 2, Matching).

A match is recorded per pair of signals, one *side* per party so that each side lives in
its own youth's partition; every e-mail is a *notification* with a delivery state, so that
duplicate stream deliveries and retries send each e-mail exactly once.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from verwijsindex.domain.models import Signal, SignalStatus

# Fixed namespace: a pair of signals always gets the same match id, in every process.
_MATCH_NAMESPACE = uuid.UUID("0b6b1a52-5d0e-4c53-9f5a-7a1f8e6c2d11")


class MatchKind(StrEnum):
    CLIENT = "client"  # cliëntmatch: the same youth
    FAMILY = "family"  # gezinsmatch: youths who share a parent


class MatchStatus(StrEnum):
    OPEN = "open"
    COORDINATED = "coordinated"  # afgestemd


class NotificationEvent(StrEnum):
    MATCH = "match"
    COORDINATOR = "coordinator"  # a regievoerder was named
    COORDINATED = "coordinated"  # the match was marked afgestemd
    CONTACT = "contact"  # another professional (or a new contact) took over the other party's signal


# Events that can happen more than once for one match and recipient: each gets its own e-mail.
_SEQUENCED = frozenset({NotificationEvent.COORDINATOR, NotificationEvent.CONTACT})


class NotificationState(StrEnum):
    PENDING = "pending"  # written, not yet claimed for sending
    SENDING = "sending"  # claimed by one invocation; SES is being called
    SENT = "sent"  # SES accepted it: never sent again
    BOUNCED = "bounced"  # SES accepted it, the receiving server refused it for good (or a complaint)
    UNDELIVERABLE = "undeliverable"  # not sent: the address bounced before and was not updated since
    # Never sent: a match between two signals imported from another index, formed silently
    # because their professionals learnt of each other there.
    SUPPRESSED = "suppressed"


def match_id_for(signal_id: str, other_signal_id: str) -> str:
    """The same id for a pair whichever side computes it: concurrent writers collide on it."""
    first, second = sorted((signal_id, other_signal_id))
    return str(uuid.uuid5(_MATCH_NAMESPACE, f"{first}|{second}"))


def is_live(signal: Signal, today: date) -> bool:
    """Active and within its active period (the expire job may not have closed it yet)."""
    return signal.status is SignalStatus.ACTIVE and signal.active_from <= today <= signal.active_until


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class PartyCard(_Frozen):
    """What an e-mail says about a professional: contact details and organisation only."""

    organisation: str = Field(max_length=200)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    phone: str = Field(max_length=20)
    region: str | None = Field(default=None, max_length=100)  # set for a professional of another region


class MatchSide(_Frozen):
    """One party's view of a match, stored in that party's youth partition.

    A remote side (the other party is in another region, found through the national index)
    has no mirrored side in this table: it keeps the other party's card itself, and its
    other_youth_key is its own youth key, because the other youth is not known here.
    """

    match_id: str
    kind: MatchKind
    signal_id: str
    youth_key: str
    org_id: str
    other_signal_id: str
    other_youth_key: str
    other_org_id: str
    created_at: datetime
    status: MatchStatus = MatchStatus.OPEN
    coordinator_signal_id: str | None = None
    # Bumped on every change of coordinator: optimistic concurrency and one e-mail per change.
    coordinator_version: int = 0
    coordinated_at: datetime | None = None
    coordinated_by_org: str | None = None
    other_region: str | None = None
    other_party: PartyCard | None = None

    @property
    def is_remote(self) -> bool:
        return self.other_region is not None

    def mirrored(self) -> MatchSide:
        """The other party's side of the same match (a local match only)."""
        assert not self.is_remote, "a remote match has no side in this region for the other party"
        return self.model_copy(
            update={
                "signal_id": self.other_signal_id,
                "youth_key": self.other_youth_key,
                "org_id": self.other_org_id,
                "other_signal_id": self.signal_id,
                "other_youth_key": self.youth_key,
                "other_org_id": self.org_id,
            }
        )


class Notification(_Frozen):
    """One e-mail to one professional about one event of one match.

    It holds what the e-mail says (snapshotted when the event happened) and never the
    BSN, the youth's name or anything about why: those are not in the index at all.
    """

    notification_id: str
    match_id: str
    kind: MatchKind
    event: NotificationEvent
    sequence: int = 0  # COORDINATOR: the coordinator version; CONTACT: the moment of the handover (epoch s)
    recipient_youth_key: str
    recipient_signal_id: str
    recipient_client_reference: str
    recipient_name: str
    recipient_email: str
    other: PartyCard  # the other party of the match (for coordination: who acted)
    coordinator: PartyCard | None = None
    coordinator_is_recipient: bool = False
    created_at: datetime
    state: NotificationState = NotificationState.PENDING

    @property
    def event_tag(self) -> str:
        if self.event in _SEQUENCED:
            return f"{self.event.value.upper()}#{self.sequence}"
        return self.event.value.upper()


def notification_id_for(match_id: str, recipient_signal_id: str, event: NotificationEvent, sequence: int = 0) -> str:
    suffix = f"{event.value}-{sequence}" if event in _SEQUENCED else event.value
    return f"{match_id}:{recipient_signal_id}:{suffix}"
