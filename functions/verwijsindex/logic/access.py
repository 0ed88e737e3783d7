"""Who may do what: identity comes from the authorizer, rights from the registry.

Every refusal is the same Forbidden (one message): a caller never learns whether an organisation,
a professional or a client id is registered, suspended or deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass

from verwijsindex.domain.callers import SIGNALS_SCOPE, Caller, CallerKind, Group
from verwijsindex.domain.errors import Forbidden, Unprocessable
from verwijsindex.domain.models import Contact, Organisation, OrganisationStatus, Professional, ProfessionalStatus
from verwijsindex.ports.registry import OrganisationRegistry


@dataclass(frozen=True)
class Actor:
    """A caller the registry let in: an active registered professional of a registered organisation,
    or a registered case system (client) of one. The organisation may be suspended: what it may
    still do is decided per route (`require_active`)."""

    caller: Caller
    organisation: Organisation
    professional: Professional | None = None  # None for a case system

    @property
    def org_id(self) -> str:
        return self.organisation.org_id


@dataclass(frozen=True)
class Signaller:
    organisation: Organisation
    professional_id: str
    contact: Contact


def signals_actor(caller: Caller, registry: OrganisationRegistry) -> Actor:
    """The registry check every signals, matches and coordination route makes before anything
    is parsed: case systems by client id and scope, people by group, organisation and account."""
    if caller.kind is CallerKind.MACHINE:
        if SIGNALS_SCOPE not in caller.scopes:
            raise Forbidden("this client lacks the signals scope")
        org_id = registry.org_for_client(caller.subject)
        organisation = registry.get_organisation(org_id) if org_id else None
        if organisation is None:
            raise Forbidden("this client is not registered with an organisation of this region")
        return Actor(caller=caller, organisation=organisation)
    if not caller.in_group(Group.PROFESSIONAL) or not caller.org_id:
        raise Forbidden("only professionals and case systems work with signals")
    found, professional = registry.organisation_and_professional(caller.org_id, caller.subject)
    if found is None or professional is None:
        raise Forbidden("the organisation or the professional is not registered in this region")
    if professional.status is not ProfessionalStatus.ACTIVE:
        raise Forbidden("this professional was deactivated")
    return Actor(caller=caller, organisation=found, professional=professional)


def organisation_of(caller: Caller, registry: OrganisationRegistry) -> Organisation:
    """The organisation a professional or case system acts for, after the full registry check."""
    return signals_actor(caller, registry).organisation


def require_active(actor: Actor) -> None:
    """A suspended organisation may still list, read and close its own signals (to wind down
    its involvement); it may not place signals, see matches or history, or coordinate."""
    if actor.organisation.status is not OrganisationStatus.ACTIVE:
        raise Forbidden("the organisation is suspended")


def signaller(actor: Actor, given: Contact | None) -> Signaller:
    """The organisation must be active; a user's contact comes from the registry, a case
    system names the professional in the request."""
    require_active(actor)
    if actor.professional is None:
        if given is None:
            raise Unprocessable("a case system must name the professional", field="professional")
        contact = given
    else:
        if given is not None:
            raise Unprocessable(
                "only case systems send a professional; yours comes from your account", field="professional"
            )
        contact = actor.professional.contact
    return Signaller(organisation=actor.organisation, professional_id=str(contact.email).lower(), contact=contact)


def require_operator(caller: Caller) -> None:
    if caller.kind is not CallerKind.USER or not caller.in_group(Group.OPERATOR):
        raise Forbidden("only the region's operator may do this")


def require_brp(caller: Caller) -> None:
    if caller.kind is not CallerKind.USER or not caller.in_group(Group.BRP):
        raise Forbidden("only the BRP subscription service reports deaths and moves")
