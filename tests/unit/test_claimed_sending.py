"""Sending a claimed e-mail (logic/sending.py), on the in-memory mailer: each outcome of the send
settles the claim in its own way, and only that way.

Through the senders that use it, on the table and the SES outbox: the match e-mails
(tests/integration/test_match_exactly_once.py, test_undeliverable_addresses.py), the move notice
(tests/integration/test_national_link.py) and the renewal question (tests/unit/test_lifecycle_on_fakes.py).
"""

from __future__ import annotations

import pytest

from tests.fakes.mail import FakeMailer
from verwijsindex.logic.outgoing_mail import AddressUndeliverable
from verwijsindex.logic.sending import Claim, Sent, send_claimed
from verwijsindex.ports.mail import EmailMessage, MailerError

MESSAGE = EmailMessage(to="anna@org-a.example.org", subject="Nieuwe match", text="tekst", html="<p>tekst</p>")


class Settled:
    """Every way the claim was settled, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def claim(self) -> Claim:
        return Claim(
            undeliverable=lambda: self.calls.append(("undeliverable",)),
            release=lambda: self.calls.append(("release",)),
            sent=lambda message_id: self.calls.append(("sent", message_id)),
        )


def test_an_accepted_e_mail_is_recorded_as_sent_with_its_message_id() -> None:
    mailer, settled = FakeMailer(), Settled()
    assert send_claimed(mailer, MESSAGE, settled.claim()) is Sent.SENT
    assert mailer.sent == [MESSAGE]
    assert settled.calls == [("sent", "fake-message-1")]


def test_an_undeliverable_address_is_recorded_as_such_and_not_as_sent() -> None:
    mailer, settled = FakeMailer(), Settled()
    mailer.refuse = AddressUndeliverable("match")
    assert send_claimed(mailer, MESSAGE, settled.claim()) is Sent.UNDELIVERABLE
    assert mailer.sent == []
    assert settled.calls == [("undeliverable",)]


@pytest.mark.parametrize("ambiguous", [False, True])
def test_a_refused_e_mail_is_released_for_a_retry_and_the_refusal_raised(*, ambiguous: bool) -> None:
    mailer, settled = FakeMailer(), Settled()
    refusal = MailerError("throttled", ambiguous=ambiguous)
    mailer.refuse = refusal
    with pytest.raises(MailerError) as raised:
        send_claimed(mailer, MESSAGE, settled.claim())
    assert raised.value is refusal
    assert mailer.sent == []
    assert settled.calls == [("release",)]
