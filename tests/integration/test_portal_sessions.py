"""The portal Lambda on moto without a browser: session cookie, CSRF, headers, sign-out, idle limit."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import NAMES
from tests.portal_support import SESSIONS, Browser, csrf_of, signed_in
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock

pytestmark = pytest.mark.usefixtures("region")
BSN = valid_bsn("31122233")


def test_the_session_cookie_is_host_only_http_only_secure_and_lax(portal: Any) -> None:
    _, cookie = signed_in(portal)

    assert cookie.startswith("__Host-vi-sessie=")
    attributes = {part.strip().split("=")[0] for part in cookie.split(";")[1:]}
    assert {"Path", "HttpOnly", "Secure", "SameSite"} <= attributes
    assert "Path=/;" in cookie and "SameSite=Lax" in cookie and "Domain" not in cookie


def test_the_session_table_holds_no_cookie_value(portal: Any, dynamodb: Any) -> None:
    browser, _ = signed_in(portal)
    value = browser.cookies["__Host-vi-sessie"]

    assert value not in repr(all_items(dynamodb, SESSIONS))
    assert browser.request("GET", "/portaal/signalen").status == 200


def test_every_page_sends_a_strict_policy_and_no_store(portal: Any) -> None:
    browser, _ = signed_in(portal)
    for path in ("/portaal/signalen", "/portaal/hulp", "/portaal/inloggen", "/portaal/nergens"):
        page = browser.request("GET", path)
        policy = page.headers["Content-Security-Policy"]
        assert "script-src 'none'" in policy and "default-src 'none'" in policy, path
        assert "frame-ancestors 'none'" in policy and "style-src 'self';" in policy
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        assert page.headers["Cache-Control"] == "no-store"
        assert "<script" not in page.text and " style=" not in page.text


def test_a_form_without_this_sessions_token_changes_nothing(
    portal: Any, persons: FakePersonRegistry, dynamodb: Any
) -> None:
    from datetime import date

    persons.add(youth(BSN, date(2015, 1, 9)))
    browser, _ = signed_in(portal)
    form = {"bsn": BSN, "birth_date": "09-01-2015", "client_reference": "CL-1"}

    for token in ({}, {"csrf": "forged"}):
        refused = browser.request("POST", "/portaal/signalen/nieuw", {**form, **token})
        assert refused.status == 403
    assert [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"] == []

    page = browser.request("GET", "/portaal/signalen/nieuw")
    placed = browser.request("POST", "/portaal/signalen/nieuw", {**form, "csrf": csrf_of(page)})
    assert placed.status == 200, placed.text
    assert len([i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"]) == 1


def test_signing_out_ends_the_session_in_every_browser(portal: Any) -> None:
    laptop, _ = signed_in(portal)
    phone, _ = signed_in(portal)
    other_person, _ = signed_in(portal, "sub-b", "org-b")

    page = laptop.request("GET", "/portaal/signalen")
    out = laptop.request("POST", "/portaal/uitloggen", {"csrf": csrf_of(page)})

    assert out.status == 303 and out.headers["Location"].startswith("/portaal/inloggen")
    assert "__Host-vi-sessie=;" in out.headers["Set-Cookie"] and "Max-Age=0" in out.headers["Set-Cookie"]
    for browser in (laptop, phone):
        again = browser.request("GET", "/portaal/signalen")
        assert again.status == 303 and again.headers["Location"] == "/portaal/inloggen"
    assert other_person.request("GET", "/portaal/signalen").status == 200


def test_a_session_ends_after_half_an_hour_idle_and_after_eight_hours(portal: Any, clock: FixedClock) -> None:
    start = clock.moment
    browser, _ = signed_in(portal)
    for minutes in range(29, 8 * 60, 29):  # busy all day, never idle for half an hour
        clock.moment = start + timedelta(minutes=minutes)
        assert browser.request("GET", "/portaal/hulp").text.count("Uitloggen") == 1
    clock.moment = start + timedelta(hours=8, minutes=1)
    assert browser.request("GET", "/portaal/signalen").status == 303

    idle, _ = signed_in(portal)
    clock.moment += timedelta(minutes=31)
    assert idle.request("GET", "/portaal/signalen").status == 303


def test_static_assets_are_versioned_and_cached_for_a_year(portal: Any) -> None:
    browser = Browser()
    page = browser.request("GET", "/portaal/inloggen")
    href = page.text.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]

    css = browser.request("GET", href)
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert ".utrecht-button" in css.text
    assert browser.request("GET", href.replace("/static/", "/static/0000000000000000")).status == 404


def place_in_portal(browser: Browser, bsn: str, birth_date: str, reference: str) -> str:
    page = browser.request("GET", "/portaal/signalen/nieuw")
    form = {"bsn": bsn, "birth_date": birth_date, "client_reference": reference, "csrf": csrf_of(page)}
    placed = browser.request("POST", "/portaal/signalen/nieuw", form)
    assert placed.status == 200, placed.text
    found = re.search(r'href="/portaal/signalen/([0-9a-f-]{36})"', placed.text)
    assert found is not None, placed.text
    return found.group(1)


def test_an_expired_signal_offers_to_signal_again(
    portal: Any, persons: FakePersonRegistry, services: wiring.Services, clock: FixedClock, mailbox: Any
) -> None:
    from datetime import date

    persons.add(youth(BSN, date(2015, 1, 9)))
    browser, _ = signed_in(portal)
    signal_id = place_in_portal(browser, BSN, "09-01-2015", "CL-OUD")
    clock.moment += timedelta(days=2 * 366 + 1)
    services.lifecycle.expire(clock.moment)
    browser, _ = signed_in(portal)

    page = browser.request("GET", f"/portaal/signalen/{signal_id}")
    assert "Verlopen" in page.text and "Opnieuw signaleren" in page.text
    assert 'href="/portaal/signalen/nieuw?referentie=CL-OUD"' in page.text
    form = browser.request("GET", "/portaal/signalen/nieuw?referentie=CL-OUD")
    assert 'value="CL-OUD"' in form.text


def test_the_signal_page_shows_other_organisations_closed_signals_as_history(
    portal: Any, persons: FakePersonRegistry, signals_api: Any
) -> None:
    from datetime import date

    from tests.conftest import PRO_B

    persons.add(youth(BSN, date(2015, 1, 9)))
    earlier = signals_api("POST", "/signals", claims=PRO_B, body={"bsn": BSN, "client_reference": "B-1"})
    closed = signals_api("POST", f"/signals/{earlier.json['signal_id']}/close", claims=PRO_B, body={"reason": "ended"})
    assert closed.status == 200
    browser, _ = signed_in(portal)
    signal_id = place_in_portal(browser, BSN, "09-01-2015", "CL-2")

    page = browser.request("GET", f"/portaal/signalen/{signal_id}")
    history = page.text.split('id="historie-titel"', 1)[1].split("</section>", 1)[0]
    assert "Organisatie B: 23 november 2026 tot 23 november 2026" in history


def test_withdrawing_asks_first_and_then_destroys_the_signal(
    portal: Any, persons: FakePersonRegistry, dynamodb: Any
) -> None:
    from datetime import date

    persons.add(youth(BSN, date(2015, 1, 9)))
    browser, _ = signed_in(portal)
    signal_id = place_in_portal(browser, BSN, "09-01-2015", "CL-3")

    confirm = browser.request("GET", f"/portaal/signalen/{signal_id}/beeindigen?reden=onterecht")
    assert confirm.status == 200 and "meteen vernietigd" in confirm.text
    assert len([i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"]) == 1
    done = browser.request(
        "POST", f"/portaal/signalen/{signal_id}/beeindigen", {"reden": "onterecht", "csrf": csrf_of(confirm)}
    )
    assert done.status == 303 and done.headers["Location"] == "/portaal/signalen?melding=ingetrokken"
    assert [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"] == []
    assert browser.request("GET", f"/portaal/signalen/{signal_id}").status == 404


def test_the_root_redirects_to_the_portal_and_the_portal_to_sign_in(portal: Any) -> None:
    browser = Browser()
    root = browser.request("GET", "/")
    assert root.status == 303 and root.headers["Location"] == "/portaal/"
    home = browser.request("GET", "/portaal/")
    assert home.status == 303 and home.headers["Location"] == "/portaal/inloggen"


def test_the_operator_signs_in_but_gets_no_signal_pages(portal: Any) -> None:
    from portal.handler import start_session
    from portal.signing_in import principal_for

    operator = Browser()
    cookie = start_session(principal_for(portal.services, user_id="operator-1", org_id=None, groups=["operator"]))
    operator.cookies[cookie.name] = cookie.value
    home = operator.request("GET", "/portaal")
    assert home.status == 303 and home.headers["Location"] == "/portaal/beheer"
    assert "Beheerder" in operator.request("GET", "/portaal/hulp").text
    assert operator.request("GET", "/portaal/signalen").status == 403


def test_my_signals_and_my_organisations_signals_are_paged(
    portal: Any, persons: FakePersonRegistry, signals_api: Any
) -> None:
    from datetime import date

    from portal.handler import PAGE_SIZE
    from tests.conftest import PRO_A, PRO_A2

    for n in range(PAGE_SIZE + 1):
        bsn = valid_bsn(f"{34000000 + 10 * n:08d}")
        persons.add(youth(bsn, date(2015, 1, 9)))
        assert (
            signals_api("POST", "/signals", claims=PRO_A, body={"bsn": bsn, "client_reference": f"A-{n}"}).status == 201
        )
    persons.add(youth(BSN, date(2015, 1, 9)))
    assert (
        signals_api("POST", "/signals", claims=PRO_A2, body={"bsn": BSN, "client_reference": "COLLEGA-1"}).status == 201
    )
    browser, _ = signed_in(portal, "sub-a2", "org-a")

    mine = browser.request("GET", "/portaal/signalen")
    assert "COLLEGA-1" in mine.text and "A-0<" not in mine.text
    assert "Volgende pagina" not in mine.text
    organisation = browser.request("GET", "/portaal/signalen?tab=organisatie")
    rows = re.findall(r'<th class="utrecht-table__header-cell" scope="row">', organisation.text)
    assert len(rows) == PAGE_SIZE
    next_url = re.search(r'href="([^"]+)">Volgende pagina', organisation.text)
    assert next_url is not None
    rest = browser.request("GET", next_url.group(1).replace("&amp;", "&"))
    assert len(re.findall(r'scope="row"', rest.text)) == PAGE_SIZE + 2 - PAGE_SIZE
    assert "Volgende pagina" not in rest.text
