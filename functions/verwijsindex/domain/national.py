"""The national link (DESIGN.md, Regions and the national link): the events between regions
and the national index, as pydantic models at that boundary.

A region tells the national index three things, each keyed by the national pseudonym of
the youth (never a BSN, never the regional pseudonym):
- SignalActivated: an active signal, with what the other regions need to notify their
  professionals (organisation, professional contact) and the parents' national pseudonyms;
- SignalRemoved: the signal is no longer active (closed, expired, withdrawn, destroyed);
- YouthMoved: the BRP moved a youth with active signals to another municipality.
The national index answers with RemoteMatch (to each region of a new cross-region match)
and MoveNotice (to the region the youth moved into).
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from verwijsindex.domain.matches import MatchKind
from verwijsindex.domain.models import Contact, Frozen, Name, OrgId

REGION_SOURCE = "verwijsindex.region"
NATIONAL_SOURCE = "verwijsindex.national"

RegionCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$")]
NationalKey = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
SignalId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Municipality = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
# A youth has two parents in the BRP; a few more covers corrections and adoptions.
MAX_PARENTS = 4
# A move notice lists the youth's active signals; far more than any youth has.
MAX_LISTED_SIGNALS = 50
_NOTICE_NAMESPACE = uuid.UUID("6f1d7c3e-2b9a-4c55-8d0e-5a3b9e7f1c42")


class LinkedRegion(Frozen):
    """A region as the national index knows it: its AWS account (events from any other account
    are refused), its name in e-mails and its municipalities (CBS codes), for moves."""

    account: str = Field(pattern=r"^[0-9]{12}$")
    display_name: Name
    municipalities: tuple[Municipality, ...] = ()


class DetailType(StrEnum):
    SIGNAL_ACTIVATED = "SignalActivated"
    SIGNAL_REMOVED = "SignalRemoved"
    YOUTH_MOVED = "YouthMoved"
    REMOTE_MATCH = "RemoteMatch"
    MOVE_NOTICE = "MoveNotice"
    REMOTE_SIGNAL_DESTROYED = "RemoteSignalDestroyed"
    STATISTICS_COUNTED = "StatisticsCounted"
    NATIONAL_TOTALS = "NationalTotals"


class RemovalReason(StrEnum):
    CLOSED = "closed"  # ended, expired, objection: history in its region, gone nationally
    DESTROYED = "destroyed"  # withdrawn, purged, 23rd birthday, death


# --- region -> national ------------------------------------------------------------------------


class SignalActivated(Frozen):
    region: RegionCode  # the sender; the national index checks it against the event's account
    national_key: NationalKey
    signal_id: SignalId
    org_id: OrgId
    organisation: Name
    professional: Contact
    active_until: date
    parent_keys: tuple[NationalKey, ...] = Field(default=(), max_length=MAX_PARENTS)


class SignalRemoved(Frozen):
    region: RegionCode
    national_key: NationalKey
    signal_id: SignalId
    reason: RemovalReason
    active_until: date  # how long a late activation of this signal could still arrive


class YouthMoved(Frozen):
    region: RegionCode
    national_key: NationalKey
    municipality: Municipality
    moved_on: date


# --- national -> region ------------------------------------------------------------------------


class RemoteParty(Frozen):
    """The professional of another region, as a match e-mail or a move notice shows them."""

    region: RegionCode
    region_name: Name
    signal_id: SignalId
    org_id: OrgId
    organisation: Name
    professional: Contact


class RemoteMatch(Frozen):
    region: RegionCode  # the receiving region
    match_id: str = Field(min_length=36, max_length=36)
    kind: MatchKind
    signal_id: SignalId  # the receiving region's own signal
    org_id: OrgId
    other: RemoteParty


class MoveNotice(Frozen):
    region: RegionCode  # the region the youth moved into
    notice_id: str = Field(min_length=36, max_length=36)
    municipality: Municipality
    moved_on: date
    from_region: RegionCode
    from_region_name: Name
    signals: tuple[RemoteParty, ...] = Field(min_length=1, max_length=MAX_LISTED_SIGNALS)


class RemoteSignalDestroyed(Frozen):
    """A signal of another region was destroyed (withdrawn, purged, 23rd birthday, death): every
    region forgets its side of any match with it, as a local match would be forgotten. Sent to
    every other region: the national index keeps no record of who matched whom."""

    region: RegionCode  # the receiving region
    from_region: RegionCode
    signal_id: SignalId


# --- statistics (README "Statistics"): counts only, nothing about anyone ----------------------------

Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
CounterName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,40}$")]
# One region's counter item: 22 counters and the afgestemd histogram's day counts.
MAX_COUNTS = 1100


class StatisticsCounted(Frozen):
    """Region -> national: one of the region's counter items as it is now (a snapshot, so a
    repeated or late event changes nothing: the national index keeps the one with the larger sum,
    counters only grow). `cell` is the item's key within the month: municipality, organisation
    and age band, none of which names a person."""

    region: RegionCode
    month: Month
    cell: str = Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9#_-]+$")
    counts: dict[CounterName, Annotated[int, Field(ge=0)]] = Field(max_length=MAX_COUNTS)


class NationalTotals(Frozen):
    """National -> the region whose counts changed: the country's totals of one month, over every
    region that reported (cross-region matches counted once). `version` grows with every change."""

    region: RegionCode  # the receiving region
    month: Month
    version: int = Field(ge=0)
    regions: int = Field(ge=0)
    counts: dict[CounterName, Annotated[int, Field(ge=0)]] = Field(max_length=MAX_COUNTS)


def move_notice_id(national_key: str, municipality: str, moved_on: date) -> str:
    """One id per move: a repeated YouthMoved gives the same notice, e-mailed once."""
    return str(uuid.uuid5(_NOTICE_NAMESPACE, f"{national_key}|{municipality}|{moved_on.isoformat()}"))


RegionEvent = SignalActivated | SignalRemoved | YouthMoved | StatisticsCounted
NationalEvent = RemoteMatch | MoveNotice | RemoteSignalDestroyed | NationalTotals

DETAIL_MODELS: dict[DetailType, type[Frozen]] = {
    DetailType.SIGNAL_ACTIVATED: SignalActivated,
    DetailType.SIGNAL_REMOVED: SignalRemoved,
    DetailType.YOUTH_MOVED: YouthMoved,
    DetailType.REMOTE_MATCH: RemoteMatch,
    DetailType.MOVE_NOTICE: MoveNotice,
    DetailType.REMOTE_SIGNAL_DESTROYED: RemoteSignalDestroyed,
    DetailType.STATISTICS_COUNTED: StatisticsCounted,
    DetailType.NATIONAL_TOTALS: NationalTotals,
}


def detail_type_of(event: RegionEvent | NationalEvent) -> DetailType:
    return next(kind for kind, model in DETAIL_MODELS.items() if isinstance(event, model))


def source_of(event: RegionEvent | NationalEvent) -> str:
    region_events = SignalActivated | SignalRemoved | YouthMoved | StatisticsCounted
    return REGION_SOURCE if isinstance(event, region_events) else NATIONAL_SOURCE


def parse_detail(detail_type: str, detail: object) -> RegionEvent | NationalEvent:
    """The detail of a received event, validated by its detail-type (ValueError if unknown)."""
    model = DETAIL_MODELS[DetailType(detail_type)]
    parsed = model.model_validate(detail)
    assert isinstance(
        parsed,
        SignalActivated
        | SignalRemoved
        | YouthMoved
        | StatisticsCounted
        | RemoteMatch
        | MoveNotice
        | RemoteSignalDestroyed
        | NationalTotals,
    )
    return parsed
