"""One Debian chromium (Playwright, executable_path) and one local server for the browser tests."""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.support import base_url_of, local_server, valid_bsn

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these, chromium keeps calling home, and this machine's closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The machine running CI may be busy: generous waits, never a timing assertion.
expect.set_options(timeout=20_000)
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with local_server() as (first_line,):
        yield "http://" + base_url_of(first_line)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page) -> None:
    """No violation of a WCAG 2.1 A or AA rule on the page as it is now."""
    results = axe.run(page, options=WCAG_21_AA)
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]
    assert violations == [], f"{page.url}: " + "; ".join(violations)


class Api:
    """The regional API as a case system or another professional uses it (bearer tokens)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.base_url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def today(self) -> date:
        """The run's day, as the local server's clock has it."""
        status, clock = self.call("GET", "/_local/clock")
        assert status == 200, clock
        return date.fromisoformat(clock["today"])

    def youth(self, prefix: str, age: int) -> tuple[str, str]:
        """A new person in the fake BRP, `age` years old on the run's day: (BSN, "dd-mm-yyyy")."""
        today = self.today()
        birthday = today - timedelta(days=40)  # this year's birthday is a while ago: `age` for weeks yet
        born = date(birthday.year - age, birthday.month, min(birthday.day, 28))
        bsn = valid_bsn(prefix)
        person = {"bsn": bsn, "name": "Test Jeugdige", "birth_date": born.isoformat(), "sex": "V"}
        status, body = self.call("POST", "/_local/brp/persons", person)
        assert status == 201, body
        return bsn, born.strftime("%d-%m-%Y")

    def token(self, sub: str, org_id: str) -> str:
        status, body = self.call("POST", "/_local/token", {"sub": sub, "org_id": org_id, "groups": ["professional"]})
        assert status == 200, body
        return str(body["token"])


@pytest.fixture(scope="module")
def api(base_url: str) -> Api:
    return Api(base_url)


def skip_then_tab_to(page: Page, field: Locator) -> None:
    """Keyboard only: the skip link comes first on every page; from the content, Tab reaches `field`."""
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            break
    expect(field).to_be_focused()


def type_in_turn(page: Page, *texts: str) -> None:
    """Types each text into the focused field and the next ones (Tab between), then presses Enter."""
    for n, text in enumerate(texts):
        if n:
            page.keyboard.press("Tab")
        page.keyboard.type(text)
    page.keyboard.press("Enter")


def assert_fits_and_accessible(page: Page, axe: Axe, paths: Iterable[str], width: int) -> None:
    """Each page at `width` pixels: nothing scrolls sideways, and axe finds no WCAG 2.1 A/AA violation."""
    for path in paths:
        page.goto(path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} is {scroll_width}px wide"
        assert_accessible(axe, page)
