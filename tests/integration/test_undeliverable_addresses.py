"""An undeliverable (bounced) address gets no e-mail of any kind until the operator corrects it.

For each kind of e-mail to a professional (a match, a coordinator named, a new contact after a handover,
the renewal question, an objection's outcome) and to the operator: the e-mail is not sent, its own record
says `undeliverable` (never `sent`) and it is not retried, and the address is on the operator's list of
stuck work with the number of e-mails held back. Registering the professional again clears it all.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from infra.local.events import LocalContext
from infra.local.outbox import Mailbox
from tests.conftest import NAMES, OPERATOR, PRO_A, PRO_B, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.audit import AuditSubject

pytestmark = pytest.mark.usefixtures("region", "mailbox")

Y = valid_bsn("37000001")
MAIL_A, MAIL_B = "sub-a@org-a.example.org", "sub-b@org-b.example.org"
OPERATOR_MAIL = "regie@example.org"


@pytest.fixture(autouse=True)
def setting(services: wiring.Services, persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2015, 5, 5)))
    services.config = services.config.model_copy(update={"operator_email": OPERATOR_MAIL})


def bounce(address: str, kind: str = "match") -> list[str]:
    """SES reports a permanent bounce of an earlier e-mail to `address`, through the SNS topic."""
    from email_events.handler import lambda_handler

    message = {
        "eventType": "Bounce",
        "mail": {"messageId": "m-1", "tags": {"event": [kind]}},
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": address}]},
    }
    return list(lambda_handler({"Records": [{"Sns": {"Message": json.dumps(message)}}]}, LocalContext())["outcomes"])


def on_operators_list(dynamodb: Any) -> list[dict[str, Any]]:
    return [i for i in all_items(dynamodb, NAMES.main) if i.get("GSI3PK") == "STUCK#address"]


def entities(dynamodb: Any, entity: str) -> list[dict[str, Any]]:
    return [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == entity]


def place(api: Invoke, claims: dict[str, str], reference: str) -> dict[str, Any]:
    response = api("POST", "/signals", claims=claims, body={"bsn": Y, "client_reference": reference})
    assert response.status == 201, response.text
    return dict(response.json)


def test_a_match_e_mail_is_held_back_and_listed_for_the_operator(
    signals_api: Invoke, registry_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    assert bounce(MAIL_B) == ["marked"]
    place(signals_api, PRO_A, "A-1")
    place(signals_api, PRO_B, "B-1")
    match_stream.drain()
    assert MAIL_B not in mailbox.count_by_recipient() and mailbox.count_by_recipient()[MAIL_A] == 1
    to_b = next(n for n in entities(dynamodb, "notification") if n["recipient_email"] == MAIL_B)
    assert to_b["state"] == "undeliverable" and "GSI3PK" not in to_b  # not "sent", and never retried
    (listed,) = on_operators_list(dynamodb)
    assert (listed["sweep_attempts"], listed["held_back_kind"]) == (1, "match")
    assert MAIL_B not in listed["GSI3SK"]

    # The operator corrects the address: the entry leaves the list.
    fixed = registry_api(
        "PATCH",
        "/organisations/org-b/professionals/sub-b",
        claims=OPERATOR,
        body={"email": MAIL_B, "phone": "+31 20 765 4321"},
    )
    assert fixed.status == 200, fixed.text
    assert on_operators_list(dynamodb) == [] and entities(dynamodb, "undeliverable_address") == []


def test_a_new_contact_after_a_handover_is_held_back(
    signals_api: Invoke, registry_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    place(signals_api, PRO_A, "A-1")
    place(signals_api, PRO_B, "B-1")
    match_stream.drain()
    assert bounce(MAIL_B) == ["marked"]
    before = mailbox.count_by_recipient()
    # Anna's contact changes: Bram, the other party, would be told the new contact.
    changed = registry_api(
        "PATCH", "/organisations/org-a/professionals/sub-a", claims=OPERATOR, body={"email": "anna@org-a.example.org"}
    )
    assert changed.status == 200, changed.text
    match_stream.drain()
    assert mailbox.count_by_recipient()[MAIL_B] == before[MAIL_B]
    (contact,) = [n for n in entities(dynamodb, "notification") if n["event"] == "contact"]
    assert contact["state"] == "undeliverable"
    (listed,) = on_operators_list(dynamodb)
    assert (listed["sweep_attempts"], listed["held_back_kind"]) == (1, "contact")


def test_the_renewal_question_is_held_back_and_not_asked_again(
    signals_api: Invoke, mailbox: Mailbox, dynamodb: Any
) -> None:
    from expire.handler import lambda_handler

    placed = place(signals_api, PRO_A, "A-1")
    assert bounce(MAIL_A) == ["marked"]
    day_after = date.fromisoformat(placed["active_until"]) + timedelta(days=1)

    def expire(day: date) -> dict[str, Any]:
        at = f"{day.isoformat()}T01:15:00+01:00"
        result: dict[str, Any] = lambda_handler({"time": at}, LocalContext())
        return result

    report = expire(day_after)
    assert (report["closed"], report["emails_sent"], report["emails_undeliverable"]) == (1, 0, 1)
    assert MAIL_A not in mailbox.count_by_recipient()
    (notice,) = entities(dynamodb, "renewal_notice")
    assert notice["state"] == "undeliverable" and "GSI2PK" not in notice  # left the due index
    # The next night does not try again.
    report = expire(day_after + timedelta(days=1))
    assert (report["emails_sent"], report["emails_undeliverable"]) == (0, 0)
    (listed,) = on_operators_list(dynamodb)
    assert (listed["sweep_attempts"], listed["held_back_kind"]) == (1, "renewal")


def test_an_objections_outcome_is_held_back_and_recorded(
    signals_api: Invoke, rights_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, services: wiring.Services
) -> None:
    a = place(signals_api, PRO_A, "A-1")["signal_id"]
    b = place(signals_api, PRO_B, "B-1")["signal_id"]
    match_stream.drain()
    assert bounce(MAIL_B) == ["marked"]
    before = mailbox.count_by_recipient()
    asked = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "bezwaar", "bsn": Y, "requested_by": "parents", "received_on": "2026-11-20"},
    )
    assert asked.status == 201, asked.text
    decided = rights_api(
        "POST",
        f"/rights-requests/{asked.json['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "reason": "bezwaar gegrond", "bsn": Y, "objections": []},
    )
    assert decided.status == 200, decided.text
    notified = {s["signal_id"]: s["professional_notified"] for s in decided.json["signals"]}
    assert notified == {a: True, b: False}
    after = mailbox.count_by_recipient()
    assert (after[MAIL_A], after[MAIL_B]) == (before[MAIL_A] + 1, before[MAIL_B])
    trail = services.audit.for_subject(AuditSubject.youth(services.pseudonyms.regional(Y)), 1000).entries
    assert {e.target for e in trail if e.action.value == "rights.objection_notified"} == {a}
    (held,) = [e for e in trail if e.action.value == "email.held_back"]
    assert held.target == b and MAIL_B not in (held.detail or "")
    (listed,) = on_operators_list(services.dynamodb)
    assert listed["held_back_kind"] == "objection"


def test_the_operators_own_bounced_address_gets_no_report_and_is_listed(mailbox: Mailbox, dynamodb: Any) -> None:
    assert bounce(OPERATOR_MAIL, kind="undeliverable_address") == ["marked"]
    assert [m for m in mailbox.sent if OPERATOR_MAIL in m.to] == []
    assert bounce(MAIL_A) == ["marked"]  # the report about Anna's address would go to the operator
    assert [m for m in mailbox.sent if OPERATOR_MAIL in m.to] == []
    (listed,) = on_operators_list(dynamodb)
    assert listed["held_back_kind"] == "undeliverable_address"


def test_a_bounce_and_a_complaint_are_audited_once_without_the_address(
    mailbox: Mailbox, services: wiring.Services
) -> None:
    from verwijsindex.adapters.dynamo import keys

    assert bounce(MAIL_A, kind="renewal") == ["marked"]
    assert bounce(MAIL_A, kind="renewal") == ["already_marked"]  # SNS delivers at least once
    (entry,) = services.audit.for_actor("verwijsindex-email-events", 100).entries
    assert entry.action.value == "email.address_undeliverable"
    # In the address's trail, by its digest: the same partition as the address's own mark.
    assert entry.subject == AuditSubject.address(MAIL_A)
    assert keys.audit_subject_pk(entry.subject) == keys.undeliverable_pk(MAIL_A)
    assert "permanent bounce" in (entry.detail or "") and "renewal" in (entry.detail or "")
    assert MAIL_A not in entry.model_dump_json()
    operator = [m for m in mailbox.sent if OPERATOR_MAIL in m.to]
    assert len(operator) == 1  # told once, as before
