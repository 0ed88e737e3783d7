"""The municipality's console in Debian's chromium against `make run`'s server: the operator
registers an organisation with its profile and invites a professional, who then signs in and
reads that profile on the signal form. axe-core checks every page against WCAG 2.1 A and AA."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

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

PROFILE = "Wij signaleren als een kind vaker dan drie keer per maand verzuimt en de ouders hulp zoeken."


def new_context(browser: Browser, base_url: str, width: int = 1024) -> BrowserContext:
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})
    context.set_default_timeout(30_000)
    return context


def signed_in(context: BrowserContext, who: str, lands_on: str) -> Page:
    """A new page of `context`, signed in through the local sign-in page as `who`."""
    page = context.new_page()
    page.goto("/portaal/inloggen")
    page.get_by_role("link", name=who).click()
    expect(page).to_have_url(re.compile(lands_on))
    return page


@pytest.fixture
def operator(browser: Browser, base_url: str, axe: Axe) -> Iterator[Page]:
    context = new_context(browser, base_url)
    yield signed_in(context, "Beheerder", r"/portaal/beheer/organisaties$")
    context.close()


def test_the_operator_registers_an_organisation_invites_a_professional_who_sees_the_profile(
    operator: Page, browser: Browser, base_url: str, axe: Axe, api: Api
) -> None:
    page = operator
    expect(page.get_by_role("heading", name="Organisaties", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Jeugdteam Noord"))).to_contain_text("Actief")
    assert_accessible(axe, page)

    page.get_by_role("link", name="Organisatie aansluiten").click()
    assert_accessible(axe, page)
    page.get_by_label("Naam van de organisatie").fill("Sportclub Jong")
    page.get_by_label("Organisatie-id").fill("Sportclub Jong")  # a mistake first
    page.get_by_label("Signaleringsprofiel").fill(PROFILE)
    page.get_by_role("button", name="Organisatie aansluiten").click()
    expect(page.get_by_role("alert")).to_contain_text("De organisatie is niet aangesloten. Er is niets opgeslagen.")
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile("Vul een organisatie-id in")).click()
    expect(page.get_by_label("Organisatie-id")).to_be_focused()
    page.get_by_label("Organisatie-id").fill("sportclub-jong")
    page.get_by_role("button", name="Organisatie aansluiten").click()

    expect(page.get_by_role("heading", name="Sportclub Jong", level=1)).to_be_visible()
    expect(page.get_by_text("De organisatie is aangesloten.")).to_be_visible()
    expect(page.get_by_label("Wanneer geeft deze organisatie een signaal af?")).to_have_value(PROFILE)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Professional uitnodigen").click()
    assert_accessible(axe, page)
    page.get_by_label("Naam").fill("Joost Visser")
    page.get_by_label("E-mailadres").fill("joost.visser@sportclub-jong.example.org")
    page.get_by_label("Telefoonnummer").fill("06 1234 5678")
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_role("heading", name="Joost Visser")).to_be_visible()
    expect(page.get_by_text("De uitnodiging is per e-mail verstuurd")).to_be_visible()
    assert_accessible(axe, page)

    status, outbox = api.call("GET", "/_local/outbox")
    assert status == 200
    [invitation] = [m for m in outbox if m["to"] == ["joost.visser@sportclub-jong.example.org"]]
    assert invitation["subject"] == "Uw account voor de Verwijsindex"
    assert "Sportclub Jong" in invitation["text"] and f"{base_url}/portaal/" in invitation["text"]

    # The invited professional signs in (the local sign-in lists them now) and reads the profile.
    context = new_context(browser, base_url)
    try:
        joost = signed_in(context, "Joost Visser, Sportclub Jong", r"/portaal/signalen$")
        joost.get_by_role("link", name="Nieuw signaal", exact=True).first.click()
        expect(joost.get_by_text(PROFILE)).to_be_visible()
        assert_accessible(axe, joost)
    finally:
        context.close()


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()


def test_the_operator_records_and_grants_an_inzage_and_opens_the_dossier(operator: Page, axe: Axe, api: Api) -> None:
    bsn, _ = api.youth("99999301", 6)  # under 12: the parents ask
    noord = api.token("pro-noord", "jeugdteam-noord")
    status, placed = api.call("POST", "/signals", {"bsn": bsn, "client_reference": "JTN-INZAGE-1"}, token=noord)
    assert status == 201, placed
    page = operator

    menu(page, "Rechtenverzoeken")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Verzoek vastleggen").click()
    page.get_by_label("Soort verzoek").select_option("inzage")
    page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").fill(bsn)
    page.get_by_label("Wie deed het verzoek?").select_option("parents")
    page.get_by_label("Ontvangen op").fill(api.today().strftime("%d-%m-%Y"))
    assert_accessible(axe, page)
    page.get_by_role("button", name="Verzoek vastleggen").click()
    expect(page.get_by_text("Het verzoek is vastgelegd.")).to_be_visible()
    assert bsn not in page.url
    assert_accessible(axe, page)

    menu(page, "Rechtenverzoeken")
    row = page.get_by_role("row").filter(has_text="De ouders").first
    expect(row).to_contain_text("Open")
    row.get_by_role("link").click()
    page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").first.fill(bsn)
    page.get_by_role("button", name="Verzoek toekennen").click()
    expect(page.get_by_role("heading", name="Overzicht van gegevens in de Verwijsindex")).to_be_visible()
    expect(page.get_by_text("Het verzoek om inzage is toegekend.")).to_be_visible()
    expect(page.get_by_text("JTN-INZAGE-1")).to_be_visible()
    expect(page.get_by_role("heading", name="Jeugdteam Noord")).to_be_visible()
    assert bsn not in page.url
    assert_accessible(axe, page)

    # The printable download: the BSN typed once more.
    page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").fill(bsn)
    with page.expect_download() as download:
        page.get_by_role("button", name="Dossier downloaden (afdrukbaar)").click()
    saved = download.value
    assert saved.suggested_filename.startswith("dossier-") and saved.suggested_filename.endswith(".html")
    document = Path(saved.path()).read_text(encoding="utf-8")
    assert "JTN-INZAGE-1" in document and "Overzicht van gegevens in de Verwijsindex" in document

    # The look at the youth's trail shows the decision and the dossier, and itself.
    menu(page, "Audit")
    page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").fill(bsn)
    page.get_by_role("button", name="Audittrail van de jeugdige").click()
    trail = page.get_by_role("table")
    expect(trail).to_contain_text("Rechtenverzoek toegekend")
    expect(trail).to_contain_text("Dossier opgesteld")
    expect(trail).to_contain_text("Audittrail ingezien")
    assert bsn not in page.url
    assert_accessible(axe, page)


def test_console_pages_fit_a_phone_and_the_keyboard_reaches_the_forms(
    browser: Browser, base_url: str, axe: Axe
) -> None:
    context = new_context(browser, base_url, width=360)
    try:
        page = signed_in(context, "Beheerder", r"/portaal/beheer/organisaties$")
        console_pages = (
            "/portaal/beheer/organisaties",
            "/portaal/beheer/organisaties/nieuw",
            "/portaal/beheer/organisaties/jeugdteam-noord",
            "/portaal/beheer/organisaties/jeugdteam-noord/uitnodigen",
            "/portaal/beheer/organisaties/jeugdteam-noord/professionals/pro-noord",
            "/portaal/beheer/overdrachten",
            "/portaal/beheer/rechten",
            "/portaal/beheer/rechten/nieuw",
            "/portaal/beheer/audit",
            "/portaal/beheer/bezorging",
        )
        assert_fits_and_accessible(page, axe, console_pages, 360)

        # Keyboard only: skip link, then through the invitation form and send it with Enter.
        page.goto("/portaal/beheer/organisaties/jeugdteam-noord/uitnodigen")
        skip_then_tab_to(page, page.get_by_label("Naam"))
        type_in_turn(page, "Eva de Boer", "eva.deboer@jeugdteam-noord.example.org", "050 765 4321")
        expect(page.get_by_role("heading", name="Eva de Boer")).to_be_visible()
    finally:
        context.close()


def test_a_professional_gets_no_console_page(browser: Browser, base_url: str) -> None:
    context = new_context(browser, base_url)
    try:
        page = signed_in(context, "Sanne Smit, Jeugdteam Noord", r"/portaal/signalen$")
        expect(page.get_by_role("link", name="Organisaties")).to_have_count(0)
        response = page.goto("/portaal/beheer/organisaties")
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    finally:
        context.close()
