"""In-memory SignalStore (functions/verwijsindex/ports/signals.py), sharing a FakeIndex with the other
fakes of the main table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tests.fakes.index import FakeIndex, Marker, guard_of
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.domain.matches import Notification
from verwijsindex.domain.models import Informed, Signal
from verwijsindex.domain.statistics import Tally
from verwijsindex.ports.families import ParentLinks
from verwijsindex.ports.signals import Arrival, Placement, SignalImport, Transfer
from verwijsindex.ports.work import SignalWork


class StateChanged(RuntimeError):
    """A conditional write found the signal no longer as it was read (DynamoDB cancels the transaction)."""


class FakeSignalStore:
    def __init__(self, index: FakeIndex, *, national_link: bool = False) -> None:
        self.index = index
        self._new_work = (SignalWork.MATCH, SignalWork.PUBLISH) if national_link else (SignalWork.MATCH,)
        self._national_link = national_link

    # --- reads ---------------------------------------------------------------------------------

    def _of_org(self, org_id: str) -> list[Signal]:
        return sorted((s for s in self.index.signals.values() if s.org_id == org_id), key=lambda s: s.signal_id)

    def youth_signals(self, youth_key: str) -> list[Signal]:
        found = [s for (youth, _), s in self.index.signals.items() if youth == youth_key]
        return sorted(found, key=lambda s: s.signal_id)

    def active_signal_of(self, youth_key: str, org_id: str, professional_id: str) -> Signal | None:
        signal_id = self.index.guards.get((youth_key, org_id, professional_id))
        signal = self.index.signals.get((youth_key, signal_id)) if signal_id else None
        return signal if signal is not None and signal.is_active else None

    def holds_youth(self, youth_key: str) -> bool:
        return youth_key in self.index.markers

    def get_for_org(self, org_id: str, signal_id: str) -> Signal | None:
        return next((s for s in self._of_org(org_id) if s.signal_id == signal_id), None)

    def active_of_professional(self, org_id: str, professional_id: str) -> list[Signal]:
        return [s for s in self._of_org(org_id) if s.professional_id == professional_id and s.is_active]

    def every_of_org(self, org_id: str) -> list[Signal]:
        return self._of_org(org_id)

    def list_for_org(self, org_id: str, limit: int, cursor: str | None) -> tuple[list[Signal], str | None]:
        newest_first = list(reversed(self._of_org(org_id)))
        start = 0
        if cursor:
            scope, _, after = cursor.partition("|")
            if scope != org_id or not any(s.signal_id == after for s in newest_first):
                raise Unprocessable("cursor is not valid", field="cursor")
            start = next(n for n, s in enumerate(newest_first) if s.signal_id == after) + 1
        page = newest_first[start : start + limit]
        more = start + limit < len(newest_first)
        return page, (f"{org_id}|{page[-1].signal_id}" if page and more else None)

    def exist(self, signals: Sequence[Signal]) -> tuple[set[str], set[tuple[str, str, str]]]:
        ids = {s.signal_id for s in signals if (s.youth_key, s.signal_id) in self.index.signals}
        guards = {guard_of(s) for s in signals if s.is_active and guard_of(s) in self.index.guards}
        return ids, guards

    # --- writes --------------------------------------------------------------------------------

    def _store(self, signal: Signal, audit: AuditEntry, parents: ParentLinks | None) -> None:
        self.index.signals[(signal.youth_key, signal.signal_id)] = signal
        if signal.is_active:
            self.index.guards[guard_of(signal)] = signal.signal_id
        marker = self.index.markers.setdefault(signal.youth_key, Marker(signal.destroy_on))
        marker.destroy_on = signal.destroy_on  # the move recorded on it stays
        self.index.audit.append(audit)
        if parents is not None:
            youth = parents.youth_key
            self.index.parent_keys[youth] = parents.parent_keys
            self.index.national_parent_keys[youth] = parents.national_parent_keys
            self.index.linked_parent_keys.setdefault(youth, set()).update(parents.parent_keys)
            for parent_key in parents.parent_keys:
                self.index.children.setdefault(parent_key, set()).add(youth)

    def create(self, placement: Placement) -> bool:
        signal = placement.signal
        if (signal.youth_key, signal.signal_id) in self.index.signals or guard_of(signal) in self.index.guards:
            return False
        self._store(signal, placement.audit, placement.parents)
        self.index.signal_work(signal, signal.created_at, *self._new_work)
        self.index.tallies.extend(placement.counts)
        return True

    def import_signal(self, imported: SignalImport) -> Arrival:
        signal, archive_until = imported.signal, imported.archive_until
        if (signal.youth_key, signal.signal_id) in self.index.signals:
            return Arrival.KNOWN
        if signal.is_active and guard_of(signal) in self.index.guards:
            return Arrival.GUARDED
        assert signal.is_active or archive_until is not None, "a closed signal is due in the archive"
        self._store(signal, imported.audit, imported.parents)
        if signal.is_active:
            self.index.signal_work(signal, signal.created_at, *self._new_work)
        elif archive_until is not None:
            self.index.archive[(signal.youth_key, signal.signal_id)] = archive_until
        return Arrival.STORED

    def finish_work(self, youth_key: str, signal_id: str, flag: SignalWork) -> None:
        self.index.finish_signal_work(youth_key, signal_id, flag)

    def finish_removal(self, signal_id: str) -> None:
        self.index.tombstones.pop(signal_id, None)
        self.index.work.pop(("removal", signal_id), None)

    def close(self, closed: Signal, archive_until: date, audit: AuditEntry, counts: Sequence[Tally] = ()) -> None:
        stored = self.index.signals.get((closed.youth_key, closed.signal_id))
        if stored is None or not stored.is_active:
            raise StateChanged(closed.signal_id)
        self.index.close_signal(closed, archive_until, audit.at if self._national_link else None)
        self.index.audit.append(audit)
        self.index.tallies.extend(counts)

    def set_informed(self, signal: Signal, informed: Informed, audit: AuditEntry) -> bool:
        stored = self.index.signals.get((signal.youth_key, signal.signal_id))
        if stored is None or not stored.is_active:
            return False
        self.index.signals[(signal.youth_key, signal.signal_id)] = stored.model_copy(update={"informed": informed})
        self.index.audit.append(audit)
        return True

    def transfer(
        self, signal: Signal, taken: Signal, audit: AuditEntry, notes: Sequence[Notification] = ()
    ) -> Transfer:
        stored = self.index.signals.get((signal.youth_key, signal.signal_id))
        if stored is None or not stored.is_active or stored.professional_id != signal.professional_id:
            return Transfer.CHANGED
        moving = taken.professional_id != signal.professional_id
        if moving and guard_of(taken) in self.index.guards:
            return Transfer.COVERED
        self.index.signals[(signal.youth_key, signal.signal_id)] = taken
        if moving:
            self.index.guards.pop(guard_of(signal), None)
            self.index.guards[guard_of(taken)] = taken.signal_id
        self.index.audit.append(audit)
        for note in notes:
            self.index.put_note(note)
        return Transfer.DONE

    def destroy(self, signal: Signal, audit: AuditEntry, counts: Sequence[Tally] = ()) -> bool:
        if self.index.drop_signal(signal.youth_key, signal.signal_id) is None:
            return False
        if signal.is_active:  # a closed one's guard, if any, is the professional's newer signal's
            self.index.guards.pop(guard_of(signal), None)
        self.index.audit.append(audit)
        if self._national_link:
            self.index.owe_removal(signal, audit.at)
        self.index.tallies.extend(counts)
        return True
