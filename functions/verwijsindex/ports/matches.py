"""Match sides and their notifications: what matching, the match views and the national link read
and write. Every write that must happen once is conditional (False: it happened already)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import MatchSide, Notification, NotificationState
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

    def signal(self, signal_id: str) -> Signal | None:
        return next((s for s in self.signals if s.signal_id == signal_id), None)


class MatchStore(Protocol):
    # --- reads ---------------------------------------------------------------------------------

    def signals_and_parents(self, youth_key: str) -> YouthView:
        """A youth's signals and parents (not its matches), strongly consistent."""
        ...

    def sides_of_signal(self, youth_key: str, signal_id: str) -> list[MatchSide]: ...

    def count_of_signal(self, youth_key: str, signal_id: str) -> int: ...

    def sides_of_org(self, org_id: str) -> list[MatchSide]: ...

    def side_for_org(self, org_id: str, match_id: str) -> MatchSide | None:
        """A match only as seen from a party's organisation: others cannot even address it."""
        ...

    def get_side(self, youth_key: str, signal_id: str, match_id: str) -> MatchSide | None: ...

    def get_signals(self, wanted: Iterable[tuple[str, str]], *, consistent: bool = False) -> dict[str, Signal]:
        """Signals by (youth_key, signal_id); missing ones are left out."""
        ...

    # --- writes --------------------------------------------------------------------------------

    def create_match(
        self,
        side: MatchSide,
        notes: Sequence[Notification],
        audits: Sequence[AuditEntry],
        counts: Sequence[Tally] = (),
    ) -> bool: ...

    def create_remote_match(
        self, side: MatchSide, note: Notification, audits: Sequence[AuditEntry], counts: Sequence[Tally] = ()
    ) -> bool: ...

    def name_coordinator(
        self,
        side: MatchSide,
        coordinator_signal_id: str,
        note: Notification | None,
        audits: Sequence[AuditEntry],
    ) -> bool: ...

    def mark_coordinated(  # noqa: PLR0917 - one transaction, each part named
        self,
        side: MatchSide,
        at: datetime,
        by_org: str,
        note: Notification | None,
        audits: Sequence[AuditEntry],
        counts: Sequence[Tally] = (),
    ) -> bool: ...

    # --- notification delivery -----------------------------------------------------------------

    def claim_notification(
        self, note: Notification, token: str, now: datetime, *, claimed_before: datetime | None = None
    ) -> NotificationState | None: ...

    def release_notification(self, note: Notification, token: str) -> None: ...

    def mark_sent(self, note: Notification, token: str, message_id: str, now: datetime) -> bool: ...

    def set_undeliverable(self, note: Notification, token: str) -> bool: ...

    def set_bounced(self, youth_key: str, match_id: str, signal_id: str, event_tag: str) -> bool: ...

    def finish_matching(self, youth_key: str, signal_id: str) -> None: ...

    # --- destruction ---------------------------------------------------------------------------

    def forget_signal(self, youth_key: str, signal_id: str) -> int:
        """Every match of one signal, both sides and their notifications. Returns items deleted."""
        ...

    def forget_remote_signal(self, region: str, signal_id: str) -> int: ...
