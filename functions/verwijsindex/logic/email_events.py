"""SES delivery events (DESIGN.md, Reliability stance: every e-mail delivered or reported).

SES publishes bounces and complaints of the region's configuration set to an SNS topic; this use case
takes each one: a permanent bounce or a complaint marks the address undeliverable in the registry
(nothing is e-mailed to it again until the professional is registered again), marks the notification
it was about `bounced`, and tells the region's operator once. Each address marked has its audit entry,
written with the mark (under the address's hashed key, by this function as actor: the address itself is
in the registry's entry, not in the trail). Transient bounces are SES's to retry.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from enum import StrEnum

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.callers import Caller, CallerKind
from verwijsindex.domain.clock import Clock
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.emails.operator import undeliverable_address_email
from verwijsindex.logic.outgoing_mail import AddressUndeliverable
from verwijsindex.ports.addresses import AddressStore
from verwijsindex.ports.mail import Mailer
from verwijsindex.ports.matches import MatchStore

# SES's reports are acted on by this function: its audit entries name it as the actor.
EMAIL_EVENTS = Caller(kind=CallerKind.MACHINE, subject="verwijsindex-email-events")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Recipient(_Model):
    emailAddress: str = Field(max_length=320)


class Bounce(_Model):
    bounceType: str = Field(max_length=40)
    bouncedRecipients: tuple[Recipient, ...] = ()


class Complaint(_Model):
    complainedRecipients: tuple[Recipient, ...] = ()


class Mail(_Model):
    messageId: str = Field(default="", max_length=200)
    tags: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class SesEvent(_Model):
    """One SES event as the configuration set publishes it (or an identity notification)."""

    event_type: str = Field(validation_alias=AliasChoices("eventType", "notificationType"), max_length=40)
    mail: Mail
    bounce: Bounce | None = None
    complaint: Complaint | None = None

    def tag(self, name: str) -> str | None:
        values = self.mail.tags.get(name) or ()
        return values[0] if values else None


class EmailEventOutcome(StrEnum):
    MARKED = "marked"  # the address is undeliverable from now on
    ALREADY_MARKED = "already_marked"  # a repeated event, or another e-mail to the same address
    IGNORED = "ignored"  # a transient bounce, a delivery delay, ...


@dataclass
class EmailEventService(Stamping):
    addresses: AddressStore
    matches: MatchStore
    mailer: Mailer
    operator_email: str
    clock: Clock

    def handle(self, event: SesEvent) -> EmailEventOutcome:
        if event.event_type == "Bounce" and event.bounce is not None and event.bounce.bounceType == "Permanent":
            reason, recipients = "bounce", event.bounce.bouncedRecipients
        elif event.event_type == "Complaint" and event.complaint is not None:
            reason, recipients = "complaint", event.complaint.complainedRecipients
        else:
            return EmailEventOutcome.IGNORED
        now = self.clock.now()
        youth, match, signal, note = (event.tag(name) for name in ("youth", "match", "signal", "note"))
        newly = [
            r.emailAddress
            for r in recipients
            if self.addresses.mark(r.emailAddress, reason, now, self._entry(r.emailAddress, reason, event, signal))
        ]
        if youth and match and signal and note:
            self.matches.set_bounced(youth, match, signal, note.replace("-", "#"))
        if not newly:
            return EmailEventOutcome.ALREADY_MARKED
        if self.operator_email:
            # The operator's own address may have bounced: then it is held back and listed as stuck.
            with contextlib.suppress(AddressUndeliverable):
                self.mailer.send(undeliverable_address_email(self.operator_email, newly, reason))
        return EmailEventOutcome.MARKED

    def _entry(self, address: str, reason: str, event: SesEvent, signal: str | None) -> AuditEntry:
        """Which e-mail (its kind, and the signal it was about) made SES report the address."""
        kind = event.tag("event") or "unknown"
        what = "permanent bounce" if reason == "bounce" else "complaint"
        return self._stamp.entry(
            EMAIL_EVENTS,
            AuditAction.ADDRESS_UNDELIVERABLE,
            AuditSubject.address(address),
            target=signal,
            detail=f"{what} reported by SES for a {kind} e-mail; no e-mail to this address until it is updated",
        )
