"""E-mail through Amazon SES (v2): the only code that sends mail.

The SES client has short timeouts and few retries, so one send can never outlast the
Lambda: a notification is claimed for sending only while this call runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef

# At most 2 attempts of (2 s connect + 5 s read): about 15 s in the worst case.
SES_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"})
CHARSET = "UTF-8"


class EmailMessage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    to: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    text: str
    html: str
    # Tags reach SES event destinations (bounces, deliveries): ids only, never content.
    tags: dict[str, str] = Field(default_factory=dict)


class MailerError(Exception):
    """SES did not accept the message. Never contains the message or the address."""

    def __init__(self, reason: str, *, ambiguous: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        # True when SES may have accepted it after all (a timeout): a retry may duplicate it.
        self.ambiguous = ambiguous


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> str:
        """Sends one message; returns the SES message id, raises MailerError."""
        ...


class SesMailer:
    def __init__(self, client: SESV2Client, sender: str, configuration_set: str = "") -> None:
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, message: EmailMessage) -> str:
        if not self._sender:
            raise MailerError("no sender configured (SES_SENDER)")
        request: SendEmailRequestTypeDef = {
            "FromEmailAddress": self._sender,
            "Destination": {"ToAddresses": [message.to]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": message.subject, "Charset": CHARSET},
                    "Body": {
                        "Text": {"Data": message.text, "Charset": CHARSET},
                        "Html": {"Data": message.html, "Charset": CHARSET},
                    },
                }
            },
            "EmailTags": [{"Name": name, "Value": value} for name, value in sorted(message.tags.items())],
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        try:
            response = self._client.send_email(**request)
        except ClientError as error:
            # SES answered: it refused the message, so it was not sent.
            raise MailerError(f"SES refused the message: {error.response.get('Error', {}).get('Code')}") from None
        except BotoCoreError as error:
            raise MailerError(f"SES call failed: {type(error).__name__}", ambiguous=True) from None
        return str(response.get("MessageId", ""))
