"""The portal Lambda (backend-for-frontend): server-side rendered pages for professionals.

Every page calls the same use cases as the API; the portal adds sign-in, sessions, forms and
Dutch words, never a rule of its own. No page runs script.
"""

from __future__ import annotations

import secrets
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.shared.cookies import Cookie
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from portal import pages
from portal.messages import dutch, for_field, iso_date
from portal.pages import FormRefused, SignInRequired, app
from portal.security import with_security_headers
from portal.sessions import LOGIN_COOKIE, SESSION_COOKIE, Principal, Session, cookie, expired_cookie
from portal.signing_in import principal_for
from verwijsindex.adapters.cognito import LoginRefused, pkce_pair
from verwijsindex.api.observability import logger
from verwijsindex.domain.errors import DomainError, Forbidden, NotFound
from verwijsindex.domain.matches import MatchKind
from verwijsindex.domain.models import OrganisationStatus
from verwijsindex.logic import access
from verwijsindex.logic.access import Actor
from verwijsindex.logic.match_schemas import CoordinatorRequest, MatchView
from verwijsindex.logic.schemas import CloseSignalRequest, InformedRequest, PlaceSignalRequest

PREFIX = "/portaal"
PAGE_SIZE = 20
CLOSE_REASONS = {"beeindigd": "ended", "onterecht": "unjustified"}


# --- request helpers (portal/pages.py) ------------------------------------------------------------

_portal = pages.portal
_cookie = pages.cookie
_session = pages.session
_query = pages.query
_form = pages.form
_url = pages.url
_page = pages.page
_redirect = pages.redirect


def _professional(session: Session) -> Session:
    if not session.principal.is_professional:
        raise Forbidden("only professionals work with signals")
    return session


# --- errors ----------------------------------------------------------------------------------------


@app.exception_handler(SignInRequired)
def _sign_in_first(_: SignInRequired) -> Response[str]:
    return _redirect(_url("/inloggen"))


@app.exception_handler(FormRefused)
def _form_refused(_: FormRefused) -> Response[str]:
    return _page(
        "error.html",
        status=403,
        title="Formulier verlopen",
        message="Dit formulier is verlopen of niet vanuit het portaal verstuurd. Er is niets veranderd. "
        "Open de pagina opnieuw en probeer het nog eens.",
    )


@app.exception_handler(DomainError)
def _domain_error(error: DomainError) -> Response[str]:
    titles = {404: "Niet gevonden", 403: "Geen toegang", 409: "Niet mogelijk", 422: "Niet mogelijk"}
    session = _portal().sessions.current(_cookie(SESSION_COOKIE))
    return _page(
        "error.html", session, status=error.status, title=titles.get(error.status, "Fout"), message=dutch(error)
    )


@app.not_found
def _not_found(_: Exception) -> Response[str]:
    response: Response[str] = _domain_error(NotFound("no such page"))
    return response


# --- signing in and out ----------------------------------------------------------------------------


@app.get("/")
def root() -> Response[str]:
    return _redirect(_url("/"))


@app.get(PREFIX)
def home() -> Response[str]:
    session = _portal().sessions.current(_cookie(SESSION_COOKIE))
    if session is None:
        return _redirect(_url("/inloggen"))
    if session.principal.is_professional:
        return _redirect(_url("/signalen"))
    # Operators work in the municipality's console; anyone else has the help pages.
    return _redirect(_url("/beheer" if session.principal.is_operator else "/hulp"))


@app.get(f"{PREFIX}/inloggen")
def sign_in_page() -> Response[str]:
    portal = _portal()
    return _page("sign_in.html", current="inloggen", local_users=portal.local_users() if portal.cognito is None else [])


@app.get(f"{PREFIX}/inloggen/start")
def sign_in_start() -> Response[str]:
    cognito = _portal().cognito
    if cognito is None:
        return _redirect(_url("/inloggen"))
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    value = _portal().sessions.start_login({"verifier": verifier, "state": state, "nonce": nonce})
    login_cookie = cookie(LOGIN_COOKIE, value, 600)
    return _redirect(cognito.authorize_url(state, challenge, nonce), cookies=[login_cookie])


@app.get(f"{PREFIX}/callback")
def sign_in_callback() -> Response[str]:
    portal = _portal()
    cognito = portal.cognito
    pending = portal.sessions.take_login(_cookie(LOGIN_COOKIE))
    code, state = _query("code"), _query("state")
    if cognito is None or pending is None or not code or not secrets.compare_digest(state, pending["state"]):
        return _page(
            "error.html", status=400, title="Inloggen mislukt", message="Inloggen is verlopen. Probeer opnieuw."
        )
    try:
        claims = cognito.exchange(code, pending["verifier"], pending["nonce"], portal.services.clock.now())
    except LoginRefused as error:
        logger.warning("sign-in refused", extra={"reason": str(error)})
        return _page(
            "error.html", status=400, title="Inloggen mislukt", message="Inloggen is mislukt. Probeer opnieuw."
        )
    principal = principal_for(
        portal.services,
        user_id=str(claims["sub"]),
        org_id=claims.get("custom:org_id"),
        groups=claims.get("cognito:groups") or [],
        username=str(claims.get("cognito:username") or claims["sub"]),
    )
    value, _ = portal.sessions.start(principal)
    return _redirect(_url(), cookies=[portal.sessions.session_cookie(value), expired_cookie(LOGIN_COOKIE)])


@app.post(f"{PREFIX}/uitloggen")
def sign_out() -> Response[str]:
    portal = _portal()
    session = _session()
    _form(session)
    portal.sessions.end_everywhere(session)
    cookies = [expired_cookie(SESSION_COOKIE)]
    if portal.cognito is not None:
        portal.cognito.sign_out_everywhere(session.principal.username or session.principal.user_id)
        return _redirect(portal.cognito.logout_url(), cookies=cookies)
    return _redirect(_url("/inloggen", uit="1"), cookies=cookies)


def start_session(principal: Principal) -> Cookie:
    """Signs a person in without the identity provider: the local run's /_local/login only."""
    value, _ = _portal().sessions.start(principal)
    return _portal().sessions.session_cookie(value)


# --- signals ----------------------------------------------------------------------------------------


@app.get(f"{PREFIX}/signalen")
def my_signals() -> Response[str]:
    session = _professional(_session())
    tab = "organisatie" if _query("tab") == "organisatie" else "mijn"
    cursor = _query("cursor") or None
    page = _portal().services.signals.overview(session.principal.caller(), PAGE_SIZE, cursor, mine=tab == "mijn")
    next_url = _url("/signalen", tab=tab, cursor=page.next_cursor) if page.next_cursor else None
    return _page(
        "signals.html",
        session,
        current="signalen",
        page=page,
        tab=tab,
        next_url=next_url,
        first_page=cursor is None,
        notice=_query("melding"),
    )


@app.get(f"{PREFIX}/signalen/nieuw")
def new_signal_form() -> Response[str]:
    session = _professional(_session())
    values = {"client_reference": _query("referentie")[:64]}
    context: dict[str, Any] = {"values": values, "errors": {}, "summary": {}, "profile": _profile(session)}
    return _page("new_signal.html", session, current="nieuw", **context)


def _profile(session: Session) -> str:
    return _portal().services.registry_service.profile_of(session.principal.caller())


@app.post(f"{PREFIX}/signalen/nieuw")
def place_signal() -> Response[str]:
    session = _professional(_session())
    form = _form(session)
    values = {k: form.get(k, "").strip() for k in ("bsn", "birth_date", "client_reference", "active_until")}
    errors: dict[str, str] = {}
    if not values["birth_date"]:
        errors["birth_date"] = for_field("birth_date")  # the portal always checks the date with the BSN
    fields: dict[str, str] = {k: v for k, v in values.items() if v}
    for name in ("birth_date", "active_until"):
        if name in fields:
            fields[name] = iso_date(fields[name])
    try:
        request = PlaceSignalRequest.model_validate(fields)
    except ValidationError as error:
        for problem in error.errors(include_input=False):
            name = str(problem["loc"][0]) if problem["loc"] else "bsn"
            errors.setdefault(name, for_field(name))
    if not errors:
        try:
            outcome = _portal().services.signals.place(_actor(session), request)
        except DomainError as error:
            if error.status != 422:
                raise
            message = dutch(error)
            errors = {field: message for field in error.fields} or {"bsn": message}
        else:
            return _page("placed.html", session, placed=outcome.response, created=outcome.created)
    # One line per message: a wrong BSN or date of birth gives one message for both fields.
    summary: dict[str, str] = {}
    for name, message in errors.items():
        summary.setdefault(message, name)
    context: dict[str, Any] = {"values": values, "errors": errors, "summary": summary, "profile": _profile(session)}
    return _page("new_signal.html", session, status=422, current="nieuw", **context)


def _actor(session: Session) -> Actor:
    """The signed-in professional as the registry knows them, checked on every page that reaches
    signals, matches or coordination (a deactivated professional's session reaches nothing)."""
    return access.signals_actor(session.principal.caller(), _portal().services.registry_store)


@app.get(f"{PREFIX}/signalen/<signal_id>")
def signal_page(signal_id: str) -> Response[str]:
    session = _professional(_session())
    services = _portal().services
    actor = _actor(session)
    signal = services.signals.get(actor, signal_id)
    matches: list[MatchView] = []
    history = []
    # A suspended organisation sees its own signals only (see access.require_active).
    if signal.status == "active" and actor.organisation.status is OrganisationStatus.ACTIVE:
        matches = services.match_views.list_matches(actor, signal_id).items
        history = services.match_views.history(actor, signal_id).items
    client = [m for m in matches if m.kind is MatchKind.CLIENT]
    family = [m for m in matches if m.kind is MatchKind.FAMILY]
    return _page(
        "signal.html",
        session,
        signal=signal,
        client_matches=client,
        family_matches=family,
        history=history,
        notice=_query("melding"),
    )


@app.get(f"{PREFIX}/signalen/<signal_id>/beeindigen")
def close_confirmation(signal_id: str) -> Response[str]:
    session = _professional(_session())
    reason = _query("reden")
    if reason not in CLOSE_REASONS:
        raise NotFound("no such page")
    signal = _portal().services.signals.get(_actor(session), signal_id)
    return _page("close.html", session, signal=signal, reason=reason)


@app.post(f"{PREFIX}/signalen/<signal_id>/beeindigen")
def close_signal(signal_id: str) -> Response[str]:
    session = _professional(_session())
    form = _form(session)
    reason = CLOSE_REASONS.get(form.get("reden", ""))
    if reason is None:
        raise NotFound("no such page")
    result = _portal().services.signals.close(
        _actor(session), signal_id, CloseSignalRequest.model_validate({"reason": reason})
    )
    if result.status == "destroyed":
        return _redirect(_url("/signalen", melding="ingetrokken"))
    return _redirect(_url(f"/signalen/{signal_id}", melding="beeindigd"))


@app.post(f"{PREFIX}/signalen/<signal_id>/geinformeerd")
def record_informed(signal_id: str) -> Response[str]:
    session = _professional(_session())
    form = _form(session)
    if form.get("informed") not in {"yes", "later"}:
        raise NotFound("no such page")
    request = InformedRequest.model_validate({"informed": form["informed"]})
    _portal().services.signals.record_informed(_actor(session), signal_id, request)
    return _redirect(_url(f"/signalen/{signal_id}", melding="geinformeerd"))


@app.post(f"{PREFIX}/matches/<match_id>/regievoerder")
def name_coordinator(match_id: str) -> Response[str]:
    session = _professional(_session())
    form = _form(session)
    request = CoordinatorRequest(signal_id=form.get("signal_id", "-"))
    view = _portal().services.match_views.name_coordinator(_actor(session), match_id, request)
    return _redirect(_url(f"/signalen/{view.signal_id}", melding="regievoerder"))


@app.post(f"{PREFIX}/matches/<match_id>/afgestemd")
def mark_coordinated(match_id: str) -> Response[str]:
    session = _professional(_session())
    _form(session)
    view = _portal().services.match_views.mark_coordinated(_actor(session), match_id)
    return _redirect(_url(f"/signalen/{view.signal_id}", melding="afgestemd"))


# --- help and static assets -------------------------------------------------------------------------


@app.get(f"{PREFIX}/hulp")
def help_page() -> Response[str]:
    return _page("help.html", _portal().sessions.current(_cookie(SESSION_COOKIE)), current="hulp")


@app.get(f"{PREFIX}/static/<version>/<name>")
def static_asset(version: str, name: str) -> Response[str]:
    asset = _portal().renderer.assets.get(name)
    if asset is None or asset.version != version:
        raise NotFound("no such file")
    return Response(
        status_code=200,
        content_type="text/css; charset=utf-8",
        body=asset.body.decode("utf-8"),
        # The URL carries the content hash, so browsers and caches may keep it for a year.
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


# The municipality's console (portal/console/): importing its modules adds their pages to `app`.
from portal.console import audit as _audit  # noqa: E402, F401
from portal.console import delivery as _delivery  # noqa: E402, F401
from portal.console import organisations as _organisations  # noqa: E402, F401
from portal.console import rights as _rights  # noqa: E402, F401


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    path = str(event.get("path") or "")
    if len(path) > 1 and path.endswith("/"):
        event = {**event, "path": path.rstrip("/")}
    response = app.resolve(event, context)
    return with_security_headers(response, _portal().config)


# The operator's statistics page registers its routes on `app` (its own module and template).
from portal import statistics_page  # noqa: E402, F401
