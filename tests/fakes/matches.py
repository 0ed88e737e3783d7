"""In-memory MatchStore (functions/verwijsindex/ports/matches.py), sharing a FakeIndex with the other
fakes of the main table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from tests.fakes.index import FakeIndex, note_key
from verwijsindex.domain.matches import MatchSide, MatchStatus, Notification, NotificationState
from verwijsindex.domain.models import Signal
from verwijsindex.ports.matches import Coordination, CoordinatorNaming, NewMatch, SidesChange, YouthView
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
            unmatched=self.index.unmatched(youth_key),
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

    def _record(self, match: NewMatch) -> None:
        for note in match.notes:
            self.index.put_note(note)
        self.index.audit.extend(match.audits)
        self.index.tallies.extend(match.counts)

    def create_match(self, match: NewMatch) -> bool:
        both = (match.side, match.side.mirrored())
        if not self._absent(both, match.notes):
            return False
        for one in both:
            self.index.sides[_side_key(one)] = one
        self._record(match)
        return True

    def create_remote_match(self, match: NewMatch) -> bool:
        side = match.side
        assert side.other_region is not None
        if not self._absent((side,), match.notes):
            return False
        self.index.sides[_side_key(side)] = side
        ref = self.index.remote_refs.setdefault((side.other_region, side.other_signal_id), set())
        ref.add(_side_key(side))
        self._record(match)
        return True

    def _change_both(self, change: SidesChange, holds: Callable[[MatchSide], bool]) -> bool:
        """Both sides as `change` leaves them, with its notification and audit entries, if both still `hold`."""
        both = [_side_key(one) for one in (change.side, change.side.mirrored())]
        stored = [self.index.sides.get(key) for key in both]
        if any(s is None or not holds(s) for s in stored):
            return False
        notes = [change.note] if change.note is not None else []
        if not self._absent((), notes):
            return False
        for key, one in zip(both, stored, strict=True):
            assert one is not None
            self.index.sides[key] = change.applied_to(one)
        for note in notes:
            self.index.put_note(note)
        self.index.audit.extend(change.audits)
        return True

    def name_coordinator(self, naming: CoordinatorNaming) -> bool:
        return self._change_both(naming, lambda s: s.coordinator_version == naming.side.coordinator_version)

    def mark_coordinated(self, coordination: Coordination) -> bool:
        if not self._change_both(coordination, lambda s: s.status is MatchStatus.OPEN):
            return False
        self.index.tallies.extend(coordination.counts)
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
