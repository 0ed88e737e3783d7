"""A mailer in memory: the same port as SES (ports/mail.py), for rules tested without moto.
Every accepted message is kept in `sent`; `refuse` makes the next sends fail as SES can."""

from __future__ import annotations

import itertools

from verwijsindex.ports.mail import EmailMessage, MailerError


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.refuse: MailerError | None = None  # set: every send raises it, nothing is sent
        self._ids = itertools.count(1)

    def send(self, message: EmailMessage) -> str:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append(message)
        return f"fake-message-{next(self._ids)}"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.sent if message.to == address]
