"""The organisation registry in memory: the same port as the registry in the single table
(ports/registry.py), for rules tested without moto. Each change goes to the audit fake with its
entries, as the table writes them in one transaction. The contract tests in
tests/ports/test_registry_contract.py hold both to the same cases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tests.fakes.audit import FakeAuditLog
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.models import Handover, Organisation, OrganisationStatus, Professional
from verwijsindex.ports.registry import Registration


class FakeRegistry:
    def __init__(self, audit: FakeAuditLog | None = None) -> None:
        self.audit = audit or FakeAuditLog()
        self._organisations: dict[str, Organisation] = {}
        self._clients: dict[str, str] = {}
        self._professionals: dict[tuple[str, str], Professional] = {}
        self._handovers: dict[tuple[str, str], Handover] = {}
        # Addresses a registration made deliverable again (the address store forgets their mark).
        self.addresses_checked: list[str] = []

    # --- organisations -----------------------------------------------------------------------

    def get_organisation(self, org_id: str) -> Organisation | None:
        return self._organisations.get(org_id)

    def organisations(self, org_ids: Iterable[str]) -> dict[str, Organisation]:
        return {org_id: self._organisations[org_id] for org_id in set(org_ids) if org_id in self._organisations}

    def list_organisations(self) -> list[Organisation]:
        return [self._organisations[org_id] for org_id in sorted(self._organisations)]

    def create_organisation(self, organisation: Organisation, audit: AuditEntry) -> bool:
        clients = organisation.machine_clients
        if organisation.org_id in self._organisations or any(c in self._clients for c in clients):
            return False
        self._organisations[organisation.org_id] = organisation
        self._clients.update(dict.fromkeys(clients, organisation.org_id))
        self.audit.record(audit)
        return True

    def set_status(self, org_id: str, status: OrganisationStatus, audit: AuditEntry) -> bool:
        return self._update(org_id, {"status": status}, audit)

    def set_profile(self, org_id: str, profile: str, audit: AuditEntry) -> bool:
        return self._update(org_id, {"signalling_profile": profile}, audit)

    def _update(self, org_id: str, changes: dict[str, object], audit: AuditEntry) -> bool:
        current = self._organisations.get(org_id)
        if current is None:
            return False
        self._organisations[org_id] = current.model_copy(update=changes)
        self.audit.record(audit)
        return True

    # --- case systems ------------------------------------------------------------------------

    def org_for_client(self, client_id: str) -> str | None:
        return self._clients.get(client_id)

    # --- professionals -----------------------------------------------------------------------

    def organisation_and_professional(
        self, org_id: str, user_id: str
    ) -> tuple[Organisation | None, Professional | None]:
        return self._organisations.get(org_id), self._professionals.get((org_id, user_id))

    def get_professional(self, org_id: str, user_id: str) -> Professional | None:
        return self._professionals.get((org_id, user_id))

    def list_professionals(self, org_id: str) -> list[Professional]:
        return [p for (org, _), p in sorted(self._professionals.items()) if org == org_id]

    def add_professional(self, professional: Professional, audit: AuditEntry) -> Registration:
        if professional.org_id not in self._organisations:
            return Registration.NO_ORGANISATION
        if (professional.org_id, professional.user_id) in self._professionals:
            return Registration.TAKEN
        self._professionals[professional.org_id, professional.user_id] = professional
        self.addresses_checked.append(str(professional.contact.email).lower())
        self.audit.record(audit)
        return Registration.DONE

    def update_professional(self, professional: Professional, audits: Sequence[AuditEntry]) -> None:
        self._replace(professional, audits)
        self.addresses_checked.append(str(professional.contact.email).lower())

    def deactivate_professional(self, professional: Professional, audit: AuditEntry, handover: Handover | None) -> None:
        self._replace(professional, [audit])
        if handover is not None:
            self._handovers[handover.org_id, handover.user_id] = handover

    def _replace(self, professional: Professional, audits: Sequence[AuditEntry]) -> None:
        key = (professional.org_id, professional.user_id)
        if key not in self._professionals:
            raise LookupError("only a registered professional is replaced")  # the table's condition
        self._professionals[key] = professional
        self.audit.record_many(audits)

    # --- handovers ---------------------------------------------------------------------------

    def list_handovers(self) -> list[Handover]:
        return sorted(self._handovers.values(), key=lambda h: (h.due_on, h.org_id, h.user_id))

    def forget_handover(self, org_id: str, user_id: str, audit: AuditEntry) -> None:
        self._handovers.pop((org_id, user_id), None)
        self.audit.record(audit)
