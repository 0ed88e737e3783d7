"""What every portal page uses: the app its routes join, the signed-in session, CSRF-checked
forms, rendering and redirects. The professionals' pages (handler.py) and the municipality's
console (console/) both build on it."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.shared.cookies import Cookie

from portal import web
from portal.security import HTML
from portal.sessions import SESSION_COOKIE, Session

MAX_FORM_BYTES = 8 * 1024

app = APIGatewayRestResolver()


class SignInRequired(Exception):
    pass


class FormRefused(Exception):
    """A form without this session's CSRF token, or too large: nothing is done."""


def portal() -> web.Portal:
    return web.current()


def cookie(name: str) -> str | None:
    header = app.current_event.headers.get("cookie") or ""  # Powertools' headers ignore case
    try:
        jar = SimpleCookie(header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def current_session() -> Session | None:
    return portal().sessions.current(cookie(SESSION_COOKIE))


def session() -> Session:
    found = current_session()
    if found is None:
        raise SignInRequired
    return found


def query(name: str) -> str:
    return app.current_event.get_query_string_value(name, default_value="") or ""


def form(session: Session) -> dict[str, str]:
    body = app.current_event.body or ""
    if len(body.encode("utf-8")) > MAX_FORM_BYTES:
        raise FormRefused
    fields = dict(parse_qsl(body, keep_blank_values=True))
    # SameSite keeps the cookie off other sites' posts; the token also stops a same-site one.
    if not session.csrf_matches(fields.pop("csrf", None)):
        raise FormRefused
    return fields


def url(path: str = "", **query: str) -> str:
    found = f"{portal().config.base_path}{path}"
    return f"{found}?{urlencode(query)}" if query else found


def page(template: str, session: Session | None = None, status: int = 200, **context: Any) -> Response[str]:
    html = portal().renderer.render(template, session=session, **context)
    return Response(status_code=status, content_type=HTML, body=html)


def redirect(location: str, cookies: list[Cookie] | None = None) -> Response[str]:
    return Response(status_code=303, content_type=HTML, body="", headers={"Location": location}, cookies=cookies)
