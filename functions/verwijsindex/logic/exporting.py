"""Moving out: the region's signals and matches in the open format (README "Moving in and out").

The index keeps no BSN, so an export names each youth by its pseudonyms; the operator may give
the BSNs of the region's youths from the BRP, and every youth among them is named by its BSN
again (its pseudonym is computed with the regional key and compared), so that another index can
import the file as it is. Every exported signal is a read of personal data: each gets its audit
entry, written before the file leaves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from verwijsindex.domain.audit import AuditAction
from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock
from verwijsindex.domain.matches import MatchSide
from verwijsindex.domain.models import Signal
from verwijsindex.logic import access
from verwijsindex.logic.auditing import Stamping
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.pseudonyms import Pseudonyms
from verwijsindex.ports.registry import OrganisationRegistry
from verwijsindex.ports.signals import SignalStore


class ExportSummary(BaseModel):
    organisations: int
    signals: int
    matches: int
    named_by_bsn: int  # youths' signals re-identified through the BSNs given
    pseudonymous: int  # signals whose youth was not among them: pseudonyms only


@dataclass(frozen=True)
class Export:
    signals: list[dict[str, Any]]
    matches: list[dict[str, Any]]
    summary: ExportSummary


@dataclass
class ExportService(Stamping):
    signals: SignalStore
    matches: MatchStore
    registry: OrganisationRegistry
    audit: AuditLog
    pseudonyms: Pseudonyms
    clock: Clock

    def export(self, caller: Caller, bsns: Iterable[str] = ()) -> Export:
        """Every signal of every registered organisation (one Query of GSI1 each) and every match
        of theirs (one Query each), oldest first."""
        access.require_operator(caller)
        named = {self.pseudonyms.regional(bsn): bsn for bsn in {b.strip() for b in bsns} if passes_elfproef(bsn)}
        organisations = self.registry.list_organisations()
        signals: list[Signal] = []
        sides: dict[str, MatchSide] = {}
        for organisation in sorted(organisations, key=lambda o: o.org_id):
            signals += self.signals.every_of_org(organisation.org_id)
            for side in self.matches.sides_of_org(organisation.org_id):
                # A local match has a side in each party's organisation: one row per match.
                sides.setdefault(side.match_id, side)
        self.audit.record_many(
            [
                self._stamp.on_signal(
                    caller,
                    AuditAction.SIGNAL_EXPORTED,
                    signal,
                    detail="named by BSN" if signal.youth_key in named else "named by pseudonym",
                )
                for signal in signals
            ]
        )
        signal_rows = [signal_row(signal, named.get(signal.youth_key)) for signal in signals]
        match_rows = [match_row(side) for side in sorted(sides.values(), key=lambda s: (s.created_at, s.match_id))]
        by_bsn = sum(1 for row in signal_rows if row["bsn"] is not None)
        return Export(
            signals=signal_rows,
            matches=match_rows,
            summary=ExportSummary(
                organisations=len(organisations),
                signals=len(signal_rows),
                matches=len(match_rows),
                named_by_bsn=by_bsn,
                pseudonymous=len(signal_rows) - by_bsn,
            ),
        )


def signal_row(signal: Signal, bsn: str | None) -> dict[str, Any]:
    """A signal in the columns of the format (domain/transfer.py EXPORT_COLUMNS)."""
    contact = signal.professional
    return {
        "source_id": signal.signal_id,
        "bsn": bsn,
        "org_id": signal.org_id,
        "professional_name": contact.name,
        "professional_email": str(contact.email),
        "professional_phone": contact.phone,
        "client_reference": signal.client_reference,
        "placed_on": signal.active_from.isoformat(),
        "active_until": signal.active_until.isoformat(),
        "status": signal.status.value,
        "closed_on": signal.closed_on.isoformat() if signal.closed_on else None,
        "close_reason": signal.close_reason.value if signal.close_reason else None,
        "youth_key": signal.youth_key,
        "national_key": signal.national_key,
    }


def match_row(side: MatchSide) -> dict[str, Any]:
    """A match in the columns of MATCH_COLUMNS; for a match with another region only this
    region's signal is known here (`other_region` names the other)."""
    return {
        "match_id": side.match_id,
        "kind": side.kind.value,
        "source_id": side.signal_id,
        "other_source_id": None if side.is_remote else side.other_signal_id,
        "other_region": side.other_region,
        "status": side.status.value,
        "coordinator_source_id": side.coordinator_signal_id,
        "coordinated_on": side.coordinated_at.date().isoformat() if side.coordinated_at else None,
        "coordinated_by_source_id": (
            None
            if side.coordinated_by_org is None
            else side.signal_id
            if side.coordinated_by_org == side.org_id
            else side.other_signal_id
        ),
        "created_on": side.created_at.date().isoformat(),
    }
