"""Match sides and their notifications: what matching, the match views and the national link read
and write. Every write that must happen once is conditional (False: it happened already)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import MatchSide, MatchStatus, Notification, NotificationState
from verwijsindex.domain.models import Signal
from verwijsindex.domain.statistics import Tally


@dataclass
class YouthView:
    """What the matcher needs from one youth: its signals, its parents (as pseudonyms) and its match sides."""

    youth_key: str
    signals: list[Signal] = field(default_factory=list)
    parent_keys: tuple[str, ...] = ()
    linked_parent_keys: tuple[str, ...] = ()
    sides: list[MatchSide] = field(default_factory=list)
    # The signals whose matching is still outstanding work (flagged when placed or imported, until
    # `finish_matching`): the matcher clears only a flag it read, never one that is not there.
    unmatched: set[str] = field(default_factory=set)

    def signal(self, signal_id: str) -> Signal | None:
        return next((s for s in self.signals if s.signal_id == signal_id), None)


@dataclass(frozen=True, kw_only=True)
class NewMatch:
    """A match found, as one transaction: its side (both sides for a match within the region, this region's side for
    one across regions), the notifications to the parties, the audit entries and the statistics it adds to."""

    side: MatchSide
    notes: Sequence[Notification]
    audits: Sequence[AuditEntry]
    counts: Sequence[Tally] = ()


@dataclass(frozen=True, kw_only=True)
class SidesChange(ABC):
    """A change to both sides of a match, as one transaction, only if `side` (as read) still holds: with the
    notification to the other party (None: nobody is e-mailed, as on an import) and the audit entries."""

    side: MatchSide
    note: Notification | None
    audits: Sequence[AuditEntry]

    @abstractmethod
    def changes(self) -> dict[str, object]:
        """The fields of a side this change sets."""

    def applied_to(self, side: MatchSide) -> MatchSide:
        """`side` as the change leaves it."""
        return side.model_copy(update=self.changes())


@dataclass(frozen=True, kw_only=True)
class CoordinatorNaming(SidesChange):
    """A party names the coordinator (regievoerder): one of the match's two signals."""

    coordinator_signal_id: str

    def changes(self) -> dict[str, object]:
        return {
            "coordinator_signal_id": self.coordinator_signal_id,
            "coordinator_version": self.side.coordinator_version + 1,
        }


@dataclass(frozen=True, kw_only=True)
class Coordination(SidesChange):
    """A party marks the match coordinated (afgestemd) at `at`, with the statistics it adds to."""

    at: datetime
    by_org: str
    counts: Sequence[Tally] = ()

    def changes(self) -> dict[str, object]:
        return {"status": MatchStatus.COORDINATED, "coordinated_at": self.at, "coordinated_by_org": self.by_org}


class MatchStore(Protocol):
    # --- reads ---------------------------------------------------------------------------------

    def signals_and_parents(self, youth_key: str) -> YouthView:
        """A youth's signals and parents only, not its matches and notifications, strongly consistent: what an
        activation reads, for the youth and for each sibling."""
        ...

    def sides_of_signal(self, youth_key: str, signal_id: str) -> list[MatchSide]: ...

    def count_of_signal(self, youth_key: str, signal_id: str) -> int:
        """How many matches a signal has, without reading them."""
        ...

    def sides_of_org(self, org_id: str) -> list[MatchSide]:
        """Every match side of an organisation's signals (an operator's export)."""
        ...

    def side_for_org(self, org_id: str, match_id: str) -> MatchSide | None:
        """A match only as seen from a party's organisation: others cannot even address it."""
        ...

    def get_side(self, youth_key: str, signal_id: str, match_id: str) -> MatchSide | None: ...

    def get_signals(self, wanted: Iterable[tuple[str, str]], *, consistent: bool = False) -> dict[str, Signal]:
        """Signals by (youth_key, signal_id); missing ones are left out."""
        ...

    # --- writes --------------------------------------------------------------------------------

    def create_match(self, match: NewMatch) -> bool:
        """Both sides, their notifications, audit entries and statistics in one transaction. False when the match
        already exists (a duplicate delivery or the other signal's processing wrote it first); nothing is written
        then."""
        ...

    def create_remote_match(self, match: NewMatch) -> bool:
        """This region's side of a match across regions (`match.side`), its notification, audit entries and
        statistics, in one transaction; False (nothing written) when it exists already (a repeated event)."""
        ...

    def name_coordinator(self, naming: CoordinatorNaming) -> bool:
        """Sets the coordinator on both sides if nobody changed it since `naming.side` was read (False otherwise)."""
        ...

    def mark_coordinated(self, coordination: Coordination) -> bool:
        """Open -> coordinated on both sides, with the statistics; False when it already was."""
        ...

    # --- notification delivery -----------------------------------------------------------------

    def claim_notification(
        self, note: Notification, token: str, now: datetime, *, claimed_before: datetime | None = None
    ) -> NotificationState | None:
        """pending -> sending under `token`; also takes over a claim left by another (ended) invocation, only one made
        before `claimed_before` when given. Returns the state it was in, or None when it is sent, already ours, or
        claimed too recently."""
        ...

    def release_notification(self, note: Notification, token: str) -> None:
        """sending -> pending after SES refused it, so the retry of the record sends it."""
        ...

    def mark_sent(self, note: Notification, token: str, message_id: str, now: datetime) -> bool: ...

    def set_undeliverable(self, note: Notification, token: str) -> bool:
        """sending (our claim) -> undeliverable: not sent, the address is known to bounce."""
        ...

    def set_bounced(self, youth_key: str, match_id: str, signal_id: str, event_tag: str) -> bool:
        """sent -> bounced, after SES reported a permanent bounce or a complaint."""
        ...

    def finish_matching(self, youth_key: str, signal_id: str) -> None:
        """The signal was matched: no longer outstanding for the match function (nothing changes when it was not)."""
        ...

    # --- destruction ---------------------------------------------------------------------------

    def forget_signal(self, youth_key: str, signal_id: str) -> int:
        """Every match of one signal, both sides and all their notifications, in both partitions. Idempotent; call it
        when a signal is destroyed. Returns items deleted."""
        ...

    def forget_remote_signal(self, region: str, signal_id: str) -> int:
        """This region's sides (and notifications) of matches with a signal of another region that was destroyed there.
        Idempotent. Returns items deleted."""
        ...
