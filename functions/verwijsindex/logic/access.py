"""Who may do what: identity comes from the authorizer, rights from the registry."""

from __future__ import annotations

from dataclasses import dataclass

from verwijsindex.adapters.dynamo.registry_store import RegistryStore
from verwijsindex.api.identity import SIGNALS_SCOPE, Caller, CallerKind, Group
from verwijsindex.domain.errors import Forbidden, Unprocessable
from verwijsindex.domain.models import Contact, Organisation, OrganisationStatus


@dataclass(frozen=True)
class Signaller:
    organisation: Organisation
    professional_id: str
    contact: Contact


def organisation_of(caller: Caller, registry: RegistryStore) -> Organisation:
    """The registered organisation a professional or case system acts for."""
    if caller.kind is CallerKind.MACHINE:
        if SIGNALS_SCOPE not in caller.scopes:
            raise Forbidden("this client lacks the signals scope")
        org_id = registry.org_for_client(caller.subject)
    else:
        if not caller.in_group(Group.PROFESSIONAL):
            raise Forbidden("only professionals and case systems work with signals")
        org_id = caller.org_id
    organisation = registry.get_organisation(org_id) if org_id else None
    if organisation is None:
        raise Forbidden("your organisation is not registered in this region")
    return organisation


def signaller(caller: Caller, registry: RegistryStore, given: Contact | None) -> Signaller:
    """The organisation must be active; a user's contact comes from the registry, a case
    system names the professional in the request."""
    if caller.kind is CallerKind.MACHINE:
        organisation = organisation_of(caller, registry)
        if given is None:
            raise Unprocessable("a case system must name the professional", field="professional")
        contact = given
    else:
        if not caller.in_group(Group.PROFESSIONAL):
            raise Forbidden("only professionals and case systems work with signals")
        if given is not None:
            raise Unprocessable(
                "only case systems send a professional; yours comes from your account", field="professional"
            )
        found, professional = registry.organisation_and_professional(caller.org_id or "", caller.subject)
        if found is None:
            raise Forbidden("your organisation is not registered in this region")
        if professional is None:
            raise Forbidden("you are not registered as a professional of your organisation")
        organisation, contact = found, professional.contact
    if organisation.status is not OrganisationStatus.ACTIVE:
        raise Forbidden("your organisation is suspended and cannot signal")
    return Signaller(organisation=organisation, professional_id=str(contact.email).lower(), contact=contact)


def require_operator(caller: Caller) -> None:
    if caller.kind is not CallerKind.USER or not caller.in_group(Group.OPERATOR):
        raise Forbidden("only the region's operator may do this")
