"""Who a signed-in person is in the portal: their organisation and name from the registry."""

from __future__ import annotations

from collections.abc import Iterable

from portal.sessions import Principal
from verwijsindex import wiring
from verwijsindex.api.identity import Group


def principal_for(
    services: wiring.Services, *, user_id: str, org_id: str | None, groups: Iterable[str], username: str = ""
) -> Principal:
    """The registry names the person; access itself is checked again by every use case."""
    groups = tuple(sorted(set(groups)))
    name, organisation = "Beheerder" if Group.OPERATOR.value in groups else user_id, ""
    if org_id:
        found, professional = services.registry_store.organisation_and_professional(org_id, user_id)
        if found is not None:
            organisation = found.name
        if professional is not None:
            name = professional.contact.name
    return Principal(
        user_id=user_id, org_id=org_id, groups=groups, name=name, organisation=organisation, username=username
    )
