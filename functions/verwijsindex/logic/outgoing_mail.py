"""Every e-mail the index sends passes here: none goes to an address known to be undeliverable.

SES reported the address as bouncing for good, or its owner complained (logic/email_events.py). Mailing
it again would only hurt the region's sending reputation, and the professional would still not read it.
So the one mailer every service is given checks the registry first, in one place rather than in each
sender: an e-mail to such an address is not sent, it is counted on the address's entry, which puts the
address on the operator's list of stuck work (and so on the alarm for it), and `AddressUndeliverable` is
raised. Each sender records its e-mail as `undeliverable` (never `sent`) and does not retry it (one that
does not tell it apart from an SES refusal still never records it as sent); the
operator corrects the address (registering the professional again), after which mail flows again.
"""

from __future__ import annotations

from dataclasses import dataclass

from verwijsindex.domain.clock import Clock
from verwijsindex.ports.addresses import AddressStore
from verwijsindex.ports.mail import EmailMessage, Mailer, MailerError


class AddressUndeliverable(MailerError):
    """Not sent: the recipient's address is undeliverable. Never contains the address. A MailerError,
    so a sender that does not tell it apart still never records the e-mail as sent."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind} e-mail held back: the address is undeliverable")
        self.kind = kind


@dataclass
class CheckedMailer:
    """A Mailer that refuses undeliverable addresses (see the module's docstring)."""

    mailer: Mailer
    addresses: AddressStore
    clock: Clock

    def send(self, message: EmailMessage) -> str:
        kind = message.tags.get("event", "other")
        if self.addresses.hold_back(message.to, kind, self.clock.now()):
            raise AddressUndeliverable(kind)
        return self.mailer.send(message)
