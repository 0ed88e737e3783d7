"""E-mails sent through SES: as moto's SES backend holds them (the tests' mailbox), and as the
functions sent them (the local run's outbox)."""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SentMail:
    to: tuple[str, ...]
    subject: str
    html: str
    source: str
    text_part: str | None = None  # as sent, when it was recorded on the way to SES

    @property
    def text(self) -> str:
        """The text part as sent, else a readable text of the HTML part (moto keeps only the
        HTML of a message that has both)."""
        if self.text_part is not None:
            return self.text_part
        without_tags = re.sub(r"<(br|/p|/li|/h\d|/tr)\s*/?>", "\n", self.html, flags=re.IGNORECASE)
        without_tags = re.sub(r"<[^>]+>", "", without_tags)
        lines = (line.strip() for line in html.unescape(without_tags).splitlines())
        return "\n".join(line for line in lines if line)

    @property
    def everything(self) -> str:
        return f"{self.to} {self.subject} {self.html} {self.source}"


class Mailbox:
    def __init__(self, region_name: str = "eu-west-1") -> None:
        self._region = region_name

    @property
    def sent(self) -> list[SentMail]:
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        return [
            SentMail(
                to=tuple(message.destinations.get("ToAddresses", [])),
                subject=message.subject,
                html=message.body,
                source=message.source,
            )
            for message in ses_backends[DEFAULT_ACCOUNT_ID][self._region].sent_messages
        ]

    def to(self, address: str) -> list[SentMail]:
        return [mail for mail in self.sent if address in mail.to]

    def count_by_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for mail in self.sent:
            for address in mail.to:
                counts[address] = counts.get(address, 0) + 1
        return counts


class SesOutbox:
    """Every e-mail the functions of this process hand to SES and SES accepts, with its text
    part and its HTML part as sent (moto keeps only the HTML of a message that has both).

    It listens on boto3's default session, from which the functions' SES clients are made;
    attach it before the first of them is created.
    """

    _KEY = "local_outbox_request"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[SentMail] = []

    def attach(self) -> SesOutbox:
        import boto3

        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        assert boto3.DEFAULT_SESSION is not None
        events = boto3.DEFAULT_SESSION.events
        events.register("before-parameter-build.sesv2.SendEmail", self._remember_request)
        events.register("after-call.sesv2.SendEmail", self._record_if_accepted)
        return self

    @property
    def sent(self) -> list[SentMail]:
        with self._lock:
            return list(self._sent)

    def _remember_request(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[self._KEY] = params

    def _record_if_accepted(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        params = context.get(self._KEY)
        if not params or "MessageId" not in parsed:
            return
        simple = params.get("Content", {}).get("Simple", {})
        body = simple.get("Body", {})
        mail = SentMail(
            to=tuple(params.get("Destination", {}).get("ToAddresses", [])),
            subject=simple.get("Subject", {}).get("Data", ""),
            html=body.get("Html", {}).get("Data", ""),
            source=params.get("FromEmailAddress", ""),
            text_part=body.get("Text", {}).get("Data"),
        )
        with self._lock:
            self._sent.append(mail)


def outbox_entry(mail: SentMail) -> dict[str, Any]:
    """One e-mail as `GET /_local/outbox` shows it."""
    return {"to": list(mail.to), "from": mail.source, "subject": mail.subject, "text": mail.text, "html": mail.html}
