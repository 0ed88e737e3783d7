"""Console pages for organisations and their professionals: register with a signalling profile,
suspend and reactivate, invite a professional in one step, update, deactivate, hand over signals."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response

from portal import pages
from portal.console import PREFIX
from portal.console.forms import form_page, parse, refusal
from portal.console.gate import operator_session
from portal.pages import app
from portal.sessions import Session
from verwijsindex import wiring
from verwijsindex.domain.errors import Conflict, DomainError, NotFound, Unprocessable
from verwijsindex.domain.models import (
    DEFAULT_SIGNALLING_PROFILE,
    Organisation,
    OrganisationStatus,
    Professional,
    ProfessionalStatus,
)
from verwijsindex.logic.invitations import InvitationRequest
from verwijsindex.logic.schemas import OrganisationRequest, ProfessionalUpdate, ProfileRequest, ReassignRequest

CONSOLE = "/beheer"
ORGANISATIONS = f"{CONSOLE}/organisaties"


def _services() -> wiring.Services:
    return pages.portal().services


def _clients(text: str) -> list[str]:
    """Client ids as people type them: one per line, or separated by commas or spaces."""
    return [part for part in text.replace(",", " ").split() if part]


@app.get(PREFIX)
def console_home() -> Response[str]:
    operator_session()
    return pages.redirect(pages.url(ORGANISATIONS))


@app.get(f"{PREFIX}/organisaties")
def organisations() -> Response[str]:
    session = operator_session()
    listed = _services().registry_service.list(session.principal.caller())
    listed = sorted(listed, key=lambda o: o.name.lower())
    return pages.page(
        "console/organisations.html",
        session,
        current="organisaties",
        organisations=listed,
        notice=pages.query("melding"),
    )


@app.get(f"{PREFIX}/organisaties/nieuw")
def new_organisation_form() -> Response[str]:
    session = operator_session()
    values = {"org_id": "", "name": "", "machine_clients": "", "signalling_profile": DEFAULT_SIGNALLING_PROFILE}
    return _new_organisation_page(session, values, {})


def _new_organisation_page(session: Session, values: dict[str, str], errors: dict[str, str]) -> Response[str]:
    return form_page("console/organisation_new.html", session, "organisaties", errors, values=values)


@app.post(f"{PREFIX}/organisaties/nieuw")
def register_organisation() -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    values = {k: form.get(k, "").strip() for k in ("org_id", "name", "machine_clients", "signalling_profile")}
    request, errors = parse(
        OrganisationRequest,
        {"org_id": values["org_id"], "name": values["name"], "machine_clients": _clients(values["machine_clients"])},
    )
    profile, profile_errors = parse(ProfileRequest, {"signalling_profile": values["signalling_profile"]})
    errors |= profile_errors
    if request is None or profile is None:
        return _new_organisation_page(session, values, errors)
    caller = session.principal.caller()
    try:
        created = _services().registry_service.create(caller, request)
    except Conflict as error:
        return _new_organisation_page(session, values, refusal(error))
    _services().registry_service.set_profile(caller, created.org_id, profile)
    return pages.redirect(pages.url(f"{ORGANISATIONS}/{created.org_id}", melding="aangesloten"))


def _organisation_form(
    template: str, session: Session, organisation: Organisation, errors: dict[str, str] | None, **context: Any
) -> Response[str]:
    """A page about one organisation, or about one of its professionals, with the notice of the step just taken."""
    context.update(organisation=organisation, notice=pages.query("melding"))
    return form_page(template, session, "organisaties", errors or {}, **context)


@app.get(f"{PREFIX}/organisaties/<org_id>")
def organisation_page(org_id: str) -> Response[str]:
    session = operator_session()
    return _organisation_page(session, org_id)


def _organisation_page(
    session: Session,
    org_id: str,
    *,
    profile: str | None = None,
    errors: dict[str, str] | None = None,
) -> Response[str]:
    services = _services()
    caller = session.principal.caller()
    organisation = services.registry_service.get(caller, org_id)
    professionals = sorted(
        services.professionals.of_organisation(caller, org_id), key=lambda p: (p.status.value, p.contact.name.lower())
    )
    return _organisation_form(
        "console/organisation.html",
        session,
        organisation,
        errors,
        professionals=professionals,
        suspended=organisation.status is OrganisationStatus.SUSPENDED,
        profile=organisation.signalling_profile if profile is None else profile,
    )


@app.post(f"{PREFIX}/organisaties/<org_id>/profiel")
def record_profile(org_id: str) -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    text = form.get("signalling_profile", "").strip()
    request, errors = parse(ProfileRequest, {"signalling_profile": text})
    if request is None:
        return _organisation_page(session, org_id, profile=text, errors=errors)
    _services().registry_service.set_profile(session.principal.caller(), org_id, request)
    return pages.redirect(pages.url(f"{ORGANISATIONS}/{org_id}", melding="profiel"))


@app.post(f"{PREFIX}/organisaties/<org_id>/schorsen")
def suspend_organisation(org_id: str) -> Response[str]:
    return _set_status(org_id, OrganisationStatus.SUSPENDED, "geschorst")


@app.post(f"{PREFIX}/organisaties/<org_id>/heractiveren")
def reactivate_organisation(org_id: str) -> Response[str]:
    return _set_status(org_id, OrganisationStatus.ACTIVE, "heractiveerd")


def _set_status(org_id: str, status: OrganisationStatus, notice: str) -> Response[str]:
    session = operator_session()
    pages.form(session)
    _services().registry_service.set_status(session.principal.caller(), org_id, status)
    return pages.redirect(pages.url(f"{ORGANISATIONS}/{org_id}", melding=notice))


# --- professionals --------------------------------------------------------------------------------


@app.get(f"{PREFIX}/organisaties/<org_id>/uitnodigen")
def invitation_form(org_id: str) -> Response[str]:
    session = operator_session()
    organisation = _services().registry_service.get(session.principal.caller(), org_id)
    return _invitation_page(session, organisation, {"name": "", "email": "", "phone": ""}, {})


def _invitation_page(
    session: Session, organisation: Organisation, values: dict[str, str], errors: dict[str, str]
) -> Response[str]:
    return _organisation_form("console/invite.html", session, organisation, errors, values=values)


def _portal_address() -> str:
    """Where the invited professional signs in: the portal's public origin in the stack, the
    address this request came to in the local run."""
    config = pages.portal().config
    origin = config.public_origin or f"http://{pages.app.current_event.headers.get('host') or 'localhost'}"
    return f"{origin}{config.base_path}/"


@app.post(f"{PREFIX}/organisaties/<org_id>/uitnodigen")
def invite_professional(org_id: str) -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    services = _services()
    caller = session.principal.caller()
    organisation = services.registry_service.get(caller, org_id)
    values = {k: form.get(k, "").strip() for k in ("name", "email", "phone")}
    request, errors = parse(InvitationRequest, values)
    if request is None:
        return _invitation_page(session, organisation, values, errors)
    try:
        invited = services.invitations.invite(
            caller,
            org_id,
            request,
            portal_url=_portal_address(),
            region_name=pages.portal().config.region_name,
        )
    except Conflict as error:
        return _invitation_page(session, organisation, values, refusal(error))
    notice = "uitgenodigd" if invited.invitation_sent else "niet-verstuurd"
    return pages.redirect(_professional_url(invited.professional, melding=notice))


def _professional_url(professional: Professional, **query: str) -> str:
    return pages.url(f"{ORGANISATIONS}/{professional.org_id}/professionals/{professional.user_id}", **query)


def _find(session: Session, org_id: str, user_id: str) -> tuple[Organisation, Professional, list[Professional]]:
    services = _services()
    caller = session.principal.caller()
    organisation = services.registry_service.get(caller, org_id)
    everyone = services.professionals.of_organisation(caller, org_id)
    found = next((p for p in everyone if p.user_id == user_id), None)
    if found is None:
        raise NotFound("no such professional in this organisation")
    colleagues = [p for p in everyone if p.user_id != user_id and p.status is ProfessionalStatus.ACTIVE]
    return organisation, found, sorted(colleagues, key=lambda p: p.contact.name.lower())


def _professional_page(
    session: Session,
    org_id: str,
    user_id: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response[str]:
    organisation, professional, colleagues = _find(session, org_id, user_id)
    handovers = _services().professionals.handovers(session.principal.caller(), False).items
    handover = next((h for h in handovers if h.org_id == org_id and h.user_id == user_id), None)
    contact = professional.contact
    return _organisation_form(
        "console/professional.html",
        session,
        organisation,
        errors,
        professional=professional,
        active=professional.status is ProfessionalStatus.ACTIVE,
        colleagues=colleagues,
        colleague_options=[(c.user_id, f"{c.contact.name} ({c.contact.email})") for c in colleagues],
        handover=handover,
        values=values or {"name": contact.name, "email": str(contact.email), "phone": contact.phone},
        moved=pages.query("verplaatst"),
        closed=pages.query("gesloten"),
    )


@app.get(f"{PREFIX}/organisaties/<org_id>/professionals/<user_id>")
def professional_page(org_id: str, user_id: str) -> Response[str]:
    session = operator_session()
    return _professional_page(session, org_id, user_id)


@app.post(f"{PREFIX}/organisaties/<org_id>/professionals/<user_id>")
def update_professional(org_id: str, user_id: str) -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    values = {k: form.get(k, "").strip() for k in ("name", "email", "phone")}
    request, errors = parse(ProfessionalUpdate, values)
    if request is None:
        return _professional_page(session, org_id, user_id, values=values, errors=errors)
    updated = _services().professionals.update(session.principal.caller(), org_id, user_id, request)
    return pages.redirect(_professional_url(updated, melding="bijgewerkt"))


@app.post(f"{PREFIX}/organisaties/<org_id>/professionals/<user_id>/deactiveren")
def deactivate_professional(org_id: str, user_id: str) -> Response[str]:
    session = operator_session()
    pages.form(session)
    done = _services().professionals.deactivate(session.principal.caller(), org_id, user_id)
    return pages.redirect(_professional_url(done.professional, melding="gedeactiveerd"))


@app.post(f"{PREFIX}/organisaties/<org_id>/professionals/<user_id>/overdragen")
def reassign_signals(org_id: str, user_id: str) -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    request, errors = parse(ReassignRequest, {"to_user_id": form.get("to_user_id", "")})
    if request is None:
        return _professional_page(session, org_id, user_id, errors=errors)
    try:
        outcome = _services().professionals.reassign(session.principal.caller(), org_id, user_id, request)
    except Unprocessable as error:
        return _professional_page(session, org_id, user_id, errors=refusal(error))
    _, professional, _ = _find(session, org_id, user_id)
    moved, closed = str(len(outcome.moved)), str(len(outcome.closed))
    return pages.redirect(_professional_url(professional, melding="overgedragen", verplaatst=moved, gesloten=closed))


@app.get(f"{PREFIX}/overdrachten")
def handovers() -> Response[str]:
    session = operator_session()
    services = _services()
    caller = session.principal.caller()
    waiting = sorted(services.professionals.handovers(caller, False).items, key=lambda h: h.due_on)
    names = {o.org_id: o.name for o in services.registry_service.list(caller)}
    people: dict[tuple[str, str], str] = {}
    for org_id in {h.org_id for h in waiting}:
        try:
            for p in services.professionals.of_organisation(caller, org_id):
                people[(org_id, p.user_id)] = p.contact.name
        except DomainError:
            continue
    return pages.page(
        "console/handovers.html", session, current="organisaties", handovers=waiting, names=names, people=people
    )
