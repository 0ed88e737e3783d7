"""The operator's organisation registry: who is affiliated, suspended, and who works there."""

from __future__ import annotations

from dataclasses import dataclass

from verwijsindex.domain.audit import AuditAction
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock
from verwijsindex.domain.errors import Conflict, NotFound
from verwijsindex.domain.models import Contact, Organisation, OrganisationStatus, Professional
from verwijsindex.logic.access import organisation_of, require_operator
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.schemas import OrganisationRequest, ProfessionalRequest, ProfileRequest
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.registry import OrganisationRegistry, Registration


@dataclass
class RegistryService(Stamping):
    registry: OrganisationRegistry
    audit: AuditLog
    clock: Clock

    def create(self, caller: Caller, request: OrganisationRequest) -> Organisation:
        require_operator(caller)
        organisation = Organisation(
            org_id=request.org_id, name=request.name, machine_clients=tuple(request.machine_clients)
        )
        entry = self._stamp.on_organisation(
            caller, AuditAction.ORGANISATION_CREATED, organisation.org_id, target=organisation.org_id
        )
        if not self.registry.create_organisation(organisation, entry):
            raise Conflict("this organisation id or one of its machine clients is already registered", field="org_id")
        return organisation

    def get(self, caller: Caller, org_id: str) -> Organisation:
        require_operator(caller)
        organisation = self.registry.get_organisation(org_id)
        if organisation is None:
            raise NotFound("no such organisation")
        return organisation

    def list(self, caller: Caller) -> list[Organisation]:
        require_operator(caller)
        return self.registry.list_organisations()

    def set_status(self, caller: Caller, org_id: str, status: OrganisationStatus) -> Organisation:
        require_operator(caller)
        action = (
            AuditAction.ORGANISATION_SUSPENDED
            if status is OrganisationStatus.SUSPENDED
            else AuditAction.ORGANISATION_REACTIVATED
        )
        if not self.registry.set_status(
            org_id, status, self._stamp.on_organisation(caller, action, org_id, target=org_id)
        ):
            raise NotFound("no such organisation")
        organisation = self.registry.get_organisation(org_id)
        if organisation is None:
            raise NotFound("no such organisation")
        return organisation

    def set_profile(self, caller: Caller, org_id: str, request: ProfileRequest) -> Organisation:
        require_operator(caller)
        entry = self._stamp.on_organisation(caller, AuditAction.PROFILE_RECORDED, org_id, target=org_id)
        if not self.registry.set_profile(org_id, request.signalling_profile, entry):
            raise NotFound("no such organisation")
        organisation = self.registry.get_organisation(org_id)
        if organisation is None:
            raise NotFound("no such organisation")
        return organisation

    def profile_of(self, caller: Caller) -> str:
        """The signalling profile of the caller's own organisation (shown before signalling)."""
        return organisation_of(caller, self.registry).signalling_profile

    def add_professional(self, caller: Caller, org_id: str, request: ProfessionalRequest) -> Professional:
        require_operator(caller)
        professional = Professional(
            org_id=org_id,
            user_id=request.user_id,
            contact=Contact(name=request.name, email=request.email, phone=request.phone),
        )
        entry = self._stamp.on_organisation(caller, AuditAction.PROFESSIONAL_REGISTERED, org_id, target=request.user_id)
        registered = self.registry.add_professional(professional, entry)
        if registered is Registration.NO_ORGANISATION:
            raise NotFound("no such organisation")
        if registered is Registration.TAKEN:
            # Changing a professional goes through the update route, with old and new values audited.
            raise Conflict("this user id is registered already", field="user_id")
        return professional
