"""Rights requests end to end on moto (inzage, kopie, correctie, bezwaar)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from infra.local.events import machine_claims
from infra.local.outbox import Mailbox
from tests.conftest import (
    CASE_SYSTEM_A,
    NAMES,
    OPERATOR,
    PRO_A,
    PRO_A2,
    PRO_B,
    PRO_C,
    Invoke,
    MatchStream,
    _invoker,
)
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.audit import AuditSubject
from verwijsindex.domain.clock import AMSTERDAM, FixedClock

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("31000001")  # 11 on 2026-11-23: the parents ask
Z = valid_bsn("31000002")  # Y's half-brother (shares PARENT_1)
PARENT_1 = valid_bsn("41000001")
PARENT_2 = valid_bsn("41000002")
PARENT_3 = valid_bsn("41000003")
Y_NAME, Z_NAME = "Yara Geheim", "Zeno Anders"
MAIL_A, MAIL_A2, MAIL_B, MAIL_C = (
    "sub-a@org-a.example.org",
    "sub-a2@org-a.example.org",
    "sub-b@org-b.example.org",
    "sub-c@org-c.example.org",
)


@pytest.fixture
def rights_api(services: wiring.Services) -> Invoke:
    from rights_request.handler import lambda_handler

    return _invoker(lambda_handler)


@pytest.fixture
def family(persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2015, 3, 1), parents=(PARENT_1, PARENT_2), name=Y_NAME))
    persons.add(youth(Z, date(2012, 6, 1), parents=(PARENT_1, PARENT_3), name=Z_NAME))


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str) -> str:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
    assert response.status == 201, response.text
    return str(response.json["signal_id"])


def ask(api: Invoke, kind: str, bsn: str, requested_by: str, received_on: str = "2026-11-20") -> Any:
    response = api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": kind, "bsn": bsn, "requested_by": requested_by, "received_on": received_on},
    )
    assert response.status == 201, response.text
    return response.json


@pytest.fixture
def signalled(family: None, signals_api: Invoke, match_stream: MatchStream) -> dict[str, str]:
    """Y: signals of org-a (Anna), org-b (Bram), and a closed one of org-a (Arend); Z: org-c."""
    ids = {
        "a": place(signals_api, PRO_A, Y, "A-Y-1"),
        "b": place(signals_api, PRO_B, Y, "B-Y-1"),
        "a2": place(signals_api, PRO_A2, Y, "A-Y-2"),
        "z": place(signals_api, PRO_C, Z, "C-Z-SECRET"),
    }
    match_stream.drain()
    closed = signals_api("POST", f"/signals/{ids['a2']}/close", claims=PRO_A2, body={"reason": "ended"})
    assert closed.status == 200, closed.text
    match_stream.drain()
    return ids


def youth_key(services: wiring.Services, bsn: str) -> str:
    return services.pseudonyms.regional(bsn)


def secrets_of_z(services: wiring.Services, ids: dict[str, str]) -> list[str]:
    return [
        Z,
        Z_NAME,
        "2012-06-01",
        PARENT_1,
        PARENT_2,
        PARENT_3,
        "org-c",
        "Organisatie C",
        "Carla Cats",
        MAIL_C,
        "C-Z-SECRET",
        ids["z"],
        youth_key(services, Z),
    ]


# --- who may ask, deadline, listing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "received_on", "allowed", "refused"),
    [
        ("2014-11-20", "2026-11-19", "parents", "both"),  # 11 the day before the 12th birthday
        ("2014-11-20", "2026-11-20", "both", "parents"),  # 12 on the birthday
        ("2010-11-20", "2026-11-19", "both", "youth"),  # 15
        ("2010-11-20", "2026-11-20", "youth", "both"),  # 16
    ],
)
def test_who_may_ask_depends_on_the_age_on_the_day_of_receipt(
    rights_api: Invoke, persons: FakePersonRegistry, born: str, received_on: str, allowed: str, refused: str
) -> None:
    bsn = valid_bsn("32000001")
    persons.add(youth(bsn, date.fromisoformat(born)))
    body = {"kind": "inzage", "bsn": bsn, "received_on": received_on}
    no = rights_api("POST", "/rights-requests", claims=OPERATOR, body={**body, "requested_by": refused})
    assert no.status == 422, no.text
    problem = no.json
    assert problem["errors"][0]["field"] == "requested_by"
    assert f"'{allowed}'" in problem["detail"]
    assert bsn not in no.text
    yes = rights_api("POST", "/rights-requests", claims=OPERATOR, body={**body, "requested_by": allowed})
    assert yes.status == 201, yes.text
    assert date.fromisoformat(yes.json["deadline"]) == date.fromordinal(
        date.fromisoformat(received_on).toordinal() + 28
    )


def test_unknown_person_future_receipt_and_unknown_fields_are_refused(rights_api: Invoke, family: None) -> None:
    unknown = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "inzage", "bsn": valid_bsn("39000001"), "requested_by": "youth", "received_on": "2026-11-20"},
    )
    assert unknown.status == 422
    future = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "inzage", "bsn": Y, "requested_by": "parents", "received_on": "2026-11-24"},
    )
    assert future.status == 422
    extra = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "inzage", "bsn": Y, "requested_by": "parents", "received_on": "2026-11-20", "x": 1},
    )
    assert extra.status == 422


def test_the_request_stores_the_pseudonym_never_the_bsn(
    rights_api: Invoke, family: None, services: wiring.Services
) -> None:
    created = ask(rights_api, "inzage", Y, "parents")
    items = [i for i in all_items(services.dynamodb, NAMES.main) if i["PK"] == f"RIGHTS#{created['request_id']}"]
    assert len(items) == 1
    item = items[0]
    assert item["youth_key"] == youth_key(services, Y)
    assert item["GSI1PK"] == "RIGHTS" and item["GSI1SK"] == f"2026-12-18#{created['request_id']}"
    assert Y not in json.dumps(items) and Y_NAME not in json.dumps(items)
    assert Y not in json.dumps(all_items(services.dynamodb, NAMES.audit))


def test_deadline_four_weeks_and_the_overdue_listing(rights_api: Invoke, family: None) -> None:
    late = ask(rights_api, "inzage", Y, "parents", received_on="2026-10-01")
    edge = ask(rights_api, "kopie", Y, "parents", received_on="2026-10-26")  # deadline today: not yet overdue
    fresh = ask(rights_api, "bezwaar", Y, "parents", received_on="2026-11-20")
    assert (late["deadline"], edge["deadline"], fresh["deadline"]) == ("2026-10-29", "2026-11-23", "2026-12-18")
    assert (late["overdue"], edge["overdue"], fresh["overdue"]) == (True, False, False)

    overdue = rights_api("GET", "/rights-requests", claims=OPERATOR, query={"overdue": "true"})
    assert overdue.status == 200, overdue.text
    assert [r["request_id"] for r in overdue.json["items"]] == [late["request_id"]]

    listed = rights_api("GET", "/rights-requests", claims=OPERATOR)
    assert [r["request_id"] for r in listed.json["items"]] == [
        late["request_id"],
        edge["request_id"],
        fresh["request_id"],
    ]

    refused = rights_api(
        "POST",
        f"/rights-requests/{late['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "refused", "reason": "niet ondertekend"},
    )
    assert refused.status == 200, refused.text
    assert refused.json["request"]["status"] == "refused"
    assert rights_api("GET", "/rights-requests", claims=OPERATOR, query={"overdue": "true"}).json["items"] == []
    only_open = rights_api("GET", "/rights-requests", claims=OPERATOR, query={"status": "open"}).json["items"]
    assert {r["request_id"] for r in only_open} == {edge["request_id"], fresh["request_id"]}
    one = rights_api("GET", f"/rights-requests/{late['request_id']}", claims=OPERATOR)
    assert one.status == 200 and one.json["status"] == "refused" and one.json["reason"] == "niet ondertekend"
    again = rights_api(
        "POST",
        f"/rights-requests/{late['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "refused", "reason": "x"},
    )
    assert again.status == 409
    assert rights_api("GET", "/rights-requests/nope", claims=OPERATOR).status == 404
    # The day after the edge deadline it is overdue.
    services_clock = wiring.current().clock
    assert isinstance(services_clock, FixedClock)
    services_clock.moment = datetime(2026, 11, 24, 9, 0, tzinfo=AMSTERDAM)
    later = rights_api("GET", "/rights-requests", claims=OPERATOR, query={"overdue": "true"}).json["items"]
    assert [r["request_id"] for r in later] == [edge["request_id"]]


def test_a_refusal_needs_a_reason_and_granting_needs_the_bsn_of_the_request(rights_api: Invoke, family: None) -> None:
    request = ask(rights_api, "inzage", Y, "parents")
    path = f"/rights-requests/{request['request_id']}/decision"
    assert rights_api("POST", path, claims=OPERATOR, body={"outcome": "refused"}).status == 422
    assert rights_api("POST", path, claims=OPERATOR, body={"outcome": "granted"}).status == 422
    wrong = rights_api("POST", path, claims=OPERATOR, body={"outcome": "granted", "bsn": Z})
    assert wrong.status == 422 and wrong.json["errors"][0]["field"] == "bsn"


# --- inzage and kopie ----------------------------------------------------------------------------


def test_inzage_gives_the_dossier_field_by_field(
    rights_api: Invoke, signalled: dict[str, str], services: wiring.Services
) -> None:
    request = ask(rights_api, "inzage", Y, "parents")
    granted = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "bsn": Y},
    )
    assert granted.status == 200, granted.text
    assert granted.headers["Content-Type"].startswith("application/json")
    body = granted.json
    assert body["request"]["status"] == "granted"
    dossier = body["dossier"]
    assert dossier["request_id"] == request["request_id"]
    assert dossier["produced_on"] == "2026-11-23"
    assert "Jeugdwet" in dossier["purpose"]
    assert dossier["person"] == {
        "name": Y_NAME,
        "birth_date": "2015-03-01",
        "sex": "O",
        "address": {
            "street": "Teststraat",
            "house_number": "1",
            "postcode": "1234 AB",
            "city": "Teststad",
            "municipality_code": "0363",
        },
        "death_date": None,
        "birth_date_precision": "day",
        "under_investigation": [],
        "confidential": False,
    }
    signals = {s["signal_id"]: s for s in dossier["signals"]}
    assert set(signals) == {signalled["a"], signalled["b"], signalled["a2"]}
    expected = {
        "a": ("org-a", "Organisatie A", "Anna Aalders", MAIL_A, "A-Y-1", "active", None),
        "b": ("org-b", "Organisatie B", "Bram Bos", MAIL_B, "B-Y-1", "active", None),
        "a2": ("org-a", "Organisatie A", "Arend Abma", MAIL_A2, "A-Y-2", "closed", "2026-11-23"),
    }
    for key, (org_id, org_name, pro, mail, reference, status, closed_on) in expected.items():
        s = signals[signalled[key]]
        assert s["organisation"] == {"org_id": org_id, "name": org_name}
        assert s["professional"] == {"name": pro, "email": mail, "phone": "+31201234567"}
        assert s["client_reference"] == reference
        assert s["status"] == status
        assert s["active_from"] == "2026-11-23"
        assert s["active_until"] == "2028-11-23"
        assert s["closed_on"] == closed_on
        assert s["destroy_on"] == "2038-03-01"
        # What the signal keeps for the statistics is held data too: shown in the dossier.
        assert (s["municipality"], s["age_band"]) == ("0363", "4-11")
        assert s["placed_at"].startswith("2026-11-23")

    client = [m for m in dossier["matches"] if m["kind"] == "client"]
    family = [m for m in dossier["matches"] if m["kind"] == "family"]
    # a-b and a2-b are client matches (seen from both of Y's signals), a-a2 is one organisation.
    pairs = {frozenset((m["signal_id"], m["other_signal_id"])) for m in client}
    assert pairs == {frozenset((signalled["a"], signalled["b"])), frozenset((signalled["a2"], signalled["b"]))}
    for m in client:
        other = "org-b" if m["signal_id"] != signalled["b"] else "org-a"
        assert m["other_organisation"]["org_id"] == other
        assert m["status"] == "open"
    # Family matches with Z: only that they exist.
    assert dossier["family_matches"] == len(family) == 3
    for m in family:
        assert m["other_organisation"] is None and m["other_signal_id"] is None and m["match_id"] == "-"
    recipients = {(r["organisation"]["org_id"], r["via"]) for r in dossier["recipients"]}
    assert recipients == {
        ("org-a", "signal"),
        ("org-b", "signal"),
        ("org-b", "client_match"),
        ("org-a", "client_match"),
    }
    sources = {s["data"]: s["source"] for s in dossier["sources"]}
    assert "Basisregistratie Personen" in sources["Naam, geboortedatum, geslacht, adres"]
    assert sources[f"Signaal {signalled['a']}"].startswith("Organisatie A")
    assert sources[f"Signaal {signalled['b']}"].startswith("Organisatie B")

    trail = {
        (e.action.value, e.target)
        for e in wiring.current().audit.for_subject(AuditSubject.youth(youth_key(services, Y)), 1000).entries
    }
    assert ("rights.dossier_issued", request["request_id"]) in trail
    assert ("rights.granted", request["request_id"]) in trail


def test_the_dossier_of_y_contains_nothing_about_any_other_youth(
    rights_api: Invoke, signalled: dict[str, str], services: wiring.Services
) -> None:
    for kind, fmt in (("inzage", "json"), ("inzage", "html"), ("kopie", "html"), ("kopie", "json")):
        request = ask(rights_api, kind, Y, "parents")
        granted = rights_api(
            "POST",
            f"/rights-requests/{request['request_id']}/decision",
            claims=OPERATOR,
            body={"outcome": "granted", "bsn": Y, "format": fmt},
        )
        assert granted.status == 200, granted.text
        for secret in secrets_of_z(services, signalled):
            assert secret not in granted.text, (kind, fmt, secret)
        # Family match ids are derived from the sibling's signal id: not shown either.
        family_ids = {
            i["match_id"]
            for i in all_items(services.dynamodb, NAMES.main)
            if i.get("entity") == "match" and i.get("kind") == "family"
        }
        assert family_ids and not any(match_id in granted.text for match_id in family_ids)
        assert Y not in granted.text  # the BSN itself is not repeated


def test_kopie_is_a_printable_dutch_html_download_listing_every_signal(
    rights_api: Invoke, signalled: dict[str, str]
) -> None:
    request = ask(rights_api, "kopie", Y, "parents")
    granted = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "bsn": Y},
    )
    assert granted.status == 200, granted.text
    assert granted.headers["Content-Type"].startswith("text/html")
    assert granted.headers["Content-Disposition"] == (
        f'attachment; filename="verwijsindex-kopie-{request["request_id"]}.html"'
    )
    page = granted.text
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    for heading in ("Doel van de verwijsindex", "Persoonsgegevens", "Signalen", "Matches", "Ontvangers", "Herkomst"):
        assert heading in page
    assert Y_NAME in page and "2015-03-01" in page and "Teststraat 1, 1234 AB Teststad" in page
    for key, org, pro, mail, reference, status in (
        ("a", "Organisatie A", "Anna Aalders", MAIL_A, "A-Y-1", "actief"),
        ("b", "Organisatie B", "Bram Bos", MAIL_B, "B-Y-1", "actief"),
        ("a2", "Organisatie A", "Arend Abma", MAIL_A2, "A-Y-2", "gesloten"),
    ):
        start = page.index(f'id="signal-{signalled[key]}"')
        table = page[start : page.index("</table>", start)]
        for value in (org, pro, mail, reference, status, "2026-11-23", "2028-11-23", "+31201234567"):
            assert value in table, (key, value)
    assert "Gezinsmatch (een broer of zus is ook gesignaleerd)" in page
    assert "Match met Organisatie B (org-b)" in page


def test_inzage_as_printable_html_is_shown_inline(rights_api: Invoke, signalled: dict[str, str]) -> None:
    request = ask(rights_api, "inzage", Y, "parents")
    shown = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "bsn": Y, "format": "html"},
    )
    assert shown.status == 200 and shown.headers["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in shown.headers
    assert signalled["a"] in shown.text


# --- correctie -----------------------------------------------------------------------------------


def test_correctie_refreshes_from_the_brp_and_corrects_signal_attributes_with_old_and_new_in_the_audit(
    rights_api: Invoke,
    signals_api: Invoke,
    signalled: dict[str, str],
    persons: FakePersonRegistry,
    services: wiring.Services,
) -> None:
    request = ask(rights_api, "correctie", Y, "parents")
    # The BRP corrected the birth date at the source.
    persons.add(youth(Y, date(2015, 4, 1), parents=(PARENT_1, PARENT_2), name=Y_NAME))
    granted = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={
            "outcome": "granted",
            "bsn": Y,
            "corrections": [
                {"signal_id": signalled["b"], "org_id": "org-c"},
                {
                    "signal_id": signalled["a"],
                    "professional": {
                        "name": "Anna de Wit",
                        "email": "anna.dewit@org-a.example.org",
                        "phone": "+31209990000",
                    },
                },
            ],
        },
    )
    assert granted.status == 200, granted.text
    body = granted.json
    assert body["refreshed"] == {"destroy_on_before": "2038-03-01", "destroy_on_now": "2038-04-01", "changed": True}
    assert {(c["signal_id"], c["attribute"], c["old"], c["new"]) for c in body["corrections"]} == {
        (signalled["b"], "organisation", "org-b", "org-c"),
        (
            signalled["a"],
            "professional",
            f"Anna Aalders <{MAIL_A}> +31201234567",
            "Anna de Wit <anna.dewit@org-a.example.org> +31209990000",
        ),
    }
    yk = youth_key(services, Y)
    items = {i["SK"]: i for i in all_items(services.dynamodb, NAMES.main) if i["PK"] == f"YOUTH#{yk}"}
    assert all(i["destroy_on"] == "2038-04-01" for i in items.values() if i.get("entity") in {"signal", "youth"})
    assert items["YOUTH"]["GSI2PK"] == "DUE#2038-04-01"
    # The signal now belongs to org-c: org-b no longer reaches it, org-c does.
    assert signals_api("GET", f"/signals/{signalled['b']}", claims=PRO_B).status == 404
    assert signals_api("GET", f"/signals/{signalled['b']}", claims=PRO_C).status == 200
    # The guard moved with the professional.
    assert f"ACTIVE#org-a#{MAIL_A}" not in items and "ACTIVE#org-a#anna.dewit@org-a.example.org" in items
    assert f"ACTIVE#org-c#{MAIL_B}" in items
    # Match sides name the corrected organisation.
    sides = [i for i in all_items(services.dynamodb, NAMES.main) if i.get("entity") == "match"]
    assert all(s["org_id"] == "org-c" for s in sides if s["signal_id"] == signalled["b"])
    assert all(s["other_org_id"] == "org-c" for s in sides if s["other_signal_id"] == signalled["b"])

    trail = [
        e
        for e in services.audit.for_subject(AuditSubject.youth(yk), 1000).entries
        if e.action.value == "signal.corrected"
    ]
    assert {(e.target, e.detail) for e in trail} == {
        (signalled["b"], "organisation: org-b -> org-c"),
        (
            signalled["a"],
            f"professional: Anna Aalders <{MAIL_A}> +31201234567 -> "
            "Anna de Wit <anna.dewit@org-a.example.org> +31209990000",
        ),
    }
    assert all(e.actor == "operator-1" for e in trail)
    refreshed = [
        e
        for e in services.audit.for_subject(AuditSubject.youth(yk), 1000).entries
        if e.action.value == "rights.brp_refreshed"
    ]
    assert [e.detail for e in refreshed] == ["destroy_on 2038-03-01 -> 2038-04-01"]


def test_a_correction_is_written_whole_or_not_at_all(
    rights_api: Invoke, signalled: dict[str, str], services: wiring.Services
) -> None:
    # One match side of B's vanished meanwhile (say, forgotten with its other signal): moving B
    # to org-c cannot update it, so nothing may change, not the signal nor its other sides.
    main = all_items(services.dynamodb, NAMES.main)
    mirrored = [i for i in main if i.get("entity") == "match" and i["other_signal_id"] == signalled["b"]]
    assert mirrored
    services.dynamodb.delete_item(
        TableName=NAMES.main, Key={"PK": {"S": mirrored[0]["PK"]}, "SK": {"S": mirrored[0]["SK"]}}
    )
    before = [i for i in all_items(services.dynamodb, NAMES.main) if signalled["b"] in repr(i)]
    request = ask(rights_api, "correctie", Y, "parents")
    answer = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "bsn": Y, "corrections": [{"signal_id": signalled["b"], "org_id": "org-c"}]},
    )
    assert answer.status == 409, answer.text
    after = [i for i in all_items(services.dynamodb, NAMES.main) if signalled["b"] in repr(i)]
    assert sorted(map(repr, after)) == sorted(map(repr, before))


def test_a_correction_must_concern_a_signal_of_this_youth(rights_api: Invoke, signalled: dict[str, str]) -> None:
    request = ask(rights_api, "correctie", Y, "parents")
    wrong = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "bsn": Y, "corrections": [{"signal_id": signalled["z"], "org_id": "org-a"}]},
    )
    assert wrong.status == 422


# --- bezwaar -------------------------------------------------------------------------------------


def _objection(rights_api: Invoke, bsn: str, requested_by: str, objections: list[dict[str, Any]]) -> Any:
    request = ask(rights_api, "bezwaar", bsn, requested_by)
    granted = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "reason": "de familie wil niet in de index", "bsn": bsn, "objections": objections},
    )
    assert granted.status == 200, granted.text
    return granted.json


def test_bezwaar_destroys_an_unjustified_signal_closes_a_justified_one_and_mails_the_professionals(
    rights_api: Invoke, signalled: dict[str, str], services: wiring.Services, mailbox: Mailbox
) -> None:
    before = len(mailbox.sent)
    body = _objection(
        rights_api,
        Y,
        "parents",
        [{"signal_id": signalled["a"], "unjustified": True}, {"signal_id": signalled["b"], "unjustified": False}],
    )
    assert {(s["signal_id"], s["status"], s["professional_notified"]) for s in body["signals"]} == {
        (signalled["a"], "destroyed", True),
        (signalled["b"], "closed", True),
    }
    yk = youth_key(services, Y)
    main = all_items(services.dynamodb, NAMES.main)
    signals = {i["signal_id"]: i for i in main if i.get("entity") == "signal" and i["PK"] == f"YOUTH#{yk}"}
    assert signalled["a"] not in signals
    assert signals[signalled["b"]]["status"] == "closed"
    assert signals[signalled["b"]]["close_reason"] == "objection"
    assert signals[signalled["b"]]["GSI2PK"] == "DUE#2031-11-23"  # kept 5 years as history
    # The destroyed signal's matches are gone in both partitions.
    assert not [
        i for i in main if i.get("entity") == "match" and signalled["a"] in (i["signal_id"], i["other_signal_id"])
    ]

    mails = mailbox.sent[before:]
    assert sorted(m.to[0] for m in mails) == sorted([MAIL_A, MAIL_B])
    removed = mailbox.to(MAIL_A)[-1]
    closed = mailbox.to(MAIL_B)[-1]
    assert removed.subject == "Verwijsindex: uw signaal is verwijderd na bezwaar"
    assert closed.subject == "Verwijsindex: uw signaal is gesloten na bezwaar"
    assert "A-Y-1" in removed.text and signalled["a"] in removed.text
    assert "B-Y-1" in closed.text and signalled["b"] in closed.text
    for mail in mails:
        for secret in (Y, Y_NAME, "2015-03-01", "de familie wil niet in de index", yk):
            assert secret not in mail.everything

    trail = services.audit.for_subject(AuditSubject.youth(yk), 1000).entries
    assert any(e.action.value == "signal.destroyed" and e.target == signalled["a"] for e in trail)
    assert any(e.action.value == "signal.closed" and e.target == signalled["b"] for e in trail)
    assert {e.target for e in trail if e.action.value == "rights.objection_notified"} == {
        signalled["a"],
        signalled["b"],
    }


def test_bezwaar_without_named_signals_closes_every_signal_of_the_youth(
    rights_api: Invoke, signalled: dict[str, str], mailbox: Mailbox
) -> None:
    body = _objection(rights_api, Y, "parents", [])
    assert {(s["signal_id"], s["status"]) for s in body["signals"]} == {
        (signalled["a"], "closed"),
        (signalled["b"], "closed"),
        (signalled["a2"], "closed"),  # already closed: stays history, nobody mailed
    }
    assert {m.to[0] for m in mailbox.sent if "bezwaar" in m.subject} == {MAIL_A, MAIL_B}


def test_bezwaar_on_a_deceased_youth_destroys_even_justified_signals(
    rights_api: Invoke, signalled: dict[str, str], persons: FakePersonRegistry, services: wiring.Services
) -> None:
    persons.add(youth(Y, date(2015, 3, 1), parents=(PARENT_1, PARENT_2), name=Y_NAME, death_date=date(2026, 11, 21)))
    body = _objection(rights_api, Y, "parents", [{"signal_id": signalled["b"], "unjustified": False}])
    assert body["signals"][0]["status"] == "destroyed"
    assert not services.signal_store.youth_signals(youth_key(services, Y)) or all(
        s.signal_id != signalled["b"] for s in services.signal_store.youth_signals(youth_key(services, Y))
    )


def test_bezwaar_on_a_youth_of_23_destroys_even_justified_signals(
    rights_api: Invoke,
    signals_api: Invoke,
    persons: FakePersonRegistry,
    services: wiring.Services,
    clock: FixedClock,
    mailbox: Mailbox,
) -> None:
    adult = valid_bsn("33000001")
    persons.add(youth(adult, date(2003, 11, 24)))  # 23 tomorrow
    signal_id = place(signals_api, PRO_A, adult, "A-ADULT")
    clock.moment = datetime(2026, 11, 24, 9, 0, tzinfo=AMSTERDAM)
    body = _objection(rights_api, adult, "youth", [{"signal_id": signal_id, "unjustified": False}])
    assert body["signals"] == [{"signal_id": signal_id, "status": "destroyed", "professional_notified": True}]
    assert services.signal_store.youth_signals(youth_key(services, adult)) == []
    assert mailbox.to(MAIL_A)[-1].subject.endswith("verwijderd na bezwaar")


def test_bezwaar_refused_changes_nothing(
    rights_api: Invoke, signalled: dict[str, str], services: wiring.Services
) -> None:
    request = ask(rights_api, "bezwaar", Y, "parents")
    refused = rights_api(
        "POST",
        f"/rights-requests/{request['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "refused", "reason": "de signalen zijn nodig"},
    )
    assert refused.status == 200
    statuses = {s.signal_id: s.status.value for s in services.signal_store.youth_signals(youth_key(services, Y))}
    assert statuses[signalled["a"]] == "active" and statuses[signalled["b"]] == "active"


# --- who may use these routes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "claims", [PRO_A, CASE_SYSTEM_A, machine_claims("case-system-a", [])], ids=["pro", "cs", "cs0"]
)
def test_only_the_operator_may_use_any_rights_or_audit_route(
    rights_api: Invoke, family: None, claims: dict[str, str]
) -> None:
    request = ask(rights_api, "inzage", Y, "parents")
    path = f"/rights-requests/{request['request_id']}"
    calls: list[tuple[str, str, Any, dict[str, str] | None]] = [
        (
            "POST",
            "/rights-requests",
            {"kind": "inzage", "bsn": Y, "requested_by": "parents", "received_on": "2026-11-20"},
            None,
        ),
        ("GET", "/rights-requests", None, None),
        ("GET", "/rights-requests", None, {"overdue": "true"}),
        ("GET", path, None, None),
        ("POST", f"{path}/decision", {"outcome": "granted", "bsn": Y}, None),
        ("GET", "/audit", None, {"bsn": Y}),
        ("GET", "/audit", None, {"actor": "sub-a"}),
    ]
    for method, route, body, query in calls:
        response = rights_api(method, route, claims=claims, body=body, query=query)
        assert response.status == 403, (method, route, response.text)
        assert Y not in response.text
    assert rights_api("GET", path, claims=OPERATOR).json["status"] == "open"


def test_the_operator_cannot_place_signals(signals_api: Invoke, family: None) -> None:
    refused = signals_api("POST", "/signals", claims=OPERATOR, body={"bsn": Y, "client_reference": "OP-1"})
    assert refused.status == 403, refused.text


def test_a_professional_of_another_group_mix_is_refused_too(rights_api: Invoke) -> None:
    both = {**PRO_A, "cognito:groups": "[professional]"}
    assert rights_api("GET", "/rights-requests", claims=both).status == 403
    assert rights_api("GET", "/rights-requests", claims=None).status == 403
