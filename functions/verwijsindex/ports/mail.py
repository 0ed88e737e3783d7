"""Sending e-mail: one message at a time, accepted or refused (adapters/email.py: SES v2)."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class EmailMessage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    to: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    text: str
    html: str
    # Tags reach the mail service's event destinations (bounces, deliveries): ids only, never content.
    tags: dict[str, str] = Field(default_factory=dict)


class MailerError(Exception):
    """The message was not accepted. Never contains the message or the address."""

    def __init__(self, reason: str, *, ambiguous: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        # True when it may have been accepted after all (a timeout): a retry may duplicate it.
        self.ambiguous = ambiguous


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> str:
        """Sends one message; returns the message id, raises MailerError."""
        ...
