"""The audit trail of a youth or of an actor, for the region's operator; every look is itself audited."""

from __future__ import annotations

from dataclasses import dataclass

from verwijsindex.domain.audit import AuditAction, AuditSubject
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.rights_schemas import AuditEntryView, AuditTrail
from verwijsindex.logic.schemas import same_named
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.pseudonyms import Pseudonyms


@dataclass
class AuditTrailService(Stamping):
    audit: AuditLog
    pseudonyms: Pseudonyms
    clock: Clock

    def read(
        self, caller: Caller, bsn: str | None, actor: str | None, limit: int, cursor: str | None = None
    ) -> AuditTrail:
        """One page of the trail of a youth (by BSN) or of an actor, newest first."""
        require_operator(caller)
        if (bsn is None) == (actor is None):
            raise Unprocessable("ask for exactly one of bsn or actor", field="bsn" if bsn is None else "actor")
        if bsn is not None:
            subject = AuditSubject.youth(self.pseudonyms.regional(bsn))
            # Recorded first, so the trail shown includes this very look.
            self.audit.record(self._stamp.entry(caller, AuditAction.AUDIT_READ, subject, detail="by youth"))
            page = self.audit.for_subject(subject, limit, cursor)
        else:
            assert actor is not None
            self.audit.record(
                self._stamp.entry(
                    caller, AuditAction.AUDIT_READ, AuditSubject.actor(actor), target=actor, detail="by actor"
                )
            )
            page = self.audit.for_actor(actor, limit, cursor)
        return AuditTrail(
            items=[
                AuditEntryView(**same_named(e, AuditEntryView, action=e.action.value, subject=e.subject.reference))
                for e in page.entries
            ],
            next_cursor=page.next_cursor,
        )
