"""The matching scenario on moto, read back from the SES backend."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infra.local.events import user_claims
from infra.local.outbox import Mailbox
from tests.conftest import NAMES, OPERATOR, PRO_A, PRO_A2, PRO_B, PRO_C, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("30000001")
Z = valid_bsn("30000002")  # Y's half-brother: they share one parent
PARENT_1 = valid_bsn("40000001")
PARENT_2 = valid_bsn("40000002")
PARENT_3 = valid_bsn("40000003")
SECRETS = (Y, Z, PARENT_1, PARENT_2, PARENT_3, "Sanne Geheim", "Timo Geheim", "2015-03-01", "2012-06-01")

MAIL_A, MAIL_A2, MAIL_B, MAIL_C = (
    "sub-a@org-a.example.org",
    "sub-a2@org-a.example.org",
    "sub-b@org-b.example.org",
    "sub-c@org-c.example.org",
)
PRO_D = user_claims("sub-d", "org-d", ["professional"])
MAIL_D = "sub-d@org-d.example.org"


@pytest.fixture
def family(persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2015, 3, 1), parents=(PARENT_1, PARENT_2), name="Sanne Geheim"))
    persons.add(youth(Z, date(2012, 6, 1), parents=(PARENT_1, PARENT_3), name="Timo Geheim"))


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str) -> str:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
    assert response.status == 201, response.text
    return str(response.json["signal_id"])


def add_org_d(registry_api: Invoke) -> None:
    created = registry_api("POST", "/organisations", claims=OPERATOR, body={"org_id": "org-d", "name": "Organisatie D"})
    assert created.status == 201, created.text
    added = registry_api(
        "POST",
        "/organisations/org-d/professionals",
        claims=OPERATOR,
        body={"user_id": "sub-d", "name": "Dirk Dekker", "email": MAIL_D, "phone": "+31307654321"},
    )
    assert added.status == 201, added.text


def new_mail(mailbox: Mailbox, seen: int) -> list[Any]:
    return mailbox.sent[seen:]


@pytest.mark.usefixtures("family")
def test_client_and_family_matches_e_mail_each_professional_once(
    signals_api: Invoke, registry_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    # A (org 1) signals Y: nobody to match with.
    a = place(signals_api, PRO_A, Y, "A-REF-1")
    match_stream.drain()
    assert mailbox.sent == []

    # B (org 2) signals Y: exactly one e-mail to A and one to B, each about the other.
    b = place(signals_api, PRO_B, Y, "B-REF-2")
    match_stream.drain()
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}
    [to_a] = mailbox.to(MAIL_A)
    [to_b] = mailbox.to(MAIL_B)
    assert "A-REF-1" in to_a.subject and "A-REF-1" in to_a.html and a in to_a.html
    assert all(part in to_a.html for part in ("Bram Bos", "Organisatie B", MAIL_B, "+31201234567"))
    assert "B-REF-2" not in to_a.html and b not in to_a.html
    assert "B-REF-2" in to_b.subject and b in to_b.html
    assert all(part in to_b.html for part in ("Anna Aalders", "Organisatie A", MAIL_A))
    assert "A-REF-1" not in to_b.html
    assert "gezinsmatch" not in to_a.html and to_a.source == "verwijsindex@example.org"

    # C (org 1, another professional) signals Y: matches B only, never A of its own organisation.
    seen = len(mailbox.sent)
    c = place(signals_api, PRO_A2, Y, "C-REF-3")
    match_stream.drain()
    fresh = new_mail(mailbox, seen)
    assert sorted(address for mail in fresh for address in mail.to) == sorted([MAIL_A2, MAIL_B])
    [to_c] = mailbox.to(MAIL_A2)
    assert "Bram Bos" in to_c.html and "C-REF-3" in to_c.html
    [_, b_about_c] = mailbox.to(MAIL_B)
    assert "Arend Abma" in b_about_c.html and "B-REF-2" in b_about_c.html

    # D (org 3) signals Y's half-brother Z: family matches with A, B and C.
    seen = len(mailbox.sent)
    place(signals_api, PRO_C, Z, "D-REF-4")
    match_stream.drain()
    fresh = new_mail(mailbox, seen)
    assert sorted(address for mail in fresh for address in mail.to) == sorted(
        [MAIL_C, MAIL_C, MAIL_C, MAIL_A, MAIL_B, MAIL_A2]
    )
    for mail in fresh:
        assert "gezinsmatch" in mail.subject
        assert "broer of zus" in mail.html
    to_d = mailbox.to(MAIL_C)
    assert {name for mail in to_d for name in ("Anna Aalders", "Bram Bos", "Arend Abma") if name in mail.html} == {
        "Anna Aalders",
        "Bram Bos",
        "Arend Abma",
    }
    assert all("D-REF-4" in mail.html for mail in to_d)

    # C closes; E (org 4) signals Y: matches A, B (client) and D (family), never the closed C.
    closed = signals_api("POST", f"/signals/{c}/close", claims=PRO_A2, body={"reason": "ended"})
    assert closed.status == 200, closed.text
    add_org_d(registry_api)
    seen = len(mailbox.sent)
    place(signals_api, PRO_D, Y, "E-REF-5")
    match_stream.drain()
    fresh = new_mail(mailbox, seen)
    assert sorted(address for mail in fresh for address in mail.to) == sorted(
        [MAIL_D, MAIL_D, MAIL_D, MAIL_A, MAIL_B, MAIL_C]
    )
    assert len(mailbox.to(MAIL_A2)) == 2  # C: B's client match and D's family match, nothing after closing

    # Never a BSN, a name or a birth date of the youths or their parents in any message.
    for mail in mailbox.sent:
        for secret in SECRETS:
            assert secret not in mail.everything
    # Nor anywhere in the table: parents are stored only as pseudonyms.
    everything = repr(all_items(dynamodb, NAMES.main)) + repr(all_items(dynamodb, NAMES.audit))
    for secret in SECRETS:
        assert secret not in everything

    # Eight matches in all: A-B, B-C, D-A, D-B, D-C, E-A, E-B, E-D; two sides each.
    sides = [item for item in all_items(dynamodb, NAMES.main) if item.get("entity") == "match"]
    assert len({side["match_id"] for side in sides}) == 8
    assert len(sides) == 16
    notes = [item for item in all_items(dynamodb, NAMES.main) if item.get("entity") == "notification"]
    assert len(notes) == 16 and {note["state"] for note in notes} == {"sent"}
    assert len(mailbox.sent) == 16


@pytest.mark.usefixtures("family")
def test_a_signal_closed_before_it_is_matched_matches_nothing(
    signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    place(signals_api, PRO_A, Y, "A-REF-1")
    match_stream.drain()
    b = place(signals_api, PRO_B, Y, "B-REF-2")
    assert signals_api("POST", f"/signals/{b}/close", claims=PRO_B, body={"reason": "ended"}).status == 200
    match_stream.drain()

    assert mailbox.sent == []
    assert [item for item in all_items(dynamodb, NAMES.main) if item.get("entity") == "match"] == []


@pytest.mark.usefixtures("family")
def test_a_withdrawn_signal_matches_nothing(signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox) -> None:
    place(signals_api, PRO_A, Y, "A-REF-1")
    b = place(signals_api, PRO_B, Y, "B-REF-2")
    assert signals_api("POST", f"/signals/{b}/close", claims=PRO_B, body={"reason": "unjustified"}).status == 200
    match_stream.drain()
    assert mailbox.sent == []
