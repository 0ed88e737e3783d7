"""Outstanding work: what the stream drives, kept while it is outstanding so the sweeper finds what the
stream lost, and handed to the operator when the sweeper gives up (logic/reconciliation.py,
logic/stuck_work.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from verwijsindex.domain.matches import Notification
from verwijsindex.domain.models import Signal


class WorkKind(StrEnum):
    """The kind of work: signal (to match, or to publish to the national index that it became active or
    closed), removal (a destroyed signal's removal to publish), delivery (an e-mail to deliver), address
    (an undeliverable address with e-mails held back)."""

    SIGNAL = "signal"  # a signal not yet matched, or its activation or closing not yet published nationally
    REMOVAL = "removal"  # a destroyed signal whose removal is not yet published (a linked region's tombstone)
    DELIVERY = "delivery"  # a notification not yet delivered
    # An undeliverable address with e-mails held back: never rerun by the sweeper, only ever on the
    # operator's list, until the professional is registered again.
    ADDRESS = "address"


# What the sweeper runs again; the rest is for the operator only.
RERUN_KINDS = (WorkKind.SIGNAL, WorkKind.REMOVAL, WorkKind.DELIVERY)


class SignalWork(StrEnum):
    """The parts of a signal's work that can be outstanding (a flag on the signal while they are)."""

    MATCH = "match_pending"
    PUBLISH = "publish_pending"


@dataclass(frozen=True)
class Tombstone:
    """A destroyed signal in a linked region: what the national index needs to forget it (its national
    pseudonym, id and last active day; no contact, no regional pseudonym)."""

    signal_id: str
    national_key: str
    active_until: date


@dataclass(frozen=True)
class OutstandingWork:
    """One unit of outstanding work as the sweeper sees it. `ref` is the store's own handle to the item
    (opaque to the rules: hand it back to the store); exactly one of notification, signal, tombstone
    is set, by kind."""

    kind: WorkKind
    ref: object
    attempts: int
    notification: Notification | None = None
    signal: Signal | None = None
    pending: frozenset[SignalWork] = field(default_factory=frozenset)
    tombstone: Tombstone | None = None


@dataclass(frozen=True)
class StuckWork:
    """One unit of work on the operator's list: since when, how many attempts (for an address, the
    e-mails held back), and `ref` (opaque, for the store to seal as a reference)."""

    since: datetime
    attempts: int
    ref: object


class WorkStore(Protocol):
    def overdue(self, kind: WorkKind, before: datetime, limit: int) -> list[OutstandingWork]:
        """At most `limit` units of outstanding work of one kind that started before `before`, oldest first."""
        ...

    def count_attempt(self, work: OutstandingWork) -> int | None:
        """One more attempt by the sweeper, counted before it runs (a crash still counts): the attempts so far. None
        when the work was finished meanwhile."""
        ...

    def give_up(self, work: OutstandingWork) -> bool:
        """Moves still outstanding work to the operator's list; False when it was finished meanwhile."""
        ...

    def drop(self, work: OutstandingWork) -> None:
        """Takes an item out of the outstanding work (its work is done, or it cannot be done any more)."""
        ...

    def count_stuck(self, kinds: Iterable[WorkKind]) -> int: ...

    def stuck(self, kind: WorkKind, limit: int, cursor: str | None = None) -> tuple[list[StuckWork], str | None]:
        """One page of what the sweeper gave up on (or, for addresses, what was held back), oldest first, for the
        operator, and the opaque cursor of the next page (None: last), which opens only for `kind`."""
        ...

    def reference(self, work: StuckWork) -> str:
        """An opaque reference to the item, which only `open_reference` opens again; it shows no pseudonym, id or
        address."""
        ...

    def open_reference(self, reference: str) -> dict[str, Any]:
        """What a reference stands for (for whoever maintains the index; 422 if forged)."""
        ...
