"""The portal without a browser: its Lambda handler called as API Gateway would, with cookies kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from infra.local.events import LocalContext, rest_event
from infra.local.tables import create_session_table
from tests.support import HttpResult
from verwijsindex import wiring

SESSIONS = "verwijsindex-test-sessions"


@pytest.fixture
def portal(services: wiring.Services) -> Iterator[Any]:
    from portal import web
    from portal.config import PortalConfig

    create_session_table(services.dynamodb, SESSIONS)
    installed = web.Portal(PortalConfig.model_validate({"SESSION_TABLE_NAME": SESSIONS, "PORTAL_LOGIN": "local"}))
    web.install(installed)
    yield installed
    web.install(None)


class Browser:
    """Cookies kept between requests, as a browser would for this one site."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> HttpResult:
        from portal.handler import lambda_handler

        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form)
        path, _, query = path.partition("?")
        event = rest_event(method, path, body=body, headers=headers, query=dict(parse_qsl(query)) or None)
        response = lambda_handler(event, LocalContext())  # type: ignore[arg-type]
        for value in (response.get("multiValueHeaders") or {}).get("Set-Cookie", []):
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        merged = {**(response.get("headers") or {})}
        merged.update({k: ", ".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()})
        return HttpResult(response["statusCode"], merged, response.get("body") or "")


def signed_in(portal: Any, user_id: str = "sub-a", org_id: str = "org-a") -> tuple[Browser, str]:
    from portal.handler import start_session
    from portal.signing_in import principal_for

    browser = Browser()
    cookie = start_session(principal_for(portal.services, user_id=user_id, org_id=org_id, groups=["professional"]))
    browser.cookies[cookie.name] = cookie.value
    return browser, str(cookie)


def csrf_of(page: HttpResult) -> str:
    return page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def signed_in_operator(portal: Any) -> Browser:
    from portal.handler import start_session
    from portal.signing_in import principal_for

    browser = Browser()
    cookie = start_session(principal_for(portal.services, user_id="operator-1", org_id=None, groups=["operator"]))
    browser.cookies[cookie.name] = cookie.value
    return browser
