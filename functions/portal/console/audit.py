"""Console pages for the audit trail: of a youth (the BSN typed in a form and posted, never in a
URL) and of an actor (a professional, a case system, an operator). Every look is itself audited by
the use case, before the trail is read, so the page shows it too."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, Field

from portal import pages
from portal.console import PREFIX
from portal.console.forms import form_page, parse
from portal.console.gate import operator_session
from portal.pages import app
from portal.sessions import Session
from verwijsindex.domain.bsn import Bsn

PAGE_SIZE = 50
# What the operator reads for each recorded action; an action not named here shows its code.
ACTIONS = {
    "signal.placed": "Signaal afgegeven",
    "signal.replayed": "Signaal opnieuw afgegeven (bestond al)",
    "signal.read": "Signaal ingezien",
    "signals.listed": "Signalen opgevraagd",
    "signal.closed": "Signaal beëindigd",
    "signal.informed_recorded": "Informeren van het gezin vastgelegd",
    "signal.destroyed": "Signaal vernietigd",
    "signal.refused": "Signaal geweigerd",
    "signal.reassigned": "Signaal overgedragen",
    "signal.corrected": "Signaal gecorrigeerd",
    "signal.expired": "Signaal verlopen",
    "signal.purged": "Signaal na de bewaartermijn vernietigd",
    "match.created": "Match ontstaan",
    "matches.read": "Matches ingezien",
    "history.read": "Historie ingezien",
    "match.coordinator_named": "Regievoerder gekozen",
    "match.coordinated": "Match afgestemd",
    "youth.destroyed": "Alle gegevens van de jeugdige vernietigd",
    "youth.moved": "Verhuizing volgens de BRP",
    "rights.received": "Rechtenverzoek ontvangen",
    "rights.read": "Rechtenverzoek ingezien",
    "rights.granted": "Rechtenverzoek toegekend",
    "rights.refused": "Rechtenverzoek afgewezen",
    "rights.dossier_issued": "Dossier opgesteld",
    "rights.brp_refreshed": "BRP-gegevens opnieuw opgevraagd",
    "rights.objection_notified": "Professional bericht na bezwaar",
    "audit.read": "Audittrail ingezien",
    "organisation.created": "Organisatie aangesloten",
    "organisation.suspended": "Organisatie geschorst",
    "organisation.reactivated": "Schorsing opgeheven",
    "organisation.profile_recorded": "Signaleringsprofiel vastgelegd",
    "professional.registered": "Professional geregistreerd",
    "professional.updated": "Gegevens van professional gewijzigd",
    "professional.deactivated": "Professional gedeactiveerd",
    "professional.signals_reassigned": "Signalen van professional overgedragen",
    "national.move_notice": "Verhuisbericht van de landelijke index",
}


class ByYouth(BaseModel):
    bsn: Bsn


class ByActor(BaseModel):
    actor: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9@._:-]+$")


def _trail(session: Session, bsn: str | None, actor: str | None, cursor: str | None) -> Any:
    return pages.portal().services.audit_trail.read(session.principal.caller(), bsn, actor, PAGE_SIZE, cursor)


def _page(session: Session, errors: dict[str, str] | None = None, **context: Any) -> Response[str]:
    context.setdefault("values", {})
    context.setdefault("trail", None)
    return form_page("console/audit.html", session, "audit", errors or {}, actions=ACTIONS, **context)


@app.get(f"{PREFIX}/audit")
def audit_page() -> Response[str]:
    session = operator_session()
    actor = pages.query("actor").strip()
    if not actor:
        return _page(session)
    request, errors = parse(ByActor, {"actor": actor})
    if request is None:
        return _page(session, errors, values={"actor": actor[:128]})
    trail = _trail(session, None, request.actor, pages.query("cursor") or None)
    next_url = pages.url("/beheer/audit", actor=request.actor, cursor=trail.next_cursor) if trail.next_cursor else None
    return _page(session, trail=trail, by="actor", values={"actor": request.actor}, next_url=next_url)


@app.post(f"{PREFIX}/audit")
def audit_of_youth() -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    request, errors = parse(ByYouth, {"bsn": form.get("bsn", "").strip()})
    if request is None:
        return _page(session, errors)
    trail = _trail(session, request.bsn, None, form.get("cursor") or None)
    # The next page is another post of the same form: the BSN stays out of every URL.
    return _page(session, trail=trail, by="youth", bsn=request.bsn)
