"""E-mail through Amazon SES (v2): the only code that sends mail (the port: ports/mail.py).

The SES client has short timeouts and few retries, so one send can never outlast the
Lambda: a notification is claimed for sending only while this call runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from verwijsindex.ports.mail import EmailMessage, MailerError

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef

# At most 2 attempts of (2 s connect + 5 s read): about 15 s in the worst case.
SES_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"})
CHARSET = "UTF-8"


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
