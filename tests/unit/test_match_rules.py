"""Pure parts of matching: match ids, which stream records matter, the e-mail texts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from verwijsindex.adapters.dynamo.stream_images import change_of
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.matches import (
    MatchKind,
    MatchSide,
    Notification,
    NotificationEvent,
    PartyCard,
    is_live,
    match_id_for,
)
from verwijsindex.domain.models import Contact, Signal, SignalStatus
from verwijsindex.logic.emails.matches import match_email
from verwijsindex.logic.matching import NotificationDue, SignalBecameActive, Work
from verwijsindex.logic.matching import work_for as work_for_change

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)


def signal(**changes: Any) -> Signal:
    values: dict[str, Any] = {
        "signal_id": "s-1",
        "youth_key": "y" * 64,
        "national_key": "n" * 64,
        "org_id": "org-a",
        "professional_id": "a@example.org",
        "professional": Contact(name="Anna", email="a@example.org", phone="+31 20 123 4567"),
        "client_reference": "REF-1",
        "status": SignalStatus.ACTIVE,
        "active_from": date(2026, 11, 23),
        "active_until": date(2028, 11, 23),
        "destroy_on": date(2037, 1, 1),
        "created_at": NOW,
    }
    return Signal(**{**values, **changes})


def note(**changes: Any) -> Notification:
    values: dict[str, Any] = {
        "notification_id": "m:s-1:match",
        "match_id": "m",
        "kind": MatchKind.CLIENT,
        "event": NotificationEvent.MATCH,
        "recipient_youth_key": "y" * 64,
        "recipient_signal_id": "s-1",
        "recipient_client_reference": "REF-1",
        "recipient_name": "Anna Aalders",
        "recipient_email": "a@example.org",
        "other": PartyCard(organisation="Jeugdzorg & Co", name="<b>Bram</b>", email="b@example.org", phone="+31 6 1"),
        "created_at": NOW,
    }
    return Notification(**{**values, **changes})


def test_a_pair_has_one_match_id_whichever_side_computes_it() -> None:
    assert match_id_for("s-1", "s-2") == match_id_for("s-2", "s-1")
    assert match_id_for("s-1", "s-2") != match_id_for("s-1", "s-3")


def test_a_side_mirrors_to_the_other_party() -> None:
    side = MatchSide(
        match_id="m",
        kind=MatchKind.FAMILY,
        signal_id="s-1",
        youth_key="y1",
        org_id="org-a",
        other_signal_id="s-2",
        other_youth_key="y2",
        other_org_id="org-b",
        created_at=NOW,
    )
    other = side.mirrored()
    assert (other.signal_id, other.youth_key, other.org_id) == ("s-2", "y2", "org-b")
    assert other.mirrored() == side


def test_only_active_signals_within_their_period_are_live() -> None:
    today = date(2026, 11, 23)
    assert is_live(signal(), today)
    assert not is_live(signal(status=SignalStatus.CLOSED, closed_on=today), today)
    assert not is_live(signal(active_until=date(2026, 11, 22), active_from=date(2025, 1, 1)), today)


def work_for(event_name: str, new_image: dict[str, Any] | None, old_image: dict[str, Any] | None) -> Work | None:
    """A stream record through the adapter that reads it, then the rule."""
    return work_for_change(change_of(event_name, new_image, old_image))


def test_only_signals_becoming_active_and_new_notifications_are_work() -> None:
    item = {"PK": "YOUTH#y", "SK": "SIGNAL#s-1", "entity": "signal"}
    active = {**item, **signal(youth_key="y", signal_id="s-1").model_dump(mode="json")}
    closed = {**item, **signal(youth_key="y", signal_id="s-1", status=SignalStatus.CLOSED).model_dump(mode="json")}
    assert work_for("INSERT", active, None) == SignalBecameActive(youth_key="y", signal_id="s-1")
    assert work_for("MODIFY", active, closed) == SignalBecameActive(youth_key="y", signal_id="s-1")
    assert work_for("MODIFY", active, active) is None  # still active: nothing new
    assert work_for("MODIFY", closed, active) is None  # closed: matches nothing
    assert work_for("REMOVE", None, active) is None
    assert work_for("INSERT", {"entity": "guard"}, None) is None
    assert work_for("INSERT", {"entity": "match"}, None) is None

    values = note().model_dump(mode="json")
    stream_image = {**values, "entity": "notification", "PK": "YOUTH#y", "SK": "NOTE#...", "attempts": Decimal(0)}
    due = work_for("INSERT", stream_image, None)
    assert isinstance(due, NotificationDue) and due.notification == note()
    assert work_for("MODIFY", {**stream_image, "state": "sending"}, stream_image) is None
    assert work_for("INSERT", {**stream_image, "state": "sent"}, None) is None


def test_the_match_e_mail_is_dutch_text_and_escaped_html() -> None:
    message = match_email(note())
    assert message.to == "a@example.org"
    assert message.subject == "Verwijsindex: match voor uw cliënt REF-1"
    assert "Beste Anna Aalders," in message.text
    assert "uw cliënt REF-1 (uw signaal s-1)" in message.text
    assert "Naam:        <b>Bram</b>" in message.text
    assert "Organisatie: Jeugdzorg & Co" in message.text
    assert "Wat nu?" in message.text and "toestemming" in message.text
    assert "&lt;b&gt;Bram&lt;/b&gt;" in message.html and "<b>Bram</b>" not in message.html
    assert "Jeugdzorg &amp; Co" in message.html
    assert '<html lang="nl">' in message.html
    # Ids and the pseudonym only, so an SES bounce can find the notification again; nothing readable.
    assert message.tags == {
        "event": "match",
        "kind": "client",
        "youth": "y" * 64,
        "match": "m",
        "signal": "s-1",
        "note": "MATCH",
    }


def test_a_family_match_e_mail_says_it_concerns_a_brother_or_sister() -> None:
    message = match_email(note(kind=MatchKind.FAMILY))
    assert message.subject == "Verwijsindex: gezinsmatch voor uw cliënt REF-1"
    assert "broer of zus van uw cliënt" in message.text and "broer of zus van uw cliënt" in message.html


def test_coordination_e_mails() -> None:
    coordinator = PartyCard(organisation="Org C", name="Carla", email="c@example.org", phone="+31 6 2")
    named = match_email(note(event=NotificationEvent.COORDINATOR, sequence=1, coordinator=coordinator))
    assert named.subject == "Verwijsindex: regievoerder benoemd voor uw cliënt REF-1"
    assert "De regievoerder is:" in named.text and "Carla" in named.text
    yourself = match_email(note(event=NotificationEvent.COORDINATOR, sequence=2, coordinator_is_recipient=True))
    assert "U bent benoemd als regievoerder." in yourself.text
    done = match_email(note(event=NotificationEvent.COORDINATED))
    assert done.subject == "Verwijsindex: match afgestemd voor uw cliënt REF-1"
    assert "gemarkeerd als afgestemd" in done.text


def test_parent_pseudonyms_are_keyed_and_unlinkable_to_youth_pseudonyms() -> None:
    from verwijsindex.adapters.parent_pseudonym import ParentPseudonymiser
    from verwijsindex.adapters.pseudonym import Pseudonymiser, static_key

    key = static_key("regional-key-aaaaaaaa")
    national = static_key("national-key-aaaaaaaa")
    parents = ParentPseudonymiser(key, national)
    bsn = "111222333"
    assert parents.parent(bsn) == parents.parent(bsn) and len(parents.parent(bsn)) == 64
    assert bsn not in parents.parent(bsn)
    # A parent who is also a signalled youth: the pseudonyms cannot be joined, in the region
    # or nationally, and the regional and national parent keys differ too.
    youths = Pseudonymiser(key, national)
    assert parents.parent(bsn) != youths.regional(bsn)
    assert parents.national_parent(bsn) not in {youths.national(bsn), parents.parent(bsn)}
    assert parents.parent(bsn) != ParentPseudonymiser(static_key("regional-key-bbbbbbbb"), national).parent(bsn)
    # Every region holds the same national key: the national parent key is the same everywhere.
    other_region = ParentPseudonymiser(static_key("regional-key-bbbbbbbb"), national)
    assert other_region.national_parent(bsn) == parents.national_parent(bsn)
