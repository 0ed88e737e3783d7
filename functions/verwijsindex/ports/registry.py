"""The region's organisation registry as the rules use it: organisations, their professionals
and case systems, and the handovers of professionals who left (adapters/dynamo/registry_store.py).

Every change carries its audit entry: the adapter writes both together or neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.models import Handover, Organisation, OrganisationStatus, Professional


class Registration(StrEnum):
    DONE = "done"
    NO_ORGANISATION = "no_organisation"
    TAKEN = "taken"  # this user id is registered already


class OrganisationRegistry(Protocol):
    # --- organisations -----------------------------------------------------------------------

    def get_organisation(self, org_id: str) -> Organisation | None: ...

    def organisations(self, org_ids: Iterable[str]) -> dict[str, Organisation]:
        """Organisations by id; unknown ids are left out."""
        ...

    def list_organisations(self) -> list[Organisation]: ...

    def create_organisation(self, organisation: Organisation, audit: AuditEntry) -> bool:
        """False (and nothing stored) when the org id or one of its machine client ids is taken."""
        ...

    def set_status(self, org_id: str, status: OrganisationStatus, audit: AuditEntry) -> bool:
        """False when the organisation does not exist."""
        ...

    def set_profile(self, org_id: str, profile: str, audit: AuditEntry) -> bool:
        """False when the organisation does not exist."""
        ...

    # --- case systems ------------------------------------------------------------------------

    def org_for_client(self, client_id: str) -> str | None:
        """The organisation a case system (machine client id) belongs to."""
        ...

    # --- professionals -----------------------------------------------------------------------

    def organisation_and_professional(
        self, org_id: str, user_id: str
    ) -> tuple[Organisation | None, Professional | None]:
        """Both records a signalling user needs, read together."""
        ...

    def get_professional(self, org_id: str, user_id: str) -> Professional | None: ...

    def list_professionals(self, org_id: str) -> list[Professional]: ...

    def add_professional(self, professional: Professional, audit: AuditEntry) -> Registration:
        """Registers a new professional once (then changed through `update_professional` and
        `deactivate_professional`); their address starts out deliverable."""
        ...

    def update_professional(self, professional: Professional, audits: Sequence[AuditEntry]) -> None:
        """A registered professional's new contact with its audit entries (old and new value of each field), in one
        transaction. The address the operator has just checked is deliverable again, even if it bounced before."""
        ...

    def deactivate_professional(self, professional: Professional, audit: AuditEntry, handover: Handover | None) -> None:
        """A registered professional, deactivated, with its audit entry and the handover of their active signals
        (None: they held none), in one transaction."""
        ...

    # --- handovers ---------------------------------------------------------------------------

    def list_handovers(self) -> list[Handover]:
        """Every waiting handover, the earliest due first."""
        ...

    def forget_handover(self, org_id: str, user_id: str, audit: AuditEntry) -> None:
        """The professional's signals were handed over: nothing waits any more."""
        ...
