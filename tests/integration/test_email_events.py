"""SES bounces and complaints: the address becomes undeliverable until the professional is registered
again, the notification `bounced`, and the operator is told once."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from infra.local.outbox import Mailbox
from tests.conftest import NAMES, OPERATOR, PRO_A, PRO_B, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("36000001")
MAIL_A, MAIL_B = "sub-a@org-a.example.org", "sub-b@org-b.example.org"
OPERATOR_MAIL = "regie@example.org"


@pytest.fixture(autouse=True)
def operator_mailbox(services: wiring.Services, persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2014, 6, 1)))
    services.config = services.config.model_copy(update={"operator_email": OPERATOR_MAIL})


def notifications(dynamodb: Any) -> list[dict[str, Any]]:
    return [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "notification"]


def ses_event(note: dict[str, Any], kind: str = "Bounce", bounce_type: str = "Permanent") -> dict[str, Any]:
    """What SNS delivers for an SES configuration-set event about one notification's e-mail."""
    from verwijsindex.adapters.dynamo.items import notification_from_values
    from verwijsindex.logic.emails.matches import match_email

    # SES echoes the tags the message was sent with.
    sent_tags = match_email(notification_from_values(note)).tags
    tags = {name: [value] for name, value in sent_tags.items()} | {"ses:configuration-set": ["verwijsindex-local"]}
    message: dict[str, Any] = {
        "eventType": kind,
        "mail": {"messageId": "m-1", "destination": [note["recipient_email"]], "tags": tags},
    }
    if kind == "Bounce":
        message["bounce"] = {
            "bounceType": bounce_type,
            "bouncedRecipients": [{"emailAddress": note["recipient_email"]}],
        }
    else:
        message["complaint"] = {"complainedRecipients": [{"emailAddress": note["recipient_email"]}]}
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(message)}}]}


def handle(event: dict[str, Any]) -> list[str]:
    from email_events.handler import lambda_handler
    from infra.local.events import LocalContext

    return list(lambda_handler(event, LocalContext())["outcomes"])


@pytest.fixture
def matched(signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any) -> str:
    for claims, reference in ((PRO_A, "A-1"), (PRO_B, "B-1")):
        assert (
            signals_api("POST", "/signals", claims=claims, body={"bsn": Y, "client_reference": reference}).status == 201
        )
    match_stream.drain()
    assert mailbox.count_by_recipient() == {MAIL_A: 1, MAIL_B: 1}
    (side,) = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "match" and i["org_id"] == "org-a"]
    return str(side["match_id"])


def test_a_bounce_stops_mail_to_that_address_until_the_operator_updates_it(
    signals_api: Invoke,
    registry_api: Invoke,
    match_stream: MatchStream,
    mailbox: Mailbox,
    dynamodb: Any,
    matched: str,
) -> None:
    to_b = next(n for n in notifications(dynamodb) if n["recipient_email"] == MAIL_B)
    assert handle(ses_event(to_b)) == ["marked"]

    after = next(n for n in notifications(dynamodb) if n["SK"] == to_b["SK"])
    assert after["state"] == "bounced" and "GSI3PK" not in after
    blocked = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "undeliverable_address"]
    assert [(b["email"], b["reason"]) for b in blocked] == [(MAIL_B, "bounce")]
    assert MAIL_B not in blocked[0]["PK"]  # the key names nobody
    operator = [m for m in mailbox.sent if OPERATOR_MAIL in m.to]
    assert len(operator) == 1 and MAIL_B in operator[0].text and Y not in operator[0].everything

    # The same event again (SNS delivers at least once): nothing new, the operator is not told twice.
    assert handle(ses_event(to_b)) == ["already_marked"]
    assert len([m for m in mailbox.sent if OPERATOR_MAIL in m.to]) == 1

    # A new e-mail to B (A names a coordinator) is not sent: B's address bounced.
    signal_a = next(n for n in notifications(dynamodb) if n["recipient_email"] == MAIL_A)
    named = signals_api(
        "POST", f"/matches/{matched}/coordinator", claims=PRO_A, body={"signal_id": signal_a["recipient_signal_id"]}
    )
    assert named.status == 200, named.text
    match_stream.drain()
    assert mailbox.count_by_recipient()[MAIL_B] == 1
    (coordinator_note,) = [n for n in notifications(dynamodb) if n["event"] == "coordinator"]
    assert coordinator_note["state"] == "undeliverable" and "GSI3PK" not in coordinator_note

    # The operator updates B's contact (with the checked address): mail flows again.
    again = registry_api(
        "PATCH",
        "/organisations/org-b/professionals/sub-b",
        claims=OPERATOR,
        body={"email": MAIL_B, "phone": "+31 20 765 4321"},
    )
    assert again.status == 200, again.text
    assert not [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "undeliverable_address"]
    marked = signals_api("POST", f"/matches/{matched}/coordinated", claims=PRO_A)
    assert marked.status == 200, marked.text
    match_stream.drain()
    assert mailbox.count_by_recipient()[MAIL_B] == 2


def test_a_complaint_marks_the_address_and_a_transient_bounce_changes_nothing(
    mailbox: Mailbox, dynamodb: Any, matched: str
) -> None:
    to_a = next(n for n in notifications(dynamodb) if n["recipient_email"] == MAIL_A)
    assert handle(ses_event(to_a, bounce_type="Transient")) == ["ignored"]
    assert not [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "undeliverable_address"]
    assert handle(ses_event(to_a, kind="Complaint")) == ["marked"]
    blocked = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "undeliverable_address"]
    assert [(b["email"], b["reason"]) for b in blocked] == [(MAIL_A, "complaint")]
    assert handle({"Records": [{"Sns": {"Message": "not json"}}]}) == ["rejected"]
