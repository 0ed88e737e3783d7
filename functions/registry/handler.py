"""Organisation registry for the region's operator: affiliations, suspensions, professionals."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.contract import Tag, answer, people, problems
from verwijsindex.api.identity import Caller, Group, caller_from_event
from verwijsindex.api.observability import entry_point
from verwijsindex.api.resolver import ApiRouter, json_answer, new_resolver, resolve
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

router = ApiRouter()

OrgIdPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
UserIdPath = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9@._-]+$")]


def _caller() -> Caller:
    return caller_from_event(app.current_event.raw_event)


@router.post(
    "/organisations",
    status_code=201,
    operation_id="createOrganisation",
    tags=[Tag.REGISTRY],
    summary="Register an affiliated organisation",
    description="With the client ids of its case systems, each of which may belong to one organisation only.",
    security=people(Group.OPERATOR),
    responses={201: answer("The organisation.", Organisation), **problems(409, body=True)},
)
def create_organisation(request: OrganisationRequest) -> Response[Organisation]:
    organisation = wiring.current().registry_service.create(_caller(), request)
    return json_answer(organisation, 201)


@router.get(
    "/organisations",
    operation_id="listOrganisations",
    tags=[Tag.REGISTRY],
    summary="All organisations of the region",
    description="Active and suspended, with their case-system client ids.",
    security=people(Group.OPERATOR),
    responses={200: answer("The organisations.", list[Organisation]), **problems()},
)
def list_organisations() -> list[Organisation]:
    return wiring.current().registry_service.list(_caller())


@router.post(
    "/organisations/<org_id>/suspend",
    operation_id="suspendOrganisation",
    tags=[Tag.REGISTRY],
    summary="Suspend: the organisation can no longer signal",
    description="Its professionals and case systems get 403 until it is reactivated.",
    security=people(Group.OPERATOR),
    responses={200: answer("The organisation.", Organisation), **problems(404)},
)
def suspend(org_id: OrgIdPath) -> Organisation:
    return wiring.current().registry_service.set_status(_caller(), org_id, OrganisationStatus.SUSPENDED)


@router.post(
    "/organisations/<org_id>/reactivate",
    operation_id="reactivateOrganisation",
    tags=[Tag.REGISTRY],
    summary="Lift a suspension",
    description="The organisation may signal again.",
    security=people(Group.OPERATOR),
    responses={200: answer("The organisation.", Organisation), **problems(404)},
)
def reactivate(org_id: OrgIdPath) -> Organisation:
    return wiring.current().registry_service.set_status(_caller(), org_id, OrganisationStatus.ACTIVE)


@router.post(
    "/organisations/<org_id>/professionals",
    status_code=201,
    operation_id="addProfessional",
    tags=[Tag.REGISTRY],
    summary="Register a professional",
    description="`user_id` is the professional's Cognito sub; name, e-mail and phone go into match e-mails.",
    security=people(Group.OPERATOR),
    responses={201: answer("The professional.", Professional), **problems(404, 409, body=True)},
)
def add_professional(org_id: OrgIdPath, request: ProfessionalRequest) -> Response[Professional]:
    professional = wiring.current().registry_service.add_professional(_caller(), org_id, request)
    return json_answer(professional, 201)


@router.put(
    "/organisations/<org_id>/profile",
    operation_id="setSignallingProfile",
    tags=[Tag.REGISTRY],
    summary="Record the organisation's signalling profile",
    description="When its professionals signal; the portal shows it on the signal form.",
    security=people(Group.OPERATOR),
    responses={200: answer("The organisation.", Organisation), **problems(404, body=True)},
)
def set_profile(org_id: OrgIdPath, request: ProfileRequest) -> Organisation:
    return wiring.current().registry_service.set_profile(_caller(), org_id, request)


@router.get(
    "/organisations/<org_id>/professionals",
    operation_id="listProfessionals",
    tags=[Tag.REGISTRY],
    summary="The organisation's professionals, with their status",
    description="Active and deactivated.",
    security=people(Group.OPERATOR),
    responses={200: answer("The professionals.", list[Professional]), **problems(404)},
)
def list_professionals(org_id: OrgIdPath) -> list[Professional]:
    return wiring.current().professionals.of_organisation(_caller(), org_id)


@router.patch(
    "/organisations/<org_id>/professionals/<user_id>",
    operation_id="updateProfessional",
    tags=[Tag.REGISTRY],
    summary="New contact details of a professional",
    description="Old and new values go into the audit trail; the professional's active signals carry the new "
    "contact and the other parties of their live matches get one e-mail with it.",
    security=people(Group.OPERATOR),
    responses={200: answer("The professional.", Professional), **problems(404, body=True)},
)
def update_professional(org_id: OrgIdPath, user_id: UserIdPath, request: ProfessionalUpdate) -> Professional:
    return wiring.current().professionals.update(_caller(), org_id, user_id, request)


@router.post(
    "/organisations/<org_id>/professionals/<user_id>/deactivate",
    operation_id="deactivateProfessional",
    tags=[Tag.REGISTRY],
    summary="The professional left: no access, account disabled and signed out",
    description="Their active signals stay active and wait for a colleague (see the handovers).",
    security=people(Group.OPERATOR),
    responses={200: answer("The deactivation.", Deactivation), **problems(404)},
)
def deactivate_professional(org_id: OrgIdPath, user_id: UserIdPath) -> Deactivation:
    return wiring.current().professionals.deactivate(_caller(), org_id, user_id)


@router.post(
    "/organisations/<org_id>/professionals/<user_id>/reassign",
    operation_id="reassignSignals",
    tags=[Tag.REGISTRY],
    summary="Hand a professional's active signals to a colleague",
    description="The other party of every live match gets one e-mail with the new contact.",
    security=people(Group.OPERATOR),
    responses={200: answer("What moved and what closed.", Reassignment), **problems(404, body=True)},
)
def reassign_signals(org_id: OrgIdPath, user_id: UserIdPath, request: ReassignRequest) -> Reassignment:
    return wiring.current().professionals.reassign(_caller(), org_id, user_id, request)


@router.get(
    "/handovers",
    operation_id="listHandovers",
    tags=[Tag.REGISTRY],
    summary="Deactivated professionals' active signals still waiting for a colleague",
    description="`overdue=true`: only those past the region's handover period.",
    security=people(Group.OPERATOR),
    responses={200: answer("The handovers.", HandoverList), **problems()},
)
def list_handovers(
    overdue: Annotated[bool, Query(description="Only those past the region's handover period")] = False,
) -> HandoverList:
    return wiring.current().professionals.handovers(_caller(), overdue)


app = new_resolver(router, "Verwijsindex organisation registry")


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context, gate=require_operator)
