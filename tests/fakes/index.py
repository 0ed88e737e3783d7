"""The state the fakes of the main table's ports share, as one index would: signals, match sides,
notifications, parent links and the outstanding work they carry, with the audit entries and
statistics written with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import MatchSide, Notification, NotificationState
from verwijsindex.domain.models import Signal
from verwijsindex.domain.statistics import Tally
from verwijsindex.ports.work import SignalWork, WorkKind


@dataclass
class Work:
    """Outstanding work on one item: its kind, since when, the sweeper's attempts, and whether it was
    handed to the operator."""

    kind: WorkKind
    since: datetime
    attempts: int = 0
    stuck: bool = False

    @property
    def order(self) -> str:
        return self.since.astimezone(UTC).isoformat()


@dataclass
class Mail:
    """One e-mail's delivery, as adapters/dynamo/delivery.py keeps it on its item: pending -> sending
    (claimed under a token) -> sent; a refused send goes back to pending; a claim left by an ended
    invocation may be taken over under another token."""

    state: NotificationState = NotificationState.PENDING
    token: str | None = None
    claimed_at: datetime | None = None
    attempts: int = 0

    def claim(
        self, token: str, now: datetime | None = None, *, claimed_before: datetime | None = None
    ) -> NotificationState | None:
        """The state it was claimed from, or None when it is not pending nor another's claim (or
        another's claim made at or after `claimed_before`)."""
        taken_over = self.state is NotificationState.SENDING and self.token != token
        if taken_over and claimed_before is not None:
            taken_over = self.claimed_at is not None and self.claimed_at < claimed_before
        if self.state is not NotificationState.PENDING and not taken_over:
            return None
        before = self.state
        self.state, self.token, self.claimed_at = NotificationState.SENDING, token, now
        self.attempts += 1
        return before

    def release(self, token: str) -> None:
        if (self.state, self.token) == (NotificationState.SENDING, token):
            self.state, self.token = NotificationState.PENDING, None

    def finish(self, final: NotificationState, token: str | None) -> bool:
        """Ends delivery in `final`: under our own claim when `token` is given, else whatever it was."""
        if token is not None and (self.state, self.token) != (NotificationState.SENDING, token):
            return False
        self.state, self.token = final, None
        return True


@dataclass
class Delivery(Mail):
    note: Notification = field(kw_only=True)


@dataclass
class FakeIndex:
    signals: dict[tuple[str, str], Signal] = field(default_factory=dict)  # (youth key, signal id)
    guards: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (youth, org, professional) -> id
    markers: set[str] = field(default_factory=set)
    parent_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    linked_parent_keys: dict[str, set[str]] = field(default_factory=dict)
    national_parent_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    children: dict[str, set[str]] = field(default_factory=dict)  # parent key -> youth keys
    sides: dict[tuple[str, str, str], MatchSide] = field(default_factory=dict)  # (youth, signal, match)
    notes: dict[tuple[str, str, str, str], Delivery] = field(default_factory=dict)  # (youth, match, signal, tag)
    remote_refs: dict[tuple[str, str], set[tuple[str, str, str]]] = field(default_factory=dict)
    # Outstanding work by the item it is on: ("signal", youth, id), ("note", *note key), ("removal", id).
    work: dict[tuple[str, ...], Work] = field(default_factory=dict)
    pending: dict[tuple[str, str], set[SignalWork]] = field(default_factory=dict)  # signal -> flags
    tombstones: dict[str, tuple[str, str]] = field(default_factory=dict)  # signal id -> (national key, until)
    audit: list[AuditEntry] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)

    def signal_work(self, signal: Signal, since: datetime, *flags: SignalWork) -> None:
        if not flags:
            return
        key = (signal.youth_key, signal.signal_id)
        self.pending.setdefault(key, set()).update(flags)
        self.work[("signal", *key)] = Work(WorkKind.SIGNAL, since)

    def finish_signal_work(self, youth_key: str, signal_id: str, flag: SignalWork) -> None:
        flags = self.pending.get((youth_key, signal_id))
        if flags is None or flag not in flags:
            return
        flags.discard(flag)
        if not flags:
            del self.pending[(youth_key, signal_id)]
            self.work.pop(("signal", youth_key, signal_id), None)

    def add_work(self, item: tuple[str, ...], since: datetime, kind: WorkKind = WorkKind.REMOVAL) -> None:
        self.work[item] = Work(kind, since)

    def put_note(self, note: Notification) -> bool:
        """A notification, pending delivery (outstanding work until it is sent); False when it exists."""
        key = note_key(note)
        if key in self.notes:
            return False
        self.notes[key] = Delivery(note.state, note=note)
        if note.state is NotificationState.PENDING:
            self.work[("note", *key)] = Work(WorkKind.DELIVERY, note.created_at)
        return True


def note_key(note: Notification) -> tuple[str, str, str, str]:
    return note.recipient_youth_key, note.match_id, note.recipient_signal_id, note.event_tag
