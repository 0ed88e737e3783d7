"""Signals: what the use cases read and write of them. Each write that changes a signal takes its audit
entry (and the statistics it adds to) and stores them in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import Notification
from verwijsindex.domain.models import Informed, Signal
from verwijsindex.domain.statistics import Tally
from verwijsindex.ports.families import ParentLinks
from verwijsindex.ports.work import SignalWork


class Arrival(StrEnum):
    """What became of an imported signal."""

    STORED = "stored"
    KNOWN = "known"  # a signal with this id is stored already (imported before)
    GUARDED = "guarded"  # the professional holds another active signal on this youth


class Transfer(StrEnum):
    DONE = "done"
    COVERED = "covered"  # the new professional already holds an active signal on this youth
    CHANGED = "changed"  # the signal was closed or handed over meanwhile: left as it is


@dataclass(frozen=True, kw_only=True)
class Placement:
    """A new signal placed by a professional, as one transaction: the signal, its audit entry, `parents` (the
    pseudonymous parent links, FamilyStore.parent_links) and the statistics it adds to."""

    signal: Signal
    audit: AuditEntry
    parents: ParentLinks | None = None
    counts: Sequence[Tally] = ()


@dataclass(frozen=True, kw_only=True)
class SignalImport:
    """A signal from another index, with its own dates and state, as one transaction: the signal, its audit entry and
    `parents` (the parent links, for an active one); a closed one is due for destruction on `archive_until`."""

    signal: Signal
    audit: AuditEntry
    parents: ParentLinks | None = None
    archive_until: date | None = None


class SignalStore(Protocol):
    # --- reads ---------------------------------------------------------------------------------

    def youth_signals(self, youth_key: str) -> list[Signal]:
        """Every signal on one youth."""
        ...

    def active_signal_of(self, youth_key: str, org_id: str, professional_id: str) -> Signal | None:
        """This professional's active signal on the youth."""
        ...

    def holds_youth(self, youth_key: str) -> bool:
        """Whether the index holds anything about the youth (its marker)."""
        ...

    def get_for_org(self, org_id: str, signal_id: str) -> Signal | None:
        """A signal only as seen from its own organisation: others cannot even address it."""
        ...

    def active_of_professional(self, org_id: str, professional_id: str) -> list[Signal]:
        """The organisation's active signals held by one professional (by lower-cased e-mail): an operator's occasional
        offboarding, never a professional's request."""
        ...

    def every_of_org(self, org_id: str) -> list[Signal]:
        """All of an organisation's signals, oldest first (an operator's export, never a professional's request)."""
        ...

    def list_for_org(self, org_id: str, limit: int, cursor: str | None) -> tuple[list[Signal], str | None]:
        """One page of the organisation's signals, newest first, and the opaque cursor of the next."""
        ...

    def exist(self, signals: Sequence[Signal]) -> tuple[set[str], set[tuple[str, str, str]]]:
        """Which of these signals are stored already (ids), and for which of the active ones the
        professional holds an active signal on the youth already (youth key, org id, professional id)."""
        ...

    # --- writes --------------------------------------------------------------------------------

    def create(self, placement: Placement) -> bool:
        """The placement in one transaction. False when this professional already has an active signal on the youth (a
        concurrent request won the race); nothing is written then."""
        ...

    def import_signal(self, imported: SignalImport) -> Arrival:
        """A signal from another index, with its youth marker, in one transaction: only if its id is new (KNOWN: a row
        imported before), and for an active one only if the professional holds no active signal on the youth
        (GUARDED). An active one is outstanding work for the match function, as placed."""
        ...

    def finish_work(self, youth_key: str, signal_id: str, flag: SignalWork) -> None:
        """The signal was matched (or published): no longer outstanding for that part."""
        ...

    def finish_removal(self, signal_id: str) -> None:
        """A destroyed signal's removal was published: its tombstone goes."""
        ...

    def close(self, closed: Signal, archive_until: date, audit: AuditEntry, counts: Sequence[Tally] = ()) -> None:
        """Active -> `closed` (`Signal.closed`) with its audit entry and statistics, in one transaction: the history
        stays, and the professional can place a new signal on the youth."""
        ...

    def set_informed(self, signal: Signal, informed: Informed, audit: AuditEntry) -> bool:
        """Records the confirmation on an active signal; False when it is no longer active."""
        ...

    def transfer(
        self, signal: Signal, taken: Signal, audit: AuditEntry, notes: Sequence[Notification] = ()
    ) -> Transfer:
        """An active signal to another professional of its organisation, or to a new contact of the same one: the
        signal, the e-mails to the other parties (notifications) and the audit entry in one transaction, only if the
        signal is unchanged and active (see Transfer)."""
        ...

    def destroy(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally] = ()) -> bool:
        """Gone without history (withdrawn as unjustified, 23rd birthday, death). False when it was gone already
        (destroyed meanwhile): then nothing is written or counted."""
        ...
