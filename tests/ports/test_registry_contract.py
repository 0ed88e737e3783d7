"""The organisation registry port: the same cases against the in-memory fake and the registry in
the single table on moto. Every change is read back, with its audit entry, through the ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tests.fakes.registry import FakeRegistry
from verwijsindex import wiring
from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.models import Contact, Handover, Organisation, OrganisationStatus, Professional
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.registry import OrganisationRegistry, Registration

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Registry:
    store: OrganisationRegistry
    audit: AuditLog

    def trail(self, org_id: str) -> list[str]:
        """The organisation's audit trail, oldest first, by entry id."""
        entries = self.audit.for_subject(AuditSubject.organisation(org_id), 100).entries
        return [e.entry_id for e in reversed(entries)]


@pytest.fixture(params=["fake", "dynamodb"])
def registry(request: pytest.FixtureRequest) -> Registry:
    if request.param == "fake":
        fake = FakeRegistry()
        return Registry(fake, fake.audit)
    services: wiring.Services = request.getfixturevalue("services")
    return Registry(services.registry_store, services.audit)


_ids = iter(range(1, 10_000))


def audit(org_id: str, action: AuditAction = AuditAction.ORGANISATION_CREATED) -> AuditEntry:
    return AuditEntry(
        entry_id=f"e{next(_ids):04d}",
        at=AT,
        actor="operator-1",
        action=action,
        subject=AuditSubject.organisation(org_id),
        target=org_id,
    )


def professional(org_id: str, user_id: str, email: str = "") -> Professional:
    contact = Contact(name=f"Pro {user_id}", email=email or f"{user_id}@{org_id}.example.org", phone="0201234567")
    return Professional(org_id=org_id, user_id=user_id, contact=contact)


def test_an_organisation_is_created_once_with_its_case_systems(registry: Registry) -> None:
    store = registry.store
    created = audit("org-b")
    assert store.create_organisation(Organisation(org_id="org-b", name="B", machine_clients=("client-b",)), created)
    assert store.create_organisation(Organisation(org_id="org-a", name="A"), audit("org-a"))
    # The same id again, or another organisation with a case system already taken: nothing stored.
    assert not store.create_organisation(Organisation(org_id="org-b", name="B again"), audit("org-b"))
    assert not store.create_organisation(
        Organisation(org_id="org-c", name="C", machine_clients=("client-c", "client-b")), audit("org-c")
    )
    assert store.get_organisation("org-c") is None and store.org_for_client("client-c") is None
    assert registry.trail("org-c") == []
    assert registry.trail("org-b") == [created.entry_id]

    found = store.get_organisation("org-b")
    assert found is not None and found.name == "B" and found.status is OrganisationStatus.ACTIVE
    assert store.org_for_client("client-b") == "org-b"
    assert store.org_for_client("client-x") is None
    assert [o.org_id for o in store.list_organisations()] == ["org-a", "org-b"]
    assert sorted(store.organisations(["org-b", "org-x", "org-a", "org-b"])) == ["org-a", "org-b"]


def test_status_and_profile_change_an_existing_organisation_only(registry: Registry) -> None:
    store = registry.store
    store.create_organisation(Organisation(org_id="org-a", name="A"), audit("org-a"))
    suspended = audit("org-a", AuditAction.ORGANISATION_SUSPENDED)
    assert store.set_status("org-a", OrganisationStatus.SUSPENDED, suspended)
    profiled = audit("org-a", AuditAction.PROFILE_RECORDED)
    assert store.set_profile("org-a", "Wij signaleren bij zorgen over veiligheid.", profiled)
    found = store.get_organisation("org-a")
    assert found is not None and found.status is OrganisationStatus.SUSPENDED
    assert found.signalling_profile == "Wij signaleren bij zorgen over veiligheid."
    assert registry.trail("org-a")[1:] == [suspended.entry_id, profiled.entry_id]

    assert not store.set_status("org-x", OrganisationStatus.SUSPENDED, audit("org-x"))
    assert not store.set_profile("org-x", "profiel", audit("org-x"))
    assert store.get_organisation("org-x") is None and registry.trail("org-x") == []


def test_a_professional_is_registered_once_in_an_existing_organisation(registry: Registry) -> None:
    store = registry.store
    assert store.add_professional(professional("org-a", "sub-1"), audit("org-a")) is Registration.NO_ORGANISATION
    store.create_organisation(Organisation(org_id="org-a", name="A"), audit("org-a"))
    registered = audit("org-a", AuditAction.PROFESSIONAL_REGISTERED)
    assert store.add_professional(professional("org-a", "sub-2"), registered) is Registration.DONE
    assert store.add_professional(professional("org-a", "sub-1"), audit("org-a")) is Registration.DONE
    again = professional("org-a", "sub-2", email="other@org-a.example.org")
    assert store.add_professional(again, audit("org-a")) is Registration.TAKEN

    assert store.get_professional("org-a", "sub-2") == professional("org-a", "sub-2")
    assert store.get_professional("org-a", "sub-3") is None
    assert [p.user_id for p in store.list_professionals("org-a")] == ["sub-1", "sub-2"]
    assert store.list_professionals("org-b") == []
    organisation, found = store.organisation_and_professional("org-a", "sub-1")
    assert organisation is not None and organisation.org_id == "org-a" and found == professional("org-a", "sub-1")
    assert store.organisation_and_professional("org-a", "sub-9") == (organisation, None)
    assert store.organisation_and_professional("org-x", "sub-1") == (None, None)
    assert registered.entry_id in registry.trail("org-a")


def test_a_deactivation_waits_as_a_handover_until_it_is_forgotten(registry: Registry) -> None:
    store = registry.store
    for org_id in ("org-a", "org-b"):
        store.create_organisation(Organisation(org_id=org_id, name=org_id), audit(org_id))
        store.add_professional(professional(org_id, "sub-1"), audit(org_id))
    handovers = [
        Handover(
            org_id="org-b",
            user_id="sub-1",
            deactivated_on=date(2026, 3, 1),
            due_on=date(2026, 3, 15),
            signal_ids=("s1",),
        ),
        Handover(
            org_id="org-a", user_id="sub-1", deactivated_on=date(2026, 3, 2), due_on=date(2026, 3, 16), signal_ids=()
        ),
    ]
    for handover in handovers:
        left = professional(handover.org_id, "sub-1").model_copy(update={"deactivated_on": handover.deactivated_on})
        deactivated = audit(handover.org_id, AuditAction.PROFESSIONAL_DEACTIVATED)
        store.deactivate_professional(left, deactivated, handover)
        assert store.get_professional(handover.org_id, "sub-1") == left
        assert registry.trail(handover.org_id)[-1] == deactivated.entry_id
    assert store.list_handovers() == handovers  # the earliest due first

    handed = audit("org-b", AuditAction.PROFESSIONAL_SIGNALS_REASSIGNED)
    store.forget_handover("org-b", "sub-1", handed)
    assert store.list_handovers() == handovers[1:]
    assert registry.trail("org-b")[-1] == handed.entry_id


def test_an_update_keeps_every_audit_entry_it_carries(registry: Registry) -> None:
    store = registry.store
    store.create_organisation(Organisation(org_id="org-a", name="A"), audit("org-a"))
    store.add_professional(professional("org-a", "sub-1"), audit("org-a"))
    updated = professional("org-a", "sub-1", email="new@org-a.example.org")
    entries = [audit("org-a", AuditAction.PROFESSIONAL_UPDATED) for _ in range(3)]
    store.update_professional(updated, entries)
    assert store.get_professional("org-a", "sub-1") == updated
    assert registry.trail("org-a")[-3:] == [e.entry_id for e in entries]
