"""The portal in Debian's chromium against `make run`'s server: what a professional sees and can do,
with axe-core checking every page against WCAG 2.1 A and AA."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    Api,
    assert_accessible,
    assert_fits_and_accessible,
    skip_then_tab_to,
    type_in_turn,
)


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1024, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    context.close()


def sign_in(context: BrowserContext, axe: Axe, who: str) -> Page:
    page = context.new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/portaal/inloggen$"))
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile(who)).click()
    expect(page).to_have_url(re.compile(r"/portaal/signalen$"))
    return page


def place(page: Page, bsn: str, birth_date: str, reference: str) -> None:
    page.get_by_role("link", name="Nieuw signaal", exact=True).first.click()
    page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").fill(bsn)
    page.get_by_label("Geboortedatum van de jeugdige").fill(birth_date)
    page.get_by_label("Uw cliëntnummer").fill(reference)
    page.get_by_role("button", name="Signaal afgeven").click()


def test_a_professional_signals_sees_the_match_names_the_coordinator_and_closes(
    context: BrowserContext, axe: Axe, api: Api
) -> None:
    noor = api.youth("99999101", 6)  # under 12: inform the parents
    page = sign_in(context, axe, "Sanne Smit")
    expect(page.get_by_text("U heeft nog geen signalen afgegeven.")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Nieuw signaal afgeven").click()
    expect(page.get_by_text("stelt een profiel samen waarin deze afweging is opgenomen")).to_be_visible()
    assert_accessible(axe, page)
    place(page, *noor, "JTN-NOOR-1")
    expect(page.get_by_role("heading", name="Signaal afgegeven")).to_be_visible()
    expect(page.get_by_text("Informeer de ouders over dit signaal.")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ik informeer hen nog").click()
    expect(page.get_by_text("Vastgelegd. Het gezin ziet dit terug")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Nog niet; op .* gaf u aan dit te zullen doen$"))).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ik heb hen geïnformeerd").click()
    expect(page.get_by_text(re.compile(r"^Ja, vastgelegd op "))).to_be_visible()
    expect(page.get_by_role("button", name="Ik heb hen geïnformeerd")).to_have_count(0)

    page.get_by_role("link", name="Signalen", exact=True).click()
    row = page.get_by_role("row", name=re.compile("JTN-NOOR-1"))
    expect(row).to_contain_text("Actief")
    expect(row.get_by_role("cell").nth(2)).to_have_text("0")
    assert_accessible(axe, page)

    # A professional of another organisation signals the same youth through the API.
    west = api.token("pro-west", "ggz-jeugd-west")
    status, _ = api.call("POST", "/signals", {"bsn": noor[0], "client_reference": "W-NOOR"}, token=west)
    assert status == 201

    page.reload()
    expect(row.get_by_role("cell").nth(2)).to_have_text("1")
    row.get_by_role("link", name="JTN-NOOR-1").click()
    match = page.get_by_role("article").filter(has_text="Bas Bakker")
    expect(match.get_by_role("heading")).to_have_text("Bas Bakker, GGZ Jeugd West")
    expect(match.get_by_role("link", name="bas.bakker@ggz-jeugd-west.example.org")).to_have_attribute(
        "href", "mailto:bas.bakker@ggz-jeugd-west.example.org"
    )
    expect(match.get_by_role("link", name="+31707654321")).to_have_attribute("href", "tel:+31707654321")
    expect(match).to_contain_text("Nog niet gekozen")
    assert_accessible(axe, page)

    match.get_by_role("button", name="Ik ben regievoerder").click()
    expect(page.get_by_text("De regievoerder is vastgelegd.")).to_be_visible()
    expect(match).to_contain_text("Sanne Smit, Jeugdteam Noord")
    match.get_by_role("button", name="Markeer als afgestemd").click()
    expect(page.get_by_text("De match is gemarkeerd als afgestemd.")).to_be_visible()
    expect(match).to_contain_text("Ja, op")
    assert_accessible(axe, page)

    # The API shows what the portal did: the same use cases.
    status, matches = api.call(
        "GET", f"/signals/{_signal_id(page)}/matches", token=api.token("pro-noord", "jeugdteam-noord")
    )
    assert status == 200
    [client] = [m for m in matches["items"] if m["kind"] == "client"]
    assert client["status"] == "coordinated"
    assert client["coordinator"]["professional"]["name"] == "Sanne Smit"

    page.get_by_role("link", name="Beëindigen").click()
    expect(page.get_by_text("blijft vijf jaar bewaard als historie")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ja, beëindig het signaal").click()
    expect(page.get_by_text("Het signaal is beëindigd.")).to_be_visible()
    expect(page.get_by_text("Beëindigd", exact=True)).to_be_visible()
    assert_accessible(axe, page)


def _signal_id(page: Page) -> str:
    return page.url.rstrip("/").split("?")[0].rsplit("/", 1)[-1]


def test_a_wrong_date_of_birth_stores_nothing(context: BrowserContext, axe: Axe, api: Api) -> None:
    bsn, birth_date = api.youth("99999102", 13)
    day, month, year = birth_date.split("-")
    page = sign_in(context, axe, "Sanne Smit")
    place(page, bsn, f"{day}-{month}-{int(year) - 1}", "JTN-LOTTE-X")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Het signaal is niet afgegeven. Er is niets opgeslagen.")
    expect(alert).to_contain_text("Het BSN en de geboortedatum horen volgens de BRP niet bij één persoon.")
    assert_accessible(axe, page)
    status, signals = api.call("GET", "/signals?limit=100", token=api.token("pro-noord", "jeugdteam-noord"))
    assert status == 200
    assert "JTN-LOTTE-X" not in {s["client_reference"] for s in signals["items"]}


def test_another_organisation_gets_the_same_404_as_for_a_missing_signal(
    browser: Browser, base_url: str, axe: Axe, api: Api
) -> None:
    sem = api.youth("99999103", 17)
    noord = browser.new_context(base_url=base_url)
    west = browser.new_context(base_url=base_url)
    for each in (noord, west):
        each.set_default_timeout(30_000)
    try:
        page = sign_in(noord, axe, "Sanne Smit")
        place(page, *sem, "JTN-SEM-1")
        page.get_by_role("link", name="Naar het signaal").click()
        own_url = page.url

        other = sign_in(west, axe, "Bas Bakker")
        foreign = other.goto(own_url)
        assert foreign is not None and foreign.status == 404
        foreign_text = other.locator("main").inner_text()
        assert_accessible(axe, other)
        missing = other.goto(own_url.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000")
        assert missing is not None and missing.status == 404
        assert other.locator("main").inner_text() == foreign_text
        assert "JTN-SEM-1" not in foreign_text
    finally:
        noord.close()
        west.close()


def test_the_help_page_explains_the_index_without_signing_in(context: BrowserContext, axe: Axe) -> None:
    page = context.new_page()
    page.goto("/portaal/hulp")
    expect(page.get_by_role("heading", name="Wie informeert u?")).to_be_visible()
    expect(page.get_by_text("de jeugdige zelf, vanaf 16 jaar.")).to_be_visible()
    assert_accessible(axe, page)


def test_on_a_360px_phone_nothing_scrolls_sideways_and_the_keyboard_reaches_everything(
    browser: Browser, base_url: str, axe: Axe, api: Api
) -> None:
    lotte = api.youth("99999104", 13)
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(30_000)
    try:
        page = sign_in(context, axe, "Bas Bakker")
        assert_fits_and_accessible(page, axe, ("/portaal/signalen", "/portaal/signalen/nieuw", "/portaal/hulp"), 360)

        # Keyboard only: the skip link comes first, then the form is filled and sent with keys.
        page.goto("/portaal/signalen/nieuw")
        skip_then_tab_to(page, page.get_by_label("Burgerservicenummer (BSN) van de jeugdige"))
        type_in_turn(page, lotte[0], lotte[1], "W-LOTTE-1")
        expect(page.get_by_role("heading", name="Signaal afgegeven")).to_be_visible()
        expect(page.get_by_text("Informeer de ouders én de jeugdige over dit signaal.")).to_be_visible()
    finally:
        context.close()
