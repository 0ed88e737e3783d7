"""In-memory MatchStore (functions/verwijsindex/ports/matches.py), sharing a FakeIndex with the other
fakes of the main table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from tests.fakes.index import FakeIndex, note_key
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import MatchSide, MatchStatus, Notification, NotificationState
from verwijsindex.domain.models import Signal
from verwijsindex.domain.statistics import Tally
from verwijsindex.ports.matches import YouthView
from verwijsindex.ports.work import SignalWork

State = NotificationState


def _side_key(side: MatchSide) -> tuple[str, str, str]:
    return side.youth_key, side.signal_id, side.match_id


class FakeMatchStore:
    def __init__(self, index: FakeIndex) -> None:
        self.index = index

    # --- reads ---------------------------------------------------------------------------------

    def signals_and_parents(self, youth_key: str) -> YouthView:
        signals = sorted(
            (s for (youth, _), s in self.index.signals.items() if youth == youth_key), key=lambda s: s.signal_id
        )
        return YouthView(
            youth_key=youth_key,
            signals=signals,
            parent_keys=self.index.parent_keys.get(youth_key, ()),
            linked_parent_keys=tuple(sorted(self.index.linked_parent_keys.get(youth_key, set()))),
        )

    def sides_of_signal(self, youth_key: str, signal_id: str) -> list[MatchSide]:
        found = [s for (y, sid, _), s in self.index.sides.items() if (y, sid) == (youth_key, signal_id)]
        return sorted(found, key=lambda s: s.match_id)

    def count_of_signal(self, youth_key: str, signal_id: str) -> int:
        return len(self.sides_of_signal(youth_key, signal_id))

    def sides_of_org(self, org_id: str) -> list[MatchSide]:
        return sorted((s for s in self.index.sides.values() if s.org_id == org_id), key=lambda s: s.match_id)

    def side_for_org(self, org_id: str, match_id: str) -> MatchSide | None:
        return next((s for s in self.sides_of_org(org_id) if s.match_id == match_id), None)

    def get_side(self, youth_key: str, signal_id: str, match_id: str) -> MatchSide | None:
        return self.index.sides.get((youth_key, signal_id, match_id))

    def get_signals(self, wanted: Iterable[tuple[str, str]], *, consistent: bool = False) -> dict[str, Signal]:
        found = (self.index.signals.get(key) for key in set(wanted))
        return {signal.signal_id: signal for signal in found if signal is not None}

    # --- writes --------------------------------------------------------------------------------

    def _absent(self, sides: Sequence[MatchSide], notes: Sequence[Notification]) -> bool:
        return not any(_side_key(s) in self.index.sides for s in sides) and not any(
            note_key(n) in self.index.notes for n in notes
        )

    def _record(self, notes: Sequence[Notification], audits: Sequence[AuditEntry], counts: Sequence[Tally]) -> None:
        for note in notes:
            self.index.put_note(note)
        self.index.audit.extend(audits)
        self.index.tallies.extend(counts)

    def create_match(
        self,
        side: MatchSide,
        notes: Sequence[Notification],
        audits: Sequence[AuditEntry],
        counts: Sequence[Tally] = (),
    ) -> bool:
        both = (side, side.mirrored())
        if not self._absent(both, notes):
            return False
        for one in both:
            self.index.sides[_side_key(one)] = one
        self._record(notes, audits, counts)
        return True

    def create_remote_match(
        self, side: MatchSide, note: Notification, audits: Sequence[AuditEntry], counts: Sequence[Tally] = ()
    ) -> bool:
        assert side.other_region is not None
        if not self._absent((side,), (note,)):
            return False
        self.index.sides[_side_key(side)] = side
        ref = self.index.remote_refs.setdefault((side.other_region, side.other_signal_id), set())
        ref.add(_side_key(side))
        self._record((note,), audits, counts)
        return True

    def _update_both(
        self, side: MatchSide, changes: dict[str, object], note: Notification | None, audits: Sequence[AuditEntry]
    ) -> None:
        for one in (side, side.mirrored()):
            stored = self.index.sides[_side_key(one)]
            self.index.sides[_side_key(one)] = stored.model_copy(update=changes)
        self._record([note] if note is not None else [], audits, ())

    def _stored_both(self, side: MatchSide) -> list[MatchSide] | None:
        stored = [self.index.sides.get(_side_key(one)) for one in (side, side.mirrored())]
        return None if any(s is None for s in stored) else [s for s in stored if s is not None]

    def name_coordinator(
        self,
        side: MatchSide,
        coordinator_signal_id: str,
        note: Notification | None,
        audits: Sequence[AuditEntry],
    ) -> bool:
        stored = self._stored_both(side)
        if stored is None or any(s.coordinator_version != side.coordinator_version for s in stored):
            return False
        if note is not None and not self._absent((), (note,)):
            return False
        changes: dict[str, object] = {
            "coordinator_signal_id": coordinator_signal_id,
            "coordinator_version": side.coordinator_version + 1,
        }
        self._update_both(side, changes, note, audits)
        return True

    def mark_coordinated(
        self,
        side: MatchSide,
        at: datetime,
        by_org: str,
        note: Notification | None,
        audits: Sequence[AuditEntry],
        counts: Sequence[Tally] = (),
    ) -> bool:
        stored = self._stored_both(side)
        if stored is None or any(s.status is not MatchStatus.OPEN for s in stored):
            return False
        if note is not None and not self._absent((), (note,)):
            return False
        changes: dict[str, object] = {
            "status": MatchStatus.COORDINATED,
            "coordinated_at": at,
            "coordinated_by_org": by_org,
        }
        self._update_both(side, changes, note, audits)
        self.index.tallies.extend(counts)
        return True

    # --- notification delivery -----------------------------------------------------------------

    def claim_notification(
        self, note: Notification, token: str, now: datetime, *, claimed_before: datetime | None = None
    ) -> NotificationState | None:
        delivery = self.index.notes.get(note_key(note))
        return None if delivery is None else delivery.claim(token, now, claimed_before=claimed_before)

    def _finish(self, note: Notification, final: NotificationState, token: str) -> bool:
        key = note_key(note)
        delivery = self.index.notes.get(key)
        if delivery is None or not delivery.finish(final, token):
            return False
        self.index.work.pop(("note", *key), None)
        return True

    def release_notification(self, note: Notification, token: str) -> None:
        delivery = self.index.notes.get(note_key(note))
        if delivery is not None:
            delivery.release(token)

    def mark_sent(self, note: Notification, token: str, message_id: str, now: datetime) -> bool:
        return self._finish(note, State.SENT, token)

    def set_undeliverable(self, note: Notification, token: str) -> bool:
        return self._finish(note, State.UNDELIVERABLE, token)

    def set_bounced(self, youth_key: str, match_id: str, signal_id: str, event_tag: str) -> bool:
        key = (youth_key, match_id, signal_id, event_tag)
        delivery = self.index.notes.get(key)
        if delivery is None or not delivery.finish(State.BOUNCED, None):
            return False
        self.index.work.pop(("note", *key), None)
        return True

    def finish_matching(self, youth_key: str, signal_id: str) -> None:
        self.index.finish_signal_work(youth_key, signal_id, SignalWork.MATCH)

    # --- destruction ---------------------------------------------------------------------------

    def forget_signal(self, youth_key: str, signal_id: str) -> int:
        return self.index.forget_matches(self.sides_of_signal(youth_key, signal_id))

    def forget_remote_signal(self, region: str, signal_id: str) -> int:
        refs = self.index.remote_refs.pop((region, signal_id), set())
        sides = [self.index.sides[ref] for ref in sorted(refs) if ref in self.index.sides]
        orphans = {ref[2] for ref in refs} - {side.match_id for side in sides}
        return self.index.forget_matches(sides) + len(orphans)
