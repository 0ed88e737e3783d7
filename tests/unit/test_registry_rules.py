"""The operator's registry rules on the in-memory ports (no moto): an organisation and its case
systems are registered once, only the operator changes the registry, every change is in the
organisation's audit trail, and an invitation creates the account, the entry and the e-mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from infra.local.accounts import LocalAccounts
from tests.fakes.mail import FakeMailer
from tests.fakes.registry import FakeRegistry
from verwijsindex.domain.audit import AuditAction, AuditSubject
from verwijsindex.domain.callers import Caller, CallerKind, Group
from verwijsindex.domain.clock import AMSTERDAM, FixedClock
from verwijsindex.domain.errors import Conflict, Forbidden, NotFound
from verwijsindex.domain.models import OrganisationStatus
from verwijsindex.logic.invitations import InvitationRequest, InvitationService
from verwijsindex.logic.registry import RegistryService
from verwijsindex.logic.schemas import OrganisationRequest, ProfessionalRequest, ProfileRequest
from verwijsindex.ports.mail import MailerError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
OPERATOR = Caller(kind=CallerKind.USER, subject="operator-1", groups=frozenset({Group.OPERATOR.value}))
PROFESSIONAL = Caller(
    kind=CallerKind.USER, subject="sub-a", org_id="org-a", groups=frozenset({Group.PROFESSIONAL.value})
)
EVA = ProfessionalRequest(user_id="sub-eva", name="Eva Eikema", email="eva@org-x.example.org", phone="0201234567")


@pytest.fixture
def registry() -> FakeRegistry:
    return FakeRegistry()


@pytest.fixture
def service(registry: FakeRegistry) -> RegistryService:
    return RegistryService(registry=registry, audit=registry.audit, clock=FixedClock(NOW))


def trail(registry: FakeRegistry, org_id: str) -> list[tuple[AuditAction, str | None]]:
    """The organisation's entries in the order they were written (the clock stands still)."""
    subject = AuditSubject.organisation(org_id)
    return [(e.action, e.target) for e in registry.audit.entries if e.subject == subject]


def test_an_organisation_id_or_case_system_is_registered_once(service: RegistryService, registry: FakeRegistry) -> None:
    service.create(OPERATOR, OrganisationRequest(org_id="org-x", name="X", machine_clients=["cs-1"]))
    with pytest.raises(Conflict) as again:
        service.create(OPERATOR, OrganisationRequest(org_id="org-x", name="X"))
    with pytest.raises(Conflict):
        service.create(OPERATOR, OrganisationRequest(org_id="org-y", name="Y", machine_clients=["cs-1"]))
    assert again.value.field == "org_id"
    assert [o.org_id for o in service.list(OPERATOR)] == ["org-x"]
    assert registry.org_for_client("cs-1") == "org-x"
    assert trail(registry, "org-x") == [(AuditAction.ORGANISATION_CREATED, "org-x")]
    assert trail(registry, "org-y") == []


def test_suspending_and_reactivating_are_audited_and_an_unknown_organisation_is_not_found(
    service: RegistryService, registry: FakeRegistry
) -> None:
    service.create(OPERATOR, OrganisationRequest(org_id="org-x", name="X"))
    assert service.set_status(OPERATOR, "org-x", OrganisationStatus.SUSPENDED).status is OrganisationStatus.SUSPENDED
    assert service.set_status(OPERATOR, "org-x", OrganisationStatus.ACTIVE).status is OrganisationStatus.ACTIVE
    with pytest.raises(NotFound):
        service.set_status(OPERATOR, "ghost", OrganisationStatus.SUSPENDED)
    assert [action for action, _ in trail(registry, "org-x")] == [
        AuditAction.ORGANISATION_CREATED,
        AuditAction.ORGANISATION_SUSPENDED,
        AuditAction.ORGANISATION_REACTIVATED,
    ]
    # The operator acts for no organisation: the entries name none.
    assert {e.actor_org for e in registry.audit.entries} == {None}
    assert trail(registry, "ghost") == []


def test_a_professional_belongs_to_a_registered_organisation_and_reads_its_profile(
    service: RegistryService, registry: FakeRegistry
) -> None:
    with pytest.raises(NotFound):
        service.add_professional(OPERATOR, "org-x", EVA)
    service.create(OPERATOR, OrganisationRequest(org_id="org-x", name="X"))
    service.add_professional(OPERATOR, "org-x", EVA)
    with pytest.raises(Conflict):
        service.add_professional(OPERATOR, "org-x", EVA)  # changes go through the update, audited
    text = "Wij signaleren bij zorgen over de ontwikkeling die we niet zelf kunnen wegnemen."
    service.set_profile(OPERATOR, "org-x", ProfileRequest(signalling_profile=text))

    eva = Caller(kind=CallerKind.USER, subject="sub-eva", org_id="org-x", groups=frozenset({"professional"}))
    assert service.profile_of(eva) == text
    assert registry.addresses_checked == ["eva@org-x.example.org"]  # a new registration starts deliverable
    assert trail(registry, "org-x")[1:] == [
        (AuditAction.PROFESSIONAL_REGISTERED, "sub-eva"),
        (AuditAction.PROFILE_RECORDED, "org-x"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.create(PROFESSIONAL, OrganisationRequest(org_id="org-z", name="Z")),
        lambda s: s.set_status(PROFESSIONAL, "org-x", OrganisationStatus.SUSPENDED),
        lambda s: s.set_profile(PROFESSIONAL, "org-x", ProfileRequest(signalling_profile="Altijd.")),
        lambda s: s.add_professional(PROFESSIONAL, "org-x", EVA),
        lambda s: s.list(PROFESSIONAL),
    ],
)
def test_only_the_operator_manages_the_registry(
    service: RegistryService, registry: FakeRegistry, change: Callable[[RegistryService], object]
) -> None:
    service.create(OPERATOR, OrganisationRequest(org_id="org-x", name="X"))
    before = list(registry.audit.entries)
    with pytest.raises(Forbidden):
        change(service)
    org = registry.get_organisation("org-x")
    assert org is not None and org.status is OrganisationStatus.ACTIVE
    assert registry.list_professionals("org-x") == [] and registry.get_organisation("org-z") is None
    assert registry.audit.entries == before


def test_an_invitation_creates_account_entry_and_dutch_e_mail(service: RegistryService, registry: FakeRegistry) -> None:
    service.create(OPERATOR, OrganisationRequest(org_id="org-x", name="Jeugdhulp X"))
    mailer, accounts = FakeMailer(), LocalAccounts()
    invitations = InvitationService(
        registrations=service, accounts=accounts, mailer=mailer, new_password=lambda: "Tijd#Wachtw0ord1"
    )
    request = InvitationRequest(name="Eva Eikema", email="eva@org-x.example.org", phone="0201234567")

    invitation = invitations.invite(
        OPERATOR, "org-x", request, portal_url="https://portaal.example.org/", region_name="Verwijsindex Noord"
    )

    assert invitation.invitation_sent
    [registered] = registry.list_professionals("org-x")
    assert registered == invitation.professional and registered.user_id.startswith("pro-")
    [mail] = mailer.to("eva@org-x.example.org")
    assert "Jeugdhulp X" in mail.text and "Tijd#Wachtw0ord1" in mail.text
    with pytest.raises(Conflict) as exists:
        invitations.invite(OPERATOR, "org-x", request, portal_url="https://portaal.example.org/", region_name="VI")
    assert exists.value.field == "email"
    assert len(mailer.sent) == 1 and len(registry.list_professionals("org-x")) == 1


def test_a_refused_invitation_e_mail_leaves_account_and_entry_and_says_so(
    service: RegistryService, registry: FakeRegistry
) -> None:
    service.create(OPERATOR, OrganisationRequest(org_id="org-x", name="X"))
    mailer = FakeMailer()
    mailer.refuse = MailerError("refused")
    invitations = InvitationService(registrations=service, accounts=LocalAccounts(), mailer=mailer)
    request = InvitationRequest(name="Eva Eikema", email="eva@org-x.example.org", phone="0201234567")

    invitation = invitations.invite(OPERATOR, "org-x", request, portal_url="https://p.example.org/", region_name="VI")

    assert not invitation.invitation_sent
    assert registry.list_professionals("org-x") == [invitation.professional]
    assert mailer.sent == []
    with pytest.raises(NotFound):
        invitations.invite(OPERATOR, "org-nope", request, portal_url="https://p.example.org/", region_name="VI")
