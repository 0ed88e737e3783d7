"""`make screenshots`: the portal's and the console's main pages as PNG files for the README (desktop and phone)."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Api
from tests.support import base_url_of, local_server


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with local_server() as (first_line,), sync_playwright() as playwright:
        base_url = "http://" + base_url_of(first_line)
        api = Api(base_url)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base_url, viewport={"width": 1024, "height": 768})

        def shot(name: str) -> None:
            page.screenshot(path=str(target / f"{name}.png"), full_page=True)

        bsn, born = api.youth("99999201", 6)
        day, month, year = born.split("-")
        page.goto("/portaal/inloggen")
        shot("inloggen")
        page.get_by_role("link", name="Sanne Smit, Jeugdteam Noord").click()
        page.get_by_role("link", name="Nieuw signaal", exact=True).first.click()
        page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").fill(bsn)
        page.get_by_label("Geboortedatum van de jeugdige").fill(f"{day}-{month}-{int(year) - 1}")
        page.get_by_label("Uw cliëntnummer").fill("JTN-2026-0042")
        page.get_by_role("button", name="Signaal afgeven").click()
        shot("signaal-fout")
        page.get_by_label("Geboortedatum van de jeugdige").fill(born)
        page.get_by_role("button", name="Signaal afgeven").click()
        shot("signaal-afgegeven")
        west = api.token("pro-west", "ggz-jeugd-west")
        api.call("POST", "/signals", {"bsn": bsn, "client_reference": "W-9"}, token=west)
        page.get_by_role("link", name="Signalen", exact=True).click()
        shot("signalen")
        page.get_by_role("link", name="JTN-2026-0042").click()
        shot("signaal-met-match")
        page.set_viewport_size({"width": 360, "height": 740})
        shot("signaal-met-match-360px")
        page.set_viewport_size({"width": 1024, "height": 768})
        page.goto("/portaal/hulp")
        shot("hulp")

        # The municipality's console, as the operator sees it.
        console = browser.new_page(base_url=base_url, viewport={"width": 1024, "height": 768})
        page = console
        page.goto("/portaal/inloggen")
        page.get_by_role("link", name="Beheerder").click()
        shot("beheer-organisaties")
        page.get_by_role("link", name="Jeugdteam Noord").click()
        shot("beheer-organisatie")
        page.get_by_role("link", name="Professional uitnodigen").click()
        shot("beheer-uitnodigen")
        page.goto("/portaal/beheer/rechten/nieuw")
        page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").fill(bsn)
        page.get_by_label("Ontvangen op").fill(api.today().strftime("%d-%m-%Y"))
        page.get_by_role("button", name="Verzoek vastleggen").click()
        page.goto("/portaal/beheer/rechten")
        shot("beheer-rechten")
        page.get_by_role("row").filter(has_text="De ouders").first.get_by_role("link").click()
        page.get_by_label("Burgerservicenummer (BSN) van de jeugdige").first.fill(bsn)
        page.get_by_role("button", name="Verzoek toekennen").click()
        shot("beheer-dossier")
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto("/portaal/beheer/organisaties/jeugdteam-noord")
        shot("beheer-organisatie-360px")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
