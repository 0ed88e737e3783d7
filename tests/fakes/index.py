"""The state the fakes of the main table's ports share, as one index would: signals, match sides,
notifications, parent links and the outstanding work they carry, with the audit entries and
statistics written with them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.lifecycle import RenewalNotice
from verwijsindex.domain.matches import MatchSide, MatchStatus, Notification, NotificationState
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
class Renewal(Mail):
    """The renewal notice of an expired signal; due (in the due-day index) until sent or undeliverable."""

    notice: RenewalNotice = field(kw_only=True)
    due: date | None = field(kw_only=True)


@dataclass
class Marker:
    """The youth's marker: written with each of its signals, due on the 23rd birthday; the BRP's
    last move recorded on it, kept when the youth is signalled again."""

    destroy_on: date
    municipality: str | None = None
    moved_on: date | None = None


@dataclass
class FakeIndex:
    signals: dict[tuple[str, str], Signal] = field(default_factory=dict)  # (youth key, signal id)
    guards: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (youth, org, professional) -> id
    markers: dict[str, Marker] = field(default_factory=dict)
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
    archive: dict[tuple[str, str], date] = field(default_factory=dict)  # closed signal -> its archive's end
    renewals: dict[tuple[str, str], Renewal] = field(default_factory=dict)  # (youth, signal id)
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

    def unmatched(self, youth_key: str) -> set[str]:
        """The youth's signals whose matching is outstanding, as the flag on the signal item shows it."""
        return {sid for (youth, sid), flags in self.pending.items() if youth == youth_key and SignalWork.MATCH in flags}

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

    # --- what several stores write alike ------------------------------------------------------

    def close_signal(self, closed: Signal, archive_until: date, publish_since: datetime | None) -> None:
        """Active -> closed: due in the archive, its guard gone, what it owed ended (the item is
        written anew); in a linked region it owes the national index its removal from `publish_since`."""
        key = (closed.youth_key, closed.signal_id)
        self.signals[key] = closed
        self.archive[key] = archive_until
        self.guards.pop(guard_of(closed), None)
        self.pending.pop(key, None)
        self.work.pop(("signal", *key), None)
        if publish_since is not None:
            self.signal_work(closed, publish_since, SignalWork.PUBLISH)

    def drop_signal(self, youth_key: str, signal_id: str) -> Signal | None:
        """The signal's item deleted, and with it what it owed; its guard is another item."""
        key = (youth_key, signal_id)
        self.pending.pop(key, None)
        self.work.pop(("signal", *key), None)
        self.archive.pop(key, None)
        return self.signals.pop(key, None)

    def owe_removal(self, signal: Signal, at: datetime) -> None:
        """In a linked region: the tombstone the national index is owed for a destroyed signal."""
        self.tombstones[signal.signal_id] = (signal.national_key, signal.active_until.isoformat())
        self.add_work(("removal", signal.signal_id), at)

    def forget_matches(self, sides: Iterable[MatchSide]) -> int:
        return self.delete(match_items(sides))

    def partition_items(self, youth_key: str) -> list[Item]:
        """Every item of the youth's partition in the table: its signals, marker, guards, match sides,
        notifications, renewal notices and parents."""
        y = youth_key
        items: list[Item] = [("signal", y, sid) for (youth, sid) in self.signals if youth == y]
        items += [("marker", y)] if y in self.markers else []
        items += [("guard", *key) for key in self.guards if key[0] == y]
        items += [("side", *key) for key in self.sides if key[0] == y]
        items += [("note", *key) for key in self.notes if key[0] == y]
        items += [("renewal", *key) for key in self.renewals if key[0] == y]
        parents = (self.parent_keys, self.national_parent_keys, self.linked_parent_keys)
        items += [("parents", y)] if any(y in found for found in parents) else []
        return items

    def delete(self, items: Iterable[Item]) -> int:
        """Deletes items by their key, whether or not one is there; returns the keys deleted (each once),
        as a batch of deletes in the table would."""
        doomed = list(dict.fromkeys(items))
        for item in doomed:
            self._delete(item)
        return len(doomed)

    def _delete(self, item: Item) -> None:
        kind, rest = item[0], item[1:]
        if kind == "signal":
            self.drop_signal(rest[0], rest[1])
        elif kind == "marker":
            self.markers.pop(rest[0], None)
        elif kind == "guard":
            self.guards.pop((rest[0], rest[1], rest[2]), None)
        elif kind == "side":
            self.sides.pop((rest[0], rest[1], rest[2]), None)
        elif kind == "note":
            self.notes.pop((rest[0], rest[1], rest[2], rest[3]), None)
            self.work.pop(("note", *rest), None)
        elif kind == "renewal":
            self.renewals.pop((rest[0], rest[1]), None)
        elif kind == "parents":
            for found in (self.parent_keys, self.national_parent_keys, self.linked_parent_keys):
                found.pop(rest[0], None)
        elif kind == "child":
            self.children.get(rest[0], set()).discard(rest[1])
        else:
            refs = self.remote_refs.get((rest[0], rest[1]), set())
            refs.difference_update({r for r in refs if r[2] == rest[2]})


# An item of the table, by its key: ("signal", youth, signal id), ("marker", youth), ("guard", youth, org,
# professional), ("side", youth, signal id, match id), ("note", *note key), ("renewal", youth, signal
# id), ("parents", youth), ("child", parent key, youth), ("ref", region, signal id, match id).
Item = tuple[str, ...]


def match_items(sides: Iterable[MatchSide]) -> list[Item]:
    """Every item of these matches, derived from each side: both sides (a remote match has only this
    region's), the notifications each party can have had, the remote reference."""
    items: list[Item] = []
    for side in sides:
        for party in (side,) if side.is_remote else (side, side.mirrored()):
            items.append(("side", party.youth_key, party.signal_id, party.match_id))
            items += [("note", party.youth_key, party.match_id, party.signal_id, tag) for tag in note_tags(party)]
        if side.other_region is not None:
            items.append(("ref", side.other_region, side.other_signal_id, side.match_id))
    return items


def guard_of(signal: Signal) -> tuple[str, str, str]:
    return signal.youth_key, signal.org_id, signal.professional_id


def note_tags(party: MatchSide) -> list[str]:
    """The notifications a match can have sent to `party`'s owner: the match, each coordinator named,
    the coordination."""
    tags = ["MATCH", *(f"COORDINATOR#{n}" for n in range(1, party.coordinator_version + 1))]
    if party.status is MatchStatus.COORDINATED:
        tags.append("COORDINATED")
    return tags


def note_key(note: Notification) -> tuple[str, str, str, str]:
    return note.recipient_youth_key, note.match_id, note.recipient_signal_id, note.event_tag
