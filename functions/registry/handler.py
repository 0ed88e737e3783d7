"""Organisation registry for the region's operator: affiliations, suspensions, professionals."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.contract import Tag, answers, people
from verwijsindex.api.identity import Group
from verwijsindex.api.observability import entry_point
from verwijsindex.api.resolver import ApiRouter, gated_caller, json_answer, new_resolver, resolve
from verwijsindex.domain.models import Organisation, OrganisationStatus, Professional
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.schemas import (
    Deactivation,
    HandoverList,
    OrganisationRequest,
    ProfessionalRequest,
    ProfessionalUpdate,
    ProfileRequest,
    Reassignment,
    ReassignRequest,
)

router = ApiRouter(Tag.REGISTRY, security=people(Group.OPERATOR))

OrgIdPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
UserIdPath = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9@._-]+$")]


@router.post("/organisations", responses=answers({201: "The organisation."}, 409, body=True))
def create_organisation(request: OrganisationRequest) -> Response[Organisation]:
    """Register an affiliated organisation

    With the client ids of its case systems, each of which may belong to one organisation only.
    """
    organisation = wiring.current().registry_service.create(gated_caller(app), request)
    return json_answer(organisation, 201)


@router.get("/organisations", responses=answers("The organisations."))
def list_organisations() -> list[Organisation]:
    """All organisations of the region

    Active and suspended, with their case-system client ids.
    """
    return wiring.current().registry_service.list(gated_caller(app))


@router.post("/organisations/<org_id>/suspend", responses=answers("The organisation.", 404))
def suspend_organisation(org_id: OrgIdPath) -> Organisation:
    """Suspend: the organisation can no longer signal

    Its professionals and case systems get 403 until it is reactivated.
    """
    return wiring.current().registry_service.set_status(gated_caller(app), org_id, OrganisationStatus.SUSPENDED)


@router.post("/organisations/<org_id>/reactivate", responses=answers("The organisation.", 404))
def reactivate_organisation(org_id: OrgIdPath) -> Organisation:
    """Lift a suspension

    The organisation may signal again.
    """
    return wiring.current().registry_service.set_status(gated_caller(app), org_id, OrganisationStatus.ACTIVE)


@router.post(
    "/organisations/<org_id>/professionals", responses=answers({201: "The professional."}, 404, 409, body=True)
)
def add_professional(org_id: OrgIdPath, request: ProfessionalRequest) -> Response[Professional]:
    """Register a professional

    `user_id` is the professional's Cognito sub; name, e-mail and phone go into match e-mails.
    """
    professional = wiring.current().registry_service.add_professional(gated_caller(app), org_id, request)
    return json_answer(professional, 201)


@router.put("/organisations/<org_id>/profile", responses=answers("The organisation.", 404, body=True))
def set_signalling_profile(org_id: OrgIdPath, request: ProfileRequest) -> Organisation:
    """Record the organisation's signalling profile

    When its professionals signal; the portal shows it on the signal form.
    """
    return wiring.current().registry_service.set_profile(gated_caller(app), org_id, request)


@router.get("/organisations/<org_id>/professionals", responses=answers("The professionals.", 404))
def list_professionals(org_id: OrgIdPath) -> list[Professional]:
    """The organisation's professionals, with their status

    Active and deactivated.
    """
    return wiring.current().professionals.of_organisation(gated_caller(app), org_id)


@router.patch("/organisations/<org_id>/professionals/<user_id>", responses=answers("The professional.", 404, body=True))
def update_professional(org_id: OrgIdPath, user_id: UserIdPath, request: ProfessionalUpdate) -> Professional:
    """New contact details of a professional

    Old and new values go into the audit trail; the professional's active signals carry the new
    contact and the other parties of their live matches get one e-mail with it.
    """
    return wiring.current().professionals.update(gated_caller(app), org_id, user_id, request)


@router.post("/organisations/<org_id>/professionals/<user_id>/deactivate", responses=answers("The deactivation.", 404))
def deactivate_professional(org_id: OrgIdPath, user_id: UserIdPath) -> Deactivation:
    """The professional left: no access, account disabled and signed out

    Their active signals stay active and wait for a colleague (see the handovers).
    """
    return wiring.current().professionals.deactivate(gated_caller(app), org_id, user_id)


@router.post(
    "/organisations/<org_id>/professionals/<user_id>/reassign",
    responses=answers("What moved and what closed.", 404, body=True),
)
def reassign_signals(org_id: OrgIdPath, user_id: UserIdPath, request: ReassignRequest) -> Reassignment:
    """Hand a professional's active signals to a colleague

    The other party of every live match gets one e-mail with the new contact.
    """
    return wiring.current().professionals.reassign(gated_caller(app), org_id, user_id, request)


@router.get("/handovers", responses=answers("The handovers."))
def list_handovers(
    overdue: Annotated[bool, Query(description="Only those past the region's handover period")] = False,
) -> HandoverList:
    """Deactivated professionals' active signals still waiting for a colleague

    `overdue=true`: only those past the region's handover period.
    """
    return wiring.current().professionals.handovers(gated_caller(app), overdue)


app = new_resolver(router, "Verwijsindex organisation registry")


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context, gate=require_operator)
