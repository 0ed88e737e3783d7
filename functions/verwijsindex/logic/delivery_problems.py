"""What did not reach its destination, for the region's operator: registered professionals whose
e-mail address is marked undeliverable (SES reported a permanent bounce or a complaint), so the
operator knows whose details to check, and the list of stuck work (logic/stuck_work.py: kind, since,
attempts and an opaque reference). Names and addresses of professionals only: nothing about a youth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from verwijsindex.domain.callers import Caller
from verwijsindex.domain.models import Organisation, Professional, ProfessionalStatus
from verwijsindex.logic.access import require_operator
from verwijsindex.ports.addresses import AddressStore, UndeliverableAddress
from verwijsindex.ports.registry import OrganisationRegistry
from verwijsindex.ports.work import WorkKind

if TYPE_CHECKING:  # built by the composition root
    from verwijsindex.logic.stuck_work import StuckItem, StuckWorkService

STUCK_SHOWN = 100  # per kind: the oldest first; more are waiting when a kind fills its page


@dataclass(frozen=True)
class BouncedProfessional:
    organisation: Organisation
    professional: Professional
    address: UndeliverableAddress


@dataclass(frozen=True)
class DeliveryProblems:
    bounced: list[BouncedProfessional]
    stuck: list[StuckItem]
    more_stuck: bool


@dataclass
class DeliveryProblemService:
    registry: OrganisationRegistry
    addresses: AddressStore
    stuck_work: StuckWorkService

    def overview(self, caller: Caller) -> DeliveryProblems:
        """Every active professional's address checked in batches (a registration rewritten with
        a new or confirmed address clears its mark), and the oldest stuck work of each kind."""
        require_operator(caller)
        people: list[tuple[Organisation, Professional]] = [
            (organisation, professional)
            for organisation in self.registry.list_organisations()
            for professional in self.registry.list_professionals(organisation.org_id)
            if professional.status is ProfessionalStatus.ACTIVE
        ]
        marked = self.addresses.undeliverable_among(str(p.contact.email) for _, p in people)
        bounced = [
            BouncedProfessional(organisation=o, professional=p, address=marked[str(p.contact.email).lower()])
            for o, p in people
            if str(p.contact.email).lower() in marked
        ]
        bounced.sort(key=lambda b: b.address.since)
        stuck: list[StuckItem] = []
        more = False
        for kind in WorkKind:
            page = self.stuck_work.page(caller, kind, STUCK_SHOWN)
            stuck.extend(page.items)
            more = more or page.next_cursor is not None
        stuck.sort(key=lambda item: item.since)
        return DeliveryProblems(bounced=bounced, stuck=stuck, more_stuck=more)
