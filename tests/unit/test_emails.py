"""Every e-mail the index sends: one set of blocks gives the text and the HTML part, the HTML part
escapes every value, and no e-mail carries a BSN or a pseudonym."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date, datetime

import pytest

from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.lifecycle import RenewalNotice
from verwijsindex.domain.matches import MatchKind, Notification, NotificationEvent, PartyCard
from verwijsindex.domain.models import Contact, Organisation, Signal, SignalStatus
from verwijsindex.domain.national import MoveNotice, RemoteParty
from verwijsindex.logic.emails.invitation import invitation_email
from verwijsindex.logic.emails.layout import FOOTER
from verwijsindex.logic.emails.matches import match_email
from verwijsindex.logic.emails.objection import objection_email
from verwijsindex.logic.emails.operator import move_notice_email, undeliverable_address_email
from verwijsindex.logic.emails.renewal import renewal_email
from verwijsindex.ports.mail import EmailMessage

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
HOSTILE = "<script>alert(1)</script> & Co"
YOUTH_KEY = "7" * 64
BSN = "999990196"
CARD = PartyCard(organisation=HOSTILE, name=HOSTILE, email="b@example.org", phone="+31 6 1234 5678")


def notification(event: NotificationEvent, kind: MatchKind = MatchKind.CLIENT, **changes: object) -> Notification:
    values: dict[str, object] = {
        "notification_id": "m:s-1:x",
        "match_id": "m",
        "kind": kind,
        "event": event,
        "recipient_youth_key": YOUTH_KEY,
        "recipient_signal_id": "s-1",
        "recipient_client_reference": "REF-1",
        "recipient_name": HOSTILE,
        "recipient_email": "a@example.org",
        "other": CARD,
        "created_at": NOW,
    }
    return Notification.model_validate({**values, **changes})


SIGNAL = Signal(
    signal_id="s-1",
    youth_key=YOUTH_KEY,
    national_key="8" * 64,
    org_id="org-a",
    professional_id="a@example.org",
    professional=Contact(name=HOSTILE, email="a@example.org", phone="+31 20 123 4567"),
    client_reference="REF-1",
    status=SignalStatus.ACTIVE,
    active_from=date(2026, 11, 23),
    active_until=date(2028, 11, 23),
    destroy_on=date(2037, 1, 1),
    created_at=NOW,
)

EMAILS: dict[str, EmailMessage] = {
    "match": match_email(notification(NotificationEvent.MATCH)),
    "family match": match_email(notification(NotificationEvent.MATCH, MatchKind.FAMILY)),
    "remote match": match_email(
        notification(NotificationEvent.MATCH, other=CARD.model_copy(update={"region": HOSTILE}))
    ),
    "coordinator named": match_email(notification(NotificationEvent.COORDINATOR, sequence=1, coordinator=CARD)),
    "coordinator is you": match_email(
        notification(NotificationEvent.COORDINATOR, sequence=2, coordinator_is_recipient=True)
    ),
    "coordinated": match_email(notification(NotificationEvent.COORDINATED)),
    "new contact": match_email(notification(NotificationEvent.CONTACT, sequence=3)),
    "renewal": renewal_email(
        RenewalNotice(
            signal_id="s-1",
            youth_key=YOUTH_KEY,
            org_id="org-a",
            recipient_name=HOSTILE,
            recipient_email="a@example.org",
            client_reference="REF-1",
            active_until=date(2028, 11, 23),
            closed_on=date(2028, 11, 24),
        )
    ),
    "invitation": invitation_email(
        Organisation(org_id="org-a", name=HOSTILE),
        name=HOSTILE,
        email="a@example.org",
        password="Tijdelijk#Wachtw0ord",
        portal_url="https://portaal.example.org/portaal/?a=1&b=<2>",
        region_name="Verwijsindex Noord",
    ),
    "objection, destroyed": objection_email(SIGNAL, destroyed=True),
    "objection, closed": objection_email(SIGNAL, destroyed=False),
    "move notice": move_notice_email(
        MoveNotice(
            region="noord",
            notice_id="0" * 8 + "-0000-0000-0000-" + "0" * 12,
            municipality="0363",
            moved_on=date(2026, 11, 20),
            from_region="zuid",
            from_region_name=HOSTILE,
            signals=(
                RemoteParty(
                    region="zuid",
                    region_name=HOSTILE,
                    signal_id="s-9",
                    org_id="org-z",
                    organisation=HOSTILE,
                    professional=Contact(name=HOSTILE, email="z@example.org", phone="+31 6 1234 5679"),
                ),
            ),
        ),
        "operator@example.org",
    ),
    "undeliverable address": undeliverable_address_email("operator@example.org", ["<x>@example.org"], "bounce"),
}


def words_of_text(text: str) -> Counter[str]:
    """The words a reader sees in the text part (list numbers and label colons aside)."""
    text = re.sub(r"(?m)^\d+\. ", "", text)
    return Counter(word.rstrip(":") for word in text.split())


def words_of_html(page: str) -> Counter[str]:
    """The words a reader sees in the HTML body, tags dropped and entities read back."""
    body = page.split("<body>", 1)[1]
    visible = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return Counter(word.rstrip(":") for word in visible.split())


@pytest.mark.parametrize("kind", sorted(EMAILS))
def test_the_text_and_the_html_part_say_the_same(kind: str) -> None:
    message = EMAILS[kind]
    assert words_of_text(message.text) == words_of_html(message.html)
    assert FOOTER in message.text and html.escape(FOOTER) in message.html
    assert message.html.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert f"<title>{html.escape(message.subject)}</title>" in message.html


@pytest.mark.parametrize("kind", sorted(EMAILS))
def test_the_html_part_shows_a_name_and_never_runs_it(kind: str) -> None:
    message = EMAILS[kind]
    assert "<script" not in message.html and "<x>" not in message.html
    assert "&lt;script&gt;" in message.html or "&lt;x&gt;" in message.html


@pytest.mark.parametrize("kind", sorted(EMAILS))
def test_no_e_mail_carries_a_bsn_or_a_pseudonym(kind: str) -> None:
    message = EMAILS[kind]
    for part in (message.subject, message.text, message.html, *message.tags.values()):
        assert BSN not in part and not re.search(r"(?<!\d)\d{9}(?!\d)", part)
    for part in (message.subject, message.text, message.html):
        assert YOUTH_KEY not in part and "8" * 64 not in part
