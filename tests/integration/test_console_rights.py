"""The console's rights pages on moto: recording, the inbox by deadline, granting with the BSN
typed again, refusing with a reason, the dossier on screen and as a download, bezwaar and
correctie. What the pages do lands in the rights store, the signals and the audit trail."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import NAMES, PRO_A, PRO_B, Invoke, MatchStream
from tests.portal_support import Browser, csrf_of, signed_in_operator
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock, dutch_day

pytestmark = pytest.mark.usefixtures("region")
RIGHTS = "/portaal/beheer/rechten"
Y = valid_bsn("31000011")
OTHER = valid_bsn("31000012")


@pytest.fixture
def operator(portal: Any) -> Browser:
    return signed_in_operator(portal)


@pytest.fixture
def signalled(
    persons: FakePersonRegistry, clock: FixedClock, signals_api: Invoke, match_stream: MatchStream
) -> dict[str, str]:
    """Y, 9 years old today (the parents ask): signals of org-a and org-b, one client match."""
    today = dutch_day(clock.now())
    persons.add(youth(Y, today.replace(year=today.year - 9) - timedelta(days=30), name="Yara Geheim"))
    persons.add(youth(OTHER, today.replace(year=today.year - 9) - timedelta(days=60), name="Otto Anders"))
    ids = {}
    for key, claims in (("a", PRO_A), ("b", PRO_B)):
        placed = signals_api("POST", "/signals", claims=claims, body={"bsn": Y, "client_reference": f"{key.upper()}-Y"})
        assert placed.status == 201, placed.text
        ids[key] = placed.json["signal_id"]
    match_stream.drain()
    return ids


def dutch(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def record(operator: Browser, kind: str, bsn: str, received_on: str, requested_by: str = "parents") -> Any:
    form = {"kind": kind, "bsn": bsn, "requested_by": requested_by, "received_on": received_on, "details": ""}
    token = csrf_of(operator.request("GET", f"{RIGHTS}/nieuw"))
    return operator.request("POST", f"{RIGHTS}/nieuw", {**form, "csrf": token})


def recorded(operator: Browser, kind: str, clock: FixedClock, days_ago: int = 2) -> str:
    done = record(operator, kind, Y, dutch(dutch_day(clock.now()) - timedelta(days=days_ago)))
    assert done.status == 303, done.text
    assert Y not in done.headers["Location"]
    found = re.search(r"/rechten/([0-9a-f-]{36})\?melding=vastgelegd$", done.headers["Location"])
    assert found is not None
    return found.group(1)


def post(operator: Browser, request_id: str, action: str, form: dict[str, str]) -> Any:
    token = csrf_of(operator.request("GET", f"{RIGHTS}/{request_id}"))
    return operator.request("POST", f"{RIGHTS}/{request_id}/{action}", {**form, "csrf": token})


def actions(dynamodb: Any) -> list[str]:
    return [e["action"] for e in all_items(dynamodb, NAMES.audit)]


def requests(dynamodb: Any) -> list[dict[str, Any]]:
    return [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "rights_request"]


def test_recording_checks_who_may_ask_and_stores_the_pseudonym_not_the_bsn(
    operator: Browser, signalled: dict[str, str], clock: FixedClock, dynamodb: Any
) -> None:
    refused = record(operator, "inzage", Y, dutch(dutch_day(clock.now())), requested_by="youth")
    assert refused.status == 422
    assert "Op de dag van ontvangst mocht alleen de ouders dit verzoek doen." in refused.text
    assert 'id="fout-requested_by"' in refused.text and Y not in refused.text
    future = record(operator, "inzage", Y, dutch(dutch_day(clock.now()) + timedelta(days=1)))
    assert future.status == 422 and "De datum van ontvangst ligt in de toekomst." in future.text
    unknown = record(operator, "inzage", valid_bsn("31000099"), dutch(dutch_day(clock.now())))
    assert unknown.status == 422 and "De BRP kent geen persoon met dit BSN." in unknown.text
    assert requests(dynamodb) == []

    request_id = recorded(operator, "inzage", clock)
    [stored] = requests(dynamodb)
    assert stored["request_id"] == request_id and Y not in repr(stored)
    page = operator.request("GET", f"{RIGHTS}/{request_id}?melding=vastgelegd")
    assert "Het verzoek is vastgelegd." in page.text and "De ouders" in page.text
    assert "rights.read" in actions(dynamodb)


def test_the_inbox_lists_by_deadline_and_marks_the_overdue(
    operator: Browser, signalled: dict[str, str], clock: FixedClock
) -> None:
    recent = recorded(operator, "kopie", clock, days_ago=1)
    late = recorded(operator, "inzage", clock, days_ago=35)

    inbox = operator.request("GET", RIGHTS)
    assert inbox.status == 200
    rows = inbox.text.split("<tbody", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    assert late in rows[0] and "Te laat" in rows[0]
    assert recent in rows[1] and "Te laat" not in rows[1]
    assert "1 verzoek is over de termijn." in inbox.text


def test_granting_needs_the_bsn_of_the_request_and_shows_then_downloads_the_dossier(
    operator: Browser, signalled: dict[str, str], clock: FixedClock, dynamodb: Any
) -> None:
    request_id = recorded(operator, "inzage", clock)
    wrong = post(operator, request_id, "toekennen", {"bsn": OTHER})
    assert wrong.status == 422 and "Dit BSN hoort niet bij dit verzoek." in wrong.text
    assert requests(dynamodb)[0]["status"] == "open"

    granted = post(operator, request_id, "toekennen", {"bsn": Y})
    assert granted.status == 200
    assert "Overzicht van gegevens in de Verwijsindex" in granted.text and "Yara Geheim" in granted.text
    for signal_id in signalled.values():
        assert signal_id in granted.text
    assert "Otto Anders" not in granted.text
    assert requests(dynamodb)[0]["status"] == "granted"
    assert actions(dynamodb).count("rights.dossier_issued") == 1

    again = post(operator, request_id, "toekennen", {"bsn": Y})
    assert again.status == 422 and "Over dit verzoek is al beslist." in again.text

    token = csrf_of(granted)
    download = operator.request(
        "POST", f"{RIGHTS}/{request_id}/dossier", {"bsn": Y, "weergave": "download", "csrf": token}
    )
    assert download.status == 200
    assert download.headers["Content-Disposition"] == f'attachment; filename="dossier-{request_id}.html"'
    assert "Yara Geheim" in download.text and "@media print" in download.text
    assert actions(dynamodb).count("rights.dossier_issued") == 2
    wrong_bsn = operator.request(
        "POST", f"{RIGHTS}/{request_id}/dossier", {"bsn": OTHER, "weergave": "download", "csrf": token}
    )
    assert wrong_bsn.status == 422 and "Otto Anders" not in wrong_bsn.text
    assert actions(dynamodb).count("rights.dossier_issued") == 2


def test_refusing_needs_a_reason(
    operator: Browser, signalled: dict[str, str], clock: FixedClock, dynamodb: Any
) -> None:
    request_id = recorded(operator, "kopie", clock)
    empty = post(operator, request_id, "afwijzen", {"reason": "  "})
    assert empty.status == 422 and 'id="fout-reason"' in empty.text
    assert requests(dynamodb)[0]["status"] == "open"

    done = post(operator, request_id, "afwijzen", {"reason": "Het verzoek is niet ondertekend."})
    assert done.status == 303
    [stored] = requests(dynamodb)
    assert stored["status"] == "refused" and stored["reason"] == "Het verzoek is niet ondertekend."
    assert "Het verzoek is afgewezen." in operator.request("GET", done.headers["Location"]).text


def test_bezwaar_destroys_the_unjustified_signal_and_closes_the_other(
    operator: Browser, signalled: dict[str, str], clock: FixedClock, services: Any, mailbox: Any
) -> None:
    request_id = recorded(operator, "bezwaar", clock)
    done = post(
        operator, request_id, "toekennen", {"bsn": Y, "objected": signalled["a"], "unjustified": signalled["b"]}
    )
    assert done.status == 200, done.text
    assert f"Signaal {signalled['b']}: vernietigd" in done.text
    assert f"Signaal {signalled['a']}: gesloten" in done.text
    left = {s.signal_id: s.status.value for s in services.signal_store.youth_signals(services.pseudonyms.regional(Y))}
    assert left == {signalled["a"]: "closed"}


def test_correctie_names_the_right_professional_of_a_signal(
    operator: Browser, signalled: dict[str, str], clock: FixedClock, services: Any
) -> None:
    request_id = recorded(operator, "correctie", clock)
    bad = post(operator, request_id, "toekennen", {"bsn": Y, "c1_signal_id": signalled["a"], "c1_email": "geen-adres"})
    assert bad.status == 422 and 'id="fout-c1_name"' in bad.text

    form = {
        "bsn": Y,
        "c1_signal_id": signalled["a"],
        "c1_name": "Anna Aalders-de Vries",
        "c1_email": "anna@org-a.example.org",
        "c1_phone": "020 123 4567",
    }
    done = post(operator, request_id, "toekennen", form)
    assert done.status == 200, done.text
    assert "Gecorrigeerd" in done.text and "Anna Aalders-de Vries" in done.text
    [signal] = [
        s for s in services.signal_store.youth_signals(services.pseudonyms.regional(Y)) if s.signal_id == signalled["a"]
    ]
    assert signal.professional.name == "Anna Aalders-de Vries"
