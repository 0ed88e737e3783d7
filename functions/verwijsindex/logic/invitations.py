"""Inviting a professional in one step, for the region's operator: the account in the user
directory (with the organisation), the registry entry, and our own Dutch invitation e-mail.

The directory sends nothing itself; the invitation goes through the region's SES sender like every
other e-mail, so it is in Dutch, comes from the region's address and its bounces are seen. It names
the organisation and the portal, and carries the temporary password the first sign-in replaces
(with a second factor set up then). A refused e-mail leaves account and entry in place and says so:
the operator can tell the professional another way.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict

from verwijsindex.domain.callers import Caller
from verwijsindex.domain.errors import Conflict, NotFound
from verwijsindex.domain.models import Email, Name, Phone, Professional
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.emails.invitation import invitation_email
from verwijsindex.logic.schemas import ProfessionalRequest, Strict
from verwijsindex.ports.accounts import AccountExists, Accounts
from verwijsindex.ports.mail import Mailer, MailerError

if TYPE_CHECKING:  # built by the composition root; the portal imports this module for its form
    from verwijsindex.logic.registry import RegistryService

logger = Logger(child=True)

# Symbols that read the same in the text and the HTML part (no &, <, > or quotes to escape).
_SYMBOLS = "!#$%*+-=?@^_"


def temporary_password(length: int = 16) -> str:
    """Random, with a lower-case and an upper-case letter, a digit and a symbol (the pool's policy)."""
    classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, _SYMBOLS)
    alphabet = "".join(classes)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in group for c in candidate) for group in classes):
            return candidate


class InvitationRequest(Strict):
    name: Name
    email: Email
    phone: Phone


class Invitation(BaseModel):
    model_config = ConfigDict(frozen=True)

    professional: Professional
    invitation_sent: bool


@dataclass
class InvitationService:
    # The registry's use cases (not its store): the professional is registered as the operator would.
    registrations: RegistryService
    accounts: Accounts
    mailer: Mailer
    new_password: Callable[[], str] = field(default=temporary_password)

    def invite(
        self, caller: Caller, org_id: str, request: InvitationRequest, *, portal_url: str, region_name: str
    ) -> Invitation:
        require_operator(caller)
        organisation = self.registrations.registry.get_organisation(org_id)
        if organisation is None:
            raise NotFound("no such organisation")
        password = self.new_password()
        try:
            user_id = self.accounts.create(str(request.email), org_id, password)
        except AccountExists:
            raise Conflict("an account with this e-mail address exists already", field="email") from None
        professional = self.registrations.add_professional(
            caller,
            org_id,
            ProfessionalRequest(user_id=user_id, name=request.name, email=request.email, phone=request.phone),
        )
        message = invitation_email(
            organisation,
            name=request.name,
            email=str(request.email),
            password=password,
            portal_url=portal_url,
            region_name=region_name,
        )
        try:
            self.mailer.send(message)
        except MailerError as error:
            logger.warning("invitation e-mail not sent", extra={"reason": error.reason})
            return Invitation(professional=professional, invitation_sent=False)
        return Invitation(professional=professional, invitation_sent=True)
