"""The operator's list of stuck work: `GET /operations/stuck`, a page at a time, nothing personal.

Work ends up there for real: SES refuses every e-mail, the stream gives the records up, the sweeper
tries its attempts and hands the e-mails to the operator; an e-mail to a bounced address is held back.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from infra.local.events import LocalContext
from tests.conftest import NAMES, NOW, OPERATOR, PRO_A, PRO_B, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock
from verwijsindex.logic.outgoing_mail import CheckedMailer
from verwijsindex.ports.mail import EmailMessage, MailerError

pytestmark = pytest.mark.usefixtures("region", "mailbox")

Y = valid_bsn("38000001")
MAIL_A = "sub-a@org-a.example.org"


class RefusingSes:
    def send(self, message: EmailMessage) -> str:
        raise MailerError("SES refused the message: InternalFailure")


@pytest.fixture
def stuck(
    services: wiring.Services, persons: FakePersonRegistry, signals_api: Invoke, match_stream: MatchStream
) -> dict[str, Any]:
    """Both e-mails of one match stuck after the sweeper's attempts."""
    from sweep.handler import run

    persons.add(youth(Y, date(2014, 4, 4)))
    checked = services.mailer
    assert isinstance(checked, CheckedMailer)
    checked.mailer = RefusingSes()  # SES refuses, behind the address check
    for claims, reference in ((PRO_A, "A-STUCK"), (PRO_B, "B-STUCK")):
        assert signals_api("POST", "/signals", claims=claims, body={"bsn": Y, "client_reference": reference}).status
    match_stream.drain(allow_failures=True)
    attempts = services.settings.sweep_max_attempts
    every = timedelta(minutes=services.settings.sweep_after_minutes + 1)
    reports = [run({"time": (NOW + n * every).isoformat()}) for n in range(1, attempts + 2)]
    assert reports[-1]["stuck"] == 2
    notes = [i for i in all_items(services.dynamodb, NAMES.main) if i.get("entity") == "notification"]
    return {"notes": notes, "report": reports[-1]}


def test_the_operator_pages_through_stuck_e_mails_and_learns_nothing_personal(
    rights_api: Invoke, services: wiring.Services, stuck: dict[str, Any], clock: FixedClock
) -> None:
    clock.moment = NOW + timedelta(hours=3)  # the operator looks three hours after the e-mails were due
    first = rights_api("GET", "/operations/stuck", claims=OPERATOR, query={"kind": "delivery", "limit": "1"})
    assert first.status == 200, first.text
    assert len(first.json["items"]) == 1 and first.json["next_cursor"]
    second = rights_api(
        "GET",
        "/operations/stuck",
        claims=OPERATOR,
        query={"kind": "delivery", "limit": "1", "cursor": first.json["next_cursor"]},
    )
    assert second.status == 200, second.text
    items = first.json["items"] + second.json["items"]
    if second.json["next_cursor"]:  # DynamoDB may end a page exactly at the last item
        third = rights_api(
            "GET",
            "/operations/stuck",
            claims=OPERATOR,
            query={"kind": "delivery", "cursor": second.json["next_cursor"]},
        )
        assert third.json == {"items": [], "next_cursor": None}
    attempts = services.settings.sweep_max_attempts
    assert [(i["kind"], i["attempts"]) for i in items] == [("delivery", attempts)] * 2
    assert [i["age_minutes"] for i in items] == [180, 180]  # placed at NOW, both e-mails due since
    assert all(i["since"] == "2026-11-23T09:00:00Z" for i in items)
    assert len({i["reference"] for i in items}) == 2
    # Nothing about whom it concerns: no address, name, client reference, pseudonym or id.
    body = first.text + second.text
    secrets = {Y, "@", "A-STUCK", "B-STUCK", "Anna", "Bram"}
    for note in stuck["notes"]:
        secrets |= {note["recipient_youth_key"], note["recipient_signal_id"], note["match_id"]}
    assert not [secret for secret in secrets if secret in body]
    # The reference leads the index's maintainers back to the e-mail, and nobody else.
    opened = {services.stuck_work.open_reference(i["reference"])["SK"]["S"] for i in items}
    assert opened == {note["SK"] for note in stuck["notes"]}


def test_each_kind_is_listed_apart(rights_api: Invoke, services: wiring.Services, stuck: dict[str, Any]) -> None:
    from email_events.handler import lambda_handler
    from verwijsindex.logic.outgoing_mail import AddressUndeliverable

    def listed(kind: str) -> list[dict[str, Any]]:
        page = rights_api("GET", "/operations/stuck", claims=OPERATOR, query={"kind": kind})
        assert page.status == 200, page.text
        return list(page.json["items"])

    assert listed("signal") == [] and listed("removal") == [] and listed("address") == []
    bounce = {
        "eventType": "Bounce",
        "mail": {"messageId": "m-1", "tags": {"event": ["match"]}},
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": MAIL_A}]},
    }
    lambda_handler({"Records": [{"Sns": {"Message": json.dumps(bounce)}}]}, LocalContext())
    assert listed("address") == []  # nothing held back yet
    for _ in range(2):
        with pytest.raises(AddressUndeliverable):
            services.mailer.send(EmailMessage(to=MAIL_A, subject="s", text="t", html="h", tags={"event": "renewal"}))
    (address,) = listed("address")
    assert (address["kind"], address["attempts"]) == ("address", 2)
    assert "@" not in json.dumps(address)
    assert [i["kind"] for i in listed("delivery")] == ["delivery", "delivery"]


def test_bad_kind_or_a_cursor_of_another_kind_is_a_problem_naming_the_field(
    rights_api: Invoke, stuck: dict[str, Any]
) -> None:
    bad = rights_api("GET", "/operations/stuck", claims=OPERATOR, query={"kind": "everything"})
    assert bad.status == 422 and bad.headers["Content-Type"].startswith("application/problem+json")
    assert "kind" in bad.text
    page = rights_api("GET", "/operations/stuck", claims=OPERATOR, query={"kind": "delivery", "limit": "1"}).json
    crossed = rights_api(
        "GET", "/operations/stuck", claims=OPERATOR, query={"kind": "signal", "cursor": page["next_cursor"]}
    )
    assert crossed.status == 422 and "cursor" in crossed.text
    assert rights_api("GET", "/operations/stuck", claims=PRO_A, query={"kind": "delivery"}).status == 403
