"""Only the region's operator reaches the console: every console route, as the portal's app has
it registered (a new route without the operator check fails here), refuses a professional and a
case system with 403 and changes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from infra.local.events import LocalContext, rest_event
from tests.conftest import NAMES
from tests.portal_support import Browser, csrf_of, signed_in
from tests.support import all_items

pytestmark = pytest.mark.usefixtures("region")
CONSOLE = "/portaal/beheer"


def console_routes() -> list[tuple[str, str]]:
    """(method, path) of every console page the portal serves, path parameters filled in."""
    import portal.handler  # noqa: F401 - registers every page, the console's included
    from portal.pages import app

    routes = {(route.method, route.path) for route in app._static_routes + app._dynamic_routes}
    found = sorted(
        (method, re.sub(r"<\w+>", lambda m: {"<org_id>": "org-b", "<user_id>": "sub-b"}.get(m.group(0), "x"), path))
        for method, path in routes
        if path == CONSOLE or path.startswith(CONSOLE + "/")
    )
    return found


ROUTES = console_routes()


def test_the_console_has_its_pages() -> None:
    paths = {path for _, path in ROUTES}
    assert {
        CONSOLE,
        f"{CONSOLE}/organisaties",
        f"{CONSOLE}/organisaties/nieuw",
        f"{CONSOLE}/organisaties/org-b/uitnodigen",
        f"{CONSOLE}/organisaties/org-b/professionals/sub-b/deactiveren",
    } <= paths
    assert {method for method, _ in ROUTES} == {"GET", "POST"}


def _state(dynamodb: Any) -> tuple[int, int]:
    return len(all_items(dynamodb, NAMES.main)), len(all_items(dynamodb, NAMES.audit))


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_a_professional_gets_403_on_every_console_route(portal: Any, dynamodb: Any, method: str, path: str) -> None:
    browser, _ = signed_in(portal, "sub-b", "org-b")
    # A valid form of the professional's own session: the refusal is the operator check, not CSRF.
    token = csrf_of(browser.request("GET", "/portaal/signalen/nieuw"))
    before = _state(dynamodb)
    form = {"csrf": token, "name": "X", "org_id": "org-x", "signalling_profile": "x", "to_user_id": "sub-b"}

    page = browser.request(method, path, form if method == "POST" else None)

    assert page.status == 403, page.text
    assert "Geen toegang" in page.text and "Formulier verlopen" not in page.text
    assert _state(dynamodb) == before


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_a_case_system_gets_403_on_every_console_route(portal: Any, dynamodb: Any, method: str, path: str) -> None:
    from portal.handler import lambda_handler

    before = _state(dynamodb)
    event = rest_event(
        method,
        path,
        body="name=X&org_id=org-x" if method == "POST" else None,
        headers={"Authorization": "Bearer a-case-system-token", "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = lambda_handler(event, LocalContext())  # type: ignore[arg-type]

    assert response["statusCode"] == 403
    assert _state(dynamodb) == before


def test_without_a_session_a_browser_is_sent_to_sign_in(portal: Any) -> None:
    for method, path in ROUTES:
        page = Browser().request(method, path, {} if method == "POST" else None)
        assert page.status == 303 and page.headers["Location"] == "/portaal/inloggen", (method, path)
