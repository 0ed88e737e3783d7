"""Sending one claimed e-mail: what every e-mail that must go out once (a match, a move notice, a
renewal question) does after its record was claimed.

Each sender first claims the e-mail's record (pending -> sending under its own token), so that of
two invocations only one sends it. The send then settles the claim in one of three ways:
- the address is known to be undeliverable (logic/outgoing_mail.py): recorded as undeliverable,
  never as sent and never tried again;
- SES refused it: released (pending again) so that a retry sends it, and the error goes on to the
  sender, which decides what a refusal means for it (retry the record, or count a failure);
- SES accepted it: recorded as sent with SES's message id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from verwijsindex.logic.outgoing_mail import AddressUndeliverable
from verwijsindex.ports.mail import EmailMessage, Mailer, MailerError


@dataclass(frozen=True)
class Claim:
    """A record claimed for sending, with the three ways to settle it; each sender binds them to
    its own store, record and claim token (the stores name and shape them differently)."""

    undeliverable: Callable[[], object]
    release: Callable[[], object]
    sent: Callable[[str], object]  # given SES's message id


class Sent(StrEnum):
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # not sent: the address is undeliverable


def send_claimed(mailer: Mailer, message: EmailMessage, claim: Claim) -> Sent:
    """Sends the claimed e-mail and settles its claim; an SES refusal releases it and raises."""
    try:
        message_id = mailer.send(message)
    except AddressUndeliverable:
        claim.undeliverable()
        return Sent.UNDELIVERABLE
    except MailerError:
        claim.release()
        raise
    claim.sent(message_id)
    return Sent.SENT
