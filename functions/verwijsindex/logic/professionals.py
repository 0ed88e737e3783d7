"""Offboarding, for the region's operator: list, update and deactivate professionals, and hand a
professional's active signals to a colleague of the same organisation.

A deactivated professional reaches nothing (the registry check of every route) and their account
is disabled and signed out everywhere (port: Accounts). Their active signals stay active: the youth
still has a professional involved, the organisation. Until the operator names a colleague, the
handover is listed, overdue after the region's `handover_days`. Whoever takes a signal over, the
other parties of its live matches get one e-mail with the new contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from verwijsindex.domain.audit import AuditAction
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.errors import NotFound, Unprocessable
from verwijsindex.domain.matches import Notification, NotificationEvent, is_live
from verwijsindex.domain.models import (
    CloseReason,
    Contact,
    Handover,
    Professional,
    ProfessionalStatus,
    Signal,
)
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.closing import close_now
from verwijsindex.logic.matching import OrganisationNames, notification, party_card
from verwijsindex.logic.schemas import (
    Deactivation,
    HandoverList,
    HandoverView,
    ProfessionalUpdate,
    Reassignment,
    ReassignRequest,
)
from verwijsindex.ports.accounts import Accounts
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.registry import OrganisationRegistry
from verwijsindex.ports.signals import SignalStore, Transfer


def professional_id(professional: Professional) -> str:
    """How signals name their professional: the e-mail address, lower-cased (one person via the
    portal and via a case system is one professional)."""
    return str(professional.contact.email).lower()


@dataclass
class ProfessionalService(Stamping):
    registry: OrganisationRegistry
    signals: SignalStore
    matches: MatchStore
    names: OrganisationNames
    accounts: Accounts
    audit: AuditLog
    settings: RegionSettings
    clock: Clock

    def of_organisation(self, caller: Caller, org_id: str) -> list[Professional]:
        require_operator(caller)
        if self.registry.get_organisation(org_id) is None:
            raise NotFound("no such organisation")
        return self.registry.list_professionals(org_id)

    def update(self, caller: Caller, org_id: str, user_id: str, request: ProfessionalUpdate) -> Professional:
        """New contact details; the audit trail keeps each old and new value. The professional's
        active signals carry the new contact from now on."""
        require_operator(caller)
        current = self._professional(org_id, user_id)
        contact = Contact.model_validate({**current.contact.model_dump(), **request.model_dump(exclude_none=True)})
        if contact == current.contact:
            return current
        updated = current.model_copy(update={"contact": contact})
        audits = [
            self._stamp.on_organisation(
                caller,
                AuditAction.PROFESSIONAL_UPDATED,
                org_id,
                target=user_id,
                detail=f"{field}: {getattr(current.contact, field)} -> {getattr(contact, field)}",
            )
            for field in Contact.model_fields
            if getattr(current.contact, field) != getattr(contact, field)
        ]
        self.registry.update_professional(updated, audits)
        self._hand_over(caller, org_id, professional_id(current), contact, f"contact of {user_id} updated")
        return updated

    def deactivate(self, caller: Caller, org_id: str, user_id: str) -> Deactivation:
        """Repeatable: a second call changes nothing in the registry but disables the account
        again, so a failed call to the user directory is made good by retrying."""
        require_operator(caller)
        current = self._professional(org_id, user_id)
        held = self.signals.active_of_professional(org_id, professional_id(current))
        today = self._today()
        deactivated = current
        if current.status is ProfessionalStatus.ACTIVE:
            deactivated = current.model_copy(update={"status": ProfessionalStatus.DEACTIVATED, "deactivated_on": today})
            handover = None
            if held:
                handover = Handover(
                    org_id=org_id,
                    user_id=user_id,
                    deactivated_on=today,
                    due_on=today + timedelta(days=self.settings.handover_days),
                    signal_ids=tuple(s.signal_id for s in held),
                )
            audit = self._stamp.on_organisation(
                caller,
                AuditAction.PROFESSIONAL_DEACTIVATED,
                org_id,
                target=user_id,
                detail=f"{len(held)} active signals to hand over",
            )
            self.registry.deactivate_professional(deactivated, audit, handover)
        self.accounts.disable(user_id)
        since = deactivated.deactivated_on or today
        return Deactivation(
            professional=deactivated,
            active_signals=[s.signal_id for s in held],
            handover_due_on=since + timedelta(days=self.settings.handover_days) if held else None,
        )

    def reassign(self, caller: Caller, org_id: str, user_id: str, request: ReassignRequest) -> Reassignment:
        require_operator(caller)
        source = self._professional(org_id, user_id)
        target = self.registry.get_professional(org_id, request.to_user_id)
        if request.to_user_id == user_id or target is None or target.status is not ProfessionalStatus.ACTIVE:
            raise Unprocessable("name another active professional of the same organisation", field="to_user_id")
        outcome = self._hand_over(
            caller, org_id, professional_id(source), target.contact, f"from {user_id} to {target.user_id}"
        )
        self.registry.forget_handover(
            org_id,
            user_id,
            self._stamp.on_organisation(
                caller,
                AuditAction.PROFESSIONAL_SIGNALS_REASSIGNED,
                org_id,
                target=user_id,
                detail=f"{len(outcome.moved)} signals to {target.user_id}, {len(outcome.closed)} closed as covered",
            ),
        )
        return outcome

    def handovers(self, caller: Caller, overdue: bool) -> HandoverList:
        require_operator(caller)
        today = self._today()
        views = [
            HandoverView(**handover.model_dump(), overdue=handover.due_on < today)
            for handover in self.registry.list_handovers()
        ]
        return HandoverList(items=[v for v in views if v.overdue or not overdue])

    # --- helpers -------------------------------------------------------------------------------

    def _professional(self, org_id: str, user_id: str) -> Professional:
        professional = self.registry.get_professional(org_id, user_id)
        if professional is None:
            raise NotFound("no such professional in this organisation")
        return professional

    def _today(self) -> date:
        return dutch_day(self.clock.now())

    def _hand_over(self, caller: Caller, org_id: str, from_id: str, contact: Contact, detail: str) -> Reassignment:
        """Every active signal of `from_id` in the organisation to `contact`. Where that professional
        already has an active signal on the same youth, the old one is closed (history kept): one
        professional holds one active signal per youth."""
        now = self.clock.now()
        today = dutch_day(now)
        to_id = str(contact.email).lower()
        moved: list[str] = []
        closed: list[str] = []
        for signal in self.signals.active_of_professional(org_id, from_id):
            taken = signal.model_copy(update={"professional_id": to_id, "professional": contact})
            entry = self._stamp.on_signal(caller, AuditAction.SIGNAL_REASSIGNED, signal, org_id=org_id, detail=detail)
            notes = self._contact_notes(taken, now, today)
            result = self.signals.transfer(signal, taken, entry, notes)
            if result is Transfer.DONE:
                moved.append(signal.signal_id)
            elif result is Transfer.COVERED:
                closing = self._stamp.on_signal(
                    caller,
                    AuditAction.SIGNAL_CLOSED,
                    signal,
                    org_id=org_id,
                    detail="covered by the active signal of the professional taking over",
                )
                close_now(self.signals, self.settings, signal, on=today, reason=CloseReason.ENDED, audit=closing)
                closed.append(signal.signal_id)
        return Reassignment(moved=moved, closed=closed)

    def _contact_notes(self, signal: Signal, now: datetime, today: date) -> list[Notification]:
        """One e-mail per live match of the signal, to the other party, with the new contact.
        Matches with another region are left to the national index, which gets the new contact
        with the signal's next publication."""
        sides = [
            side for side in self.matches.sides_of_signal(signal.youth_key, signal.signal_id) if not side.is_remote
        ]
        others = self.matches.get_signals((side.other_youth_key, side.other_signal_id) for side in sides)
        card = party_card(signal, self.names)
        notes: list[Notification] = []
        for side in sides:
            other = others.get(side.other_signal_id)
            if other is not None and is_live(other, today):
                notes.append(
                    notification(
                        side=side.mirrored(),
                        event=NotificationEvent.CONTACT,
                        recipient=other,
                        other=card,
                        created_at=now,
                        sequence=int(now.timestamp()),
                    )
                )
        return notes
