"""The operator's statistics page in Debian's chromium against `make run`'s server: signals placed
and matched through the API, then the figures on the page and in its CSV equal that work, with
small counts as "<5" and, where the total would give one back, one more count hidden as "x" (explained
under the table); professionals and case systems are refused. axe checks every page."""

from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Api, assert_accessible

PAGE = "/portaal/beheer/statistieken"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def work(api: Api) -> dict[str, int]:
    """Jeugdteam Noord signals six youths, GGZ Jeugd West two of them: 8 placed, 2 client matches."""
    noord = api.token("pro-noord", "jeugdteam-noord")
    west = api.token("pro-west", "ggz-jeugd-west")
    youths = [api.youth(f"999992{n}0", age) for n, age in enumerate((2, 8, 13, 16, 17, 19), start=1)]
    for n, (bsn, _) in enumerate(youths):
        status, body = api.call("POST", "/signals", {"bsn": bsn, "client_reference": f"JTN-S{n}"}, token=noord)
        assert status == 201, body
    matched = 0
    for n, (bsn, _) in enumerate(youths[:2]):
        status, body = api.call("POST", "/signals", {"bsn": bsn, "client_reference": f"W-S{n}"}, token=west)
        assert status == 201, body
        status, matches = api.call("GET", f"/signals/{body['signal_id']}/matches", token=west)
        assert status == 200, matches
        matched += len(matches["items"])
    assert matched == 2
    return {"placed": 8, "noord": 6, "west": 2, "match_client": 2}


def _context(browser: Browser, base_url: str, viewport: dict[str, int]) -> BrowserContext:
    context = browser.new_context(base_url=base_url, viewport=viewport, accept_downloads=True)  # type: ignore[arg-type]
    context.set_default_timeout(30_000)
    return context


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = _context(browser, base_url, PHONE)
    yield context
    context.close()


def sign_in(context: BrowserContext, who: str) -> Page:
    page = context.new_page()
    page.goto("/portaal/inloggen")
    page.get_by_role("link", name=re.compile(who)).click()
    expect(page).not_to_have_url(re.compile(r"/inloggen$"))
    return page


def cells(page: Page, counter: str) -> list[str]:
    """The cells of one counter's row: one per group, then the total."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=counter, exact=True))
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


def test_the_operator_reads_the_work_done_on_a_phone_with_the_keyboard(
    phone: BrowserContext, axe: Axe, work: dict[str, int]
) -> None:
    page = sign_in(phone, "Beheerder")
    page.goto(PAGE)
    expect(page.get_by_role("heading", name="Statistieken", level=1)).to_be_visible()
    assert_accessible(axe, page)
    # Per month (the default, the last twelve months): the total column holds the work done.
    assert cells(page, "Signalen geplaatst")[-1] == str(work["placed"])
    assert cells(page, "Cliëntmatches")[-1] == "<5"
    assert cells(page, "Gezinsmatches")[-1] == "0"
    expect(page.get_by_role("img", name=re.compile("^Signalen geplaatst"))).to_be_visible()

    # By keyboard: choose the grouping, then Tab to the button and press Enter.
    page.get_by_label("Groeperen per").focus()
    page.get_by_label("Groeperen per").select_option("organisation")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Toon statistieken")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"by=organisation"))
    assert_accessible(axe, page)
    headers = [h.strip() for h in page.get_by_role("columnheader").all_inner_texts()]
    assert headers == ["Telling", "GGZ Jeugd West", "Jeugdteam Noord", "Totaal"]
    # West placed 2, Noord 6, 8 in all: shown as 6 the 2 would be 8 - 6, so Noord's 6 is hidden too.
    assert cells(page, "Signalen geplaatst") == ["<5", "x", str(work["placed"])]
    assert cells(page, "Cliëntmatches") == ["<5", "0", "<5"]  # the total is small itself: nothing to derive
    expect(page.locator("#uitleg-x")).to_contain_text("verborgen om een klein aantal te beschermen")
    expect(page.locator("#uitleg-x")).to_contain_text("5 of meer")
    chart = page.get_by_role("img", name=re.compile("^Signalen geplaatst"))
    expect(chart).to_contain_text("Jeugdteam Noord")
    expect(chart.locator("text", has_text="<5")).to_have_count(1)
    expect(chart.locator("text").filter(has_text=re.compile("^x$"))).to_have_count(1)
    expect(page.get_by_text(str(work["noord"]), exact=True)).to_have_count(0)

    # The same figures as CSV.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download deze cijfers als CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115 - read at once
    rows = {line["organisation"]: line for line in csv.DictReader(io.StringIO(text))}
    assert rows["jeugdteam-noord"]["placed"] == "x"
    assert rows["ggz-jeugd-west"]["placed"] == "<5"
    assert rows["total"]["placed"] == str(work["placed"])
    assert rows["total"]["match_client"] == "<5"


def test_a_bad_period_is_named_and_the_default_shown(phone: BrowserContext, axe: Axe, work: dict[str, int]) -> None:
    page = sign_in(phone, "Beheerder")
    page.goto(f"{PAGE}?from=2026-13&by=month")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Van: vul een maand in als jjjj-mm")
    assert cells(page, "Signalen geplaatst")[-1] == str(work["placed"])
    assert_accessible(axe, page)

    # The country's totals come from the national index: this region is not linked, so none yet.
    page.goto(f"{PAGE}?scope=national&by=organisation")
    expect(page.get_by_role("alert")).to_contain_text("alleen per maand")
    expect(page.get_by_text("Heel Nederland, zoals de landelijke index de cijfers het laatst stuurde")).to_be_visible()
    assert cells(page, "Signalen geplaatst")[-1] == "0"
    assert_accessible(axe, page)


def test_professionals_and_case_systems_are_refused(
    phone: BrowserContext, axe: Axe, api: Api, base_url: str, work: dict[str, int]
) -> None:
    page = sign_in(phone, "Sanne Smit")
    for path in (PAGE, f"{PAGE}?by=organisation", f"{PAGE}/csv"):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
        expect(page.get_by_text("Signalen geplaatst")).to_have_count(0)
    assert_accessible(axe, page)

    status, machine = api.call(
        "POST", "/_local/token", {"sub": "casus-jtn", "client_id": "casus-jtn", "scopes": ["verwijsindex/signals"]}
    )
    assert status == 200, machine
    status, operator = api.call("POST", "/_local/token", {"sub": "operator-1", "groups": ["operator"]})
    assert status == 200, operator
    tokens = {
        "professional": api.token("pro-noord", "jeugdteam-noord"),
        "case system": machine["token"],
    }
    for who, token in tokens.items():
        for query in ("", "?format=csv", "?by=organisation"):
            request = urllib.request.Request(
                f"{base_url}/statistics{query}", headers={"Authorization": f"Bearer {token}", "Accept": "text/csv"}
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code == 403, (who, query)
    # The operator's token gets the same figures as CSV from the API.
    request = urllib.request.Request(
        f"{base_url}/statistics?by=organisation",
        headers={"Authorization": f"Bearer {operator['token']}", "Accept": "text/csv"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        rows = {line["organisation"]: line for line in csv.DictReader(io.StringIO(answer.read().decode()))}
    assert rows["total"]["placed"] == str(work["placed"])
    assert (rows["ggz-jeugd-west"]["placed"], rows["jeugdteam-noord"]["placed"]) == ("<5", "x")
