"""In-memory RightsStore (functions/verwijsindex/ports/rights.py): the rights requests, and the
corrections they make to the signals, match sides and youth marker in the FakeIndex the other fakes of
the main table share. Every write is all or nothing with its audit entries, as the table's
transactions; tests/ports/test_rights_contract.py holds it to the DynamoDB adapter's behaviour."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tests.fakes.cursors import seal, unseal
from tests.fakes.index import FakeIndex
from tests.fakes.signals import StateChanged
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.errors import Conflict
from verwijsindex.domain.matches import MatchSide
from verwijsindex.domain.models import Signal
from verwijsindex.domain.rights import RightsRequest, RightsStatus
from verwijsindex.domain.statistics import Tally

# The items one transaction may write (DynamoDB's limit).
TRANSACTION_LIMIT = 100


def _order(request: RightsRequest) -> str:
    """The listing's sort key: by deadline, then id."""
    return f"{request.deadline.isoformat()}#{request.request_id}"


class FakeRightsStore:
    def __init__(self, index: FakeIndex) -> None:
        self.index = index
        self._requests: dict[str, RightsRequest] = {}

    # --- requests ----------------------------------------------------------------------------

    def create(self, request: RightsRequest, entry: AuditEntry) -> None:
        if request.request_id in self._requests:
            raise StateChanged(request.request_id)
        self._requests[request.request_id] = request
        self.index.audit.append(entry)

    def get(self, request_id: str) -> RightsRequest | None:
        return self._requests.get(request_id)

    def page(
        self, *, status: RightsStatus | None, overdue_on: date | None, limit: int, cursor: str | None
    ) -> tuple[list[RightsRequest], str | None]:
        if overdue_on is not None:
            status = RightsStatus.OPEN
        scope = status.value if status is not None else "all"
        listed = sorted(
            (r for r in self._requests.values() if status is None or r.status is status),
            key=_order,
        )
        if overdue_on is not None:
            listed = [r for r in listed if r.deadline < overdue_on]
        if cursor:
            after = unseal(cursor, scope, str)
            listed = [r for r in listed if _order(r) > after]
        page = listed[:limit]
        # As a query with a limit: a full page names where the next would start, even when none follows.
        return page, (seal(_order(page[-1]), scope) if page and len(page) == limit else None)

    def decide(self, request: RightsRequest, entries: Sequence[AuditEntry], counts: Sequence[Tally] = ()) -> None:
        held = self._requests.get(request.request_id)
        if held is None or held.status is not RightsStatus.OPEN:
            raise Conflict("this request has already been decided")
        self._requests[request.request_id] = request
        self.index.audit.extend(entries)
        self.index.tallies.extend(counts)

    # --- corrections of signals (correctie) --------------------------------------------------

    def correct_signal(
        self, old: Signal, new: Signal, entries: Sequence[AuditEntry], sides: Sequence[MatchSide] = ()
    ) -> None:
        stored = self.index.signals.get((old.youth_key, old.signal_id))
        old_guard = (old.youth_key, old.org_id, old.professional_id)
        new_guard = (old.youth_key, new.org_id, new.professional_id)
        guard_moves = old.is_active and old_guard != new_guard
        moved_sides = list(sides) if new.org_id != old.org_id else []
        mirrored = [side.mirrored() for side in moved_sides if not side.is_remote]
        writes = 1 + 2 * guard_moves + len(moved_sides) + len(mirrored) + len(entries)
        if writes > TRANSACTION_LIMIT:
            raise Conflict("this signal has too many matches to correct in one step")
        if (
            stored is None
            or stored.status is not old.status
            or (guard_moves and new_guard in self.index.guards)
            or any(_side_key(side) not in self.index.sides for side in [*moved_sides, *mirrored])
        ):
            raise Conflict(
                "the signal changed meanwhile, or that professional already has an active signal on this youth"
            )
        self.index.signals[(old.youth_key, old.signal_id)] = stored.model_copy(
            update={"org_id": new.org_id, "professional": new.professional, "professional_id": new.professional_id}
        )
        if guard_moves:
            del self.index.guards[old_guard]
            self.index.guards[new_guard] = old.signal_id
        for side in moved_sides:
            key = _side_key(side)
            self.index.sides[key] = self.index.sides[key].model_copy(update={"org_id": new.org_id})
        for other in mirrored:
            key = _side_key(other)
            self.index.sides[key] = self.index.sides[key].model_copy(update={"other_org_id": new.org_id})
        self.index.audit.extend(entries)

    def set_destroy_on(self, youth_key: str, signal_ids: Sequence[str], destroy_on: date, entry: AuditEntry) -> None:
        """Every signal named and the youth's marker must be there, or nothing changes."""
        if youth_key not in self.index.markers or any(
            (youth_key, signal_id) not in self.index.signals for signal_id in signal_ids
        ):
            raise StateChanged(youth_key)
        for signal_id in signal_ids:
            key = (youth_key, signal_id)
            self.index.signals[key] = self.index.signals[key].model_copy(update={"destroy_on": destroy_on})
        self.index.markers[youth_key].destroy_on = destroy_on  # the youth is due on the new day
        self.index.audit.append(entry)


def _side_key(side: MatchSide) -> tuple[str, str, str]:
    return side.youth_key, side.signal_id, side.match_id
