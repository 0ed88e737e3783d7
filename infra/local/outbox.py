"""E-mails as moto's SES backend holds them: the local run's outbox and the tests' mailbox."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SentMail:
    to: tuple[str, ...]
    subject: str
    html: str
    source: str

    @property
    def text(self) -> str:
        """Readable text of the HTML part (moto keeps only the HTML of a Simple message)."""
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
