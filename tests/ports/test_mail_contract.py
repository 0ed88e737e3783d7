"""The mail port: the same cases against the in-memory fake and the SES adapter on moto."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from infra.local.outbox import Mailbox
from tests.fakes.mail import FakeMailer
from verwijsindex.adapters.email import SesMailer
from verwijsindex.ports.mail import EmailMessage, Mailer, MailerError

SENDER = "verwijsindex@example.org"
TO = "piet@jeugdhulp.example.org"


@dataclass
class Outlet:
    mailer: Mailer
    sent_to: Callable[[str], list[str]]  # the subjects of what reached an address
    refusing: Callable[[], Mailer]  # a mailer of the same kind whose messages are refused


def _fake() -> Outlet:
    fake = FakeMailer()

    def refusing() -> Mailer:
        fake.refuse = MailerError("refused")
        return fake

    return Outlet(fake, lambda address: [m.subject for m in fake.to(address)], refusing)


def _ses(aws: None) -> Outlet:
    client: Any = boto3.client("sesv2")
    boto3.client("ses").verify_email_identity(EmailAddress=SENDER)
    mailbox = Mailbox()
    # SES refuses mail from an address it has not verified.
    return Outlet(
        SesMailer(client, SENDER),
        lambda address: [m.subject for m in mailbox.to(address)],
        lambda: SesMailer(client, "unverified@example.org"),
    )


@pytest.fixture(params=["fake", "ses"])
def outlet(request: pytest.FixtureRequest) -> Outlet:
    if request.param == "fake":
        return _fake()
    return _ses(request.getfixturevalue("aws"))


def message(subject: str, to: str = TO) -> EmailMessage:
    return EmailMessage(to=to, subject=subject, text="Beste Piet,", html="<p>Beste Piet,</p>", tags={"event": "match"})


def test_a_sent_message_reaches_its_address_with_an_id(outlet: Outlet) -> None:
    first = outlet.mailer.send(message("Verwijsindex: match 1"))
    second = outlet.mailer.send(message("Verwijsindex: match 2"))
    outlet.mailer.send(message("Verwijsindex: voor een ander", to="anna@school.example.org"))
    assert first and second and first != second
    assert outlet.sent_to(TO) == ["Verwijsindex: match 1", "Verwijsindex: match 2"]


def test_a_refused_message_raises_without_naming_the_address_and_is_not_sent(outlet: Outlet) -> None:
    with pytest.raises(MailerError) as refused:
        outlet.refusing().send(message("Verwijsindex: geweigerd"))
    assert TO not in str(refused.value) and "geweigerd" not in str(refused.value)
    assert refused.value.ambiguous is False  # refused outright: not sent, safe to record as not sent
    assert outlet.sent_to(TO) == []
