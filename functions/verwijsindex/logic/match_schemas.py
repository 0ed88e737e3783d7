"""Request and response models of the match views and coordination (the HTTP boundary)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from verwijsindex.domain.matches import MatchKind, MatchStatus
from verwijsindex.domain.models import Contact, SignalStatus
from verwijsindex.logic.schemas import Strict


class Party(Strict):
    """The other professional of a match, as the match's parties see each other."""

    signal_id: str
    org_id: str
    organisation: str
    professional: Contact
    signal_status: SignalStatus | None = Field(
        description="The other signal's status; null for a professional of another region (not known here)."
    )
    region: str | None = Field(default=None, description="Set when the other professional is in another region.")


class Coordinator(Strict):
    signal_id: str
    org_id: str
    organisation: str
    professional: Contact


class MatchView(Strict):
    match_id: str
    kind: MatchKind = Field(description="client: the same youth; family: a brother or sister (gezinsmatch)")
    status: MatchStatus
    signal_id: str = Field(description="Your signal in this match.")
    other: Party
    coordinator: Coordinator | None = None
    created_at: datetime
    coordinated_at: datetime | None = None


class MatchList(Strict):
    items: list[MatchView]


class HistoryEntry(Strict):
    """A closed signal of another organisation on the same youth: who, and when."""

    org_id: str
    organisation: str
    active_from: date
    closed_on: date | None = None


class HistoryList(Strict):
    items: list[HistoryEntry]


class CoordinatorRequest(Strict):
    signal_id: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The signal of the party who becomes regievoerder: yours or the other party's.",
    )
