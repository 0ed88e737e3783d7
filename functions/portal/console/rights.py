"""Console pages for the rights of families: the inbox by deadline, recording a request, deciding
it (granting needs the BSN typed again, refusing a reason), the dossier on screen and as a
printable download, corrections and objections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response

from portal import pages
from portal.console import PREFIX
from portal.console.forms import for_field, form_page, parse, refusal
from portal.console.gate import operator_session
from portal.messages import iso_date
from portal.pages import app
from portal.sessions import Session

if TYPE_CHECKING:  # built by the composition root on first use
    from verwijsindex.logic.rights import RightsService
from verwijsindex.domain.errors import Conflict, Unprocessable
from verwijsindex.logic.rights_schemas import (
    CreateRightsRequest,
    DecisionRequest,
    Dossier,
    ObjectionJudgement,
    RightsKind,
    RightsRequestView,
    RightsStatus,
    SignalCorrection,
)

RIGHTS = "/beheer/rechten"
PAGE_SIZE = 25
CORRECTION_ROWS = 3
KINDS = {
    "inzage": "Inzage",
    "kopie": "Kopie",
    "correctie": "Correctie",
    "bezwaar": "Bezwaar (verzet)",
}
ASKERS = {"parents": "De ouders", "youth": "De jeugdige", "both": "De ouders en de jeugdige samen"}
INCOMPLETE_PROFESSIONAL = "Vul naam, e-mailadres en telefoonnummer van de juiste professional geldig in."
STATUSES = {"open": "Open", "granted": "Toegekend", "refused": "Afgewezen"}
TABS = {"open": RightsStatus.OPEN, "toegekend": RightsStatus.GRANTED, "afgewezen": RightsStatus.REFUSED}


def _rights() -> RightsService:
    return pages.portal().services.rights


def _words() -> dict[str, Any]:
    return {"kinds": KINDS, "askers": ASKERS, "statuses": STATUSES}


def _ids(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


@app.get(f"{PREFIX}/rechten")
def inbox() -> Response[str]:
    session = operator_session()
    tab = pages.query("tab") if pages.query("tab") in TABS else "open"
    cursor = pages.query("cursor") or None
    page = _rights().list_requests(session.principal.caller(), TABS[tab], False, PAGE_SIZE, cursor)
    next_url = pages.url(RIGHTS, tab=tab, cursor=page.next_cursor) if page.next_cursor else None
    return pages.page(
        "console/rights.html",
        session,
        current="rechten",
        tab=tab,
        requests=page.items,
        overdue=sum(1 for r in page.items if r.overdue),
        next_url=next_url,
        first_page=cursor is None,
        **_words(),
    )


@app.get(f"{PREFIX}/rechten/nieuw")
def new_request_form() -> Response[str]:
    session = operator_session()
    values = {"kind": "inzage", "bsn": "", "requested_by": "parents", "received_on": "", "details": ""}
    return _new_request_page(session, values, {})


def _new_request_page(session: Session, values: dict[str, str], errors: dict[str, str]) -> Response[str]:
    return form_page(
        "console/rights_new.html",
        session,
        "rechten",
        errors,
        values=values,
        kind_options=list(KINDS.items()),
        asker_options=list(ASKERS.items()),
    )


@app.post(f"{PREFIX}/rechten/nieuw")
def record_request() -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    values = {k: form.get(k, "").strip() for k in ("kind", "bsn", "requested_by", "received_on", "details")}
    fields: dict[str, object] = {
        "kind": values["kind"],
        "bsn": values["bsn"],
        "requested_by": values["requested_by"],
        "received_on": iso_date(values["received_on"]),
    }
    if values["details"]:
        fields["details"] = values["details"]
    request, errors = parse(CreateRightsRequest, fields)
    if request is None:
        return _new_request_page(session, {**values, "bsn": ""}, errors)
    try:
        created = _rights().create(session.principal.caller(), request)
    except Unprocessable as error:
        # The BSN is not shown again: the operator types it anew.
        return _new_request_page(session, {**values, "bsn": ""}, refusal(error))
    return pages.redirect(pages.url(f"{RIGHTS}/{created.request_id}", melding="vastgelegd"))


def _request_page(
    session: Session,
    request_id: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    request: RightsRequestView | None = None,
) -> Response[str]:
    if request is None:
        request = _rights().get(session.principal.caller(), request_id)  # audited: a read of a request
    organisations = pages.portal().services.registry_service.list(session.principal.caller())
    return form_page(
        "console/rights_request.html",
        session,
        "rechten",
        errors or {},
        request=request,
        values=values or {},
        rows=range(1, CORRECTION_ROWS + 1),
        organisation_options=[("", "(ongewijzigd)")] + [(o.org_id, o.name) for o in organisations],
        notice=pages.query("melding"),
        **_words(),
    )


@app.get(f"{PREFIX}/rechten/<request_id>")
def request_page(request_id: str) -> Response[str]:
    session = operator_session()
    return _request_page(session, request_id)


@app.post(f"{PREFIX}/rechten/<request_id>/afwijzen")
def refuse(request_id: str) -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    reason = form.get("reason", "").strip()
    decision, errors = parse(DecisionRequest, {"outcome": "refused", "reason": reason or None})
    if decision is None or not reason:
        return _request_page(session, request_id, errors=errors or {"reason": for_field("reason")})
    try:
        _rights().decide(session.principal.caller(), request_id, decision)
    except Conflict:
        return _request_page(session, request_id, errors={"": _decided()})
    return pages.redirect(pages.url(f"{RIGHTS}/{request_id}", melding="afgewezen"))


def _decided() -> str:
    return "Over dit verzoek is al beslist."


def _corrections(form: dict[str, str]) -> tuple[list[SignalCorrection], dict[str, str]]:
    """Up to three rows: a signal id, and its right organisation and/or professional."""
    found: list[SignalCorrection] = []
    errors: dict[str, str] = {}
    for row in range(1, CORRECTION_ROWS + 1):
        value = {k: form.get(f"c{row}_{k}", "").strip() for k in ("signal_id", "org_id", "name", "email", "phone")}
        if not value["signal_id"]:
            continue
        fields: dict[str, object] = {"signal_id": value["signal_id"]}
        if value["org_id"]:
            fields["org_id"] = value["org_id"]
        if value["name"] or value["email"] or value["phone"]:
            fields["professional"] = {"name": value["name"], "email": value["email"], "phone": value["phone"]}
        correction, problems = parse(SignalCorrection, fields)
        if correction is None:
            for name, message in problems.items():
                if name == "professional":
                    errors[f"c{row}_name"] = INCOMPLETE_PROFESSIONAL
                else:
                    errors[f"c{row}_{name}"] = message
        else:
            found.append(correction)
    return found, errors


def _objections(form: dict[str, str]) -> tuple[list[ObjectionJudgement], dict[str, str]]:
    objected = _ids(form.get("objected", ""))
    unjustified = set(_ids(form.get("unjustified", "")))
    judgements: list[ObjectionJudgement] = []
    for signal_id in dict.fromkeys([*objected, *sorted(unjustified)]):
        judgement, _ = parse(ObjectionJudgement, {"signal_id": signal_id, "unjustified": signal_id in unjustified})
        if judgement is None:
            return [], {"objected": "Vul signaalnummers in zoals ze in het dossier staan, gescheiden door spaties."}
        judgements.append(judgement)
    return judgements, {}


@app.post(f"{PREFIX}/rechten/<request_id>/toekennen")
def grant(request_id: str) -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    caller = session.principal.caller()
    request = _rights().get(caller, request_id)
    kept = {k: v for k, v in form.items() if k != "bsn"}
    fields: dict[str, object] = {"outcome": "granted", "bsn": form.get("bsn", "").strip()}
    errors: dict[str, str] = {}
    if request.kind is RightsKind.CORRECTIE:
        corrections, errors = _corrections(form)
        fields["corrections"] = [c.model_dump(exclude_none=True) for c in corrections]
    elif request.kind is RightsKind.BEZWAAR:
        objections, errors = _objections(form)
        fields["objections"] = [o.model_dump() for o in objections]
    else:
        fields["format"] = "json"
    decision, problems = parse(DecisionRequest, fields)
    errors = {**problems, **errors}
    if decision is None or errors:
        return _request_page(session, request_id, errors=errors, values=kept, request=request)
    try:
        outcome = _rights().decide(caller, request_id, decision)
    except Unprocessable as error:
        return _request_page(session, request_id, errors=_on_rows(refusal(error)), values=kept, request=request)
    except Conflict:
        return _request_page(session, request_id, errors={"": _decided()}, request=request)
    response = outcome.response
    if response.dossier is not None:
        return _dossier_page(session, response.request, response.dossier, granted=True)
    return pages.page(
        "console/rights_decided.html",
        session,
        current="rechten",
        request=response.request,
        outcome=response,
        **_words(),
    )


def _on_rows(errors: dict[str, str]) -> dict[str, str]:
    """The use case names `corrections` or `objections`; the form has the first row's field."""
    moved = {"corrections": "c1_signal_id", "objections": "objected"}
    return {moved.get(name, name): message for name, message in errors.items()}


def _dossier_page(session: Session, request: RightsRequestView, dossier: Dossier, *, granted: bool) -> Response[str]:
    return pages.page(
        "console/dossier.html",
        session,
        current="rechten",
        request=request,
        dossier=dossier,
        granted=granted,
        errors={},
        **_words(),
    )


@app.post(f"{PREFIX}/rechten/<request_id>/dossier")
def dossier_again(request_id: str) -> Response[str]:
    session = operator_session()
    form = pages.form(session)
    caller = session.principal.caller()
    try:
        dossier = _rights().dossier(caller, request_id, form.get("bsn", "").strip())
    except Unprocessable as error:
        return _request_page(session, request_id, errors=refusal(error))
    if form.get("weergave") != "download":
        return _dossier_page(session, _rights().get(caller, request_id), dossier, granted=False)
    from verwijsindex.logic.dossier_document import render_dossier  # only when a dossier is downloaded

    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=render_dossier(dossier),
        headers={"Content-Disposition": f'attachment; filename="dossier-{request_id}.html"'},
    )
