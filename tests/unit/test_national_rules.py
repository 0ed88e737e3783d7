"""Which stream records the national link publishes, and the events' boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from verwijsindex.adapters.dynamo.stream_images import change_of
from verwijsindex.domain.matches import MatchKind, Notification, NotificationEvent, PartyCard
from verwijsindex.domain.national import (
    DetailType,
    RemovalReason,
    SignalActivated,
    move_notice_id,
    parse_detail,
)
from verwijsindex.logic.national_link import Activated, Destroyed, Moved, PublishWork, Removed
from verwijsindex.logic.national_link import publish_work_for as publish_change

NK = "a" * 64


def publish_work_for(
    event_name: str, new_image: dict[str, Any] | None, old_image: dict[str, Any] | None
) -> PublishWork | None:
    """A stream record through the adapter that reads it, then the rule."""
    return publish_change(change_of(event_name, new_image, old_image))


def signal_image(status: str = "active", **changes: Any) -> dict[str, Any]:
    return {
        "PK": "YOUTH#yk",
        "SK": "SIGNAL#s-1",
        "entity": "signal",
        "signal_id": "s-1",
        "youth_key": "yk",
        "national_key": NK,
        "org_id": "org-a",
        "professional_id": "anna@org-a.example.org",
        "professional": {"name": "Anna", "email": "anna@org-a.example.org", "phone": "+31 20 123 4567"},
        "client_reference": "REF-1",
        "status": status,
        "active_from": "2026-11-23",
        "active_until": "2028-11-22",
        "destroy_on": "2037-04-01",
        "created_at": "2026-11-23T10:00:00+01:00",
        **changes,
    }


def notification_values() -> dict[str, Any]:
    note = Notification(
        notification_id="m:s-1:match",
        match_id="m",
        kind=MatchKind.CLIENT,
        event=NotificationEvent.MATCH,
        recipient_youth_key="yk",
        recipient_signal_id="s-1",
        recipient_client_reference="REF-1",
        recipient_name="Anna",
        recipient_email="anna@org-a.example.org",
        other=PartyCard(organisation="Organisatie B", name="Bert", email="bert@org-b.example.org", phone="+31 20 1"),
        created_at=datetime(2026, 11, 23, 10, tzinfo=UTC),
    )
    return note.model_dump(mode="json")


def marker(**changes: Any) -> dict[str, Any]:
    return {"PK": "YOUTH#yk", "SK": "YOUTH", "entity": "youth", "youth_key": "yk", "national_key": NK, **changes}


def test_a_new_active_signal_is_published_as_activated() -> None:
    work = publish_work_for("INSERT", signal_image(), None)
    assert isinstance(work, Activated) and work.signal.signal_id == "s-1"


def test_closing_publishes_a_removal_and_other_changes_publish_nothing() -> None:
    closed = publish_work_for("MODIFY", signal_image("closed", closed_on="2026-12-01"), signal_image())
    assert isinstance(closed, Removed) and closed.reason is RemovalReason.CLOSED
    renewed_notice = signal_image(destroy_on="2038-01-01")  # e.g. a corrected birth date
    assert publish_work_for("MODIFY", renewed_notice, signal_image()) is None  # still active, same contact
    assert publish_work_for("MODIFY", signal_image("closed"), signal_image("closed")) is None


def test_a_corrected_contact_on_an_active_signal_is_published_again() -> None:
    contact = {"name": "Anna Bakker", "email": "anna.bakker@org-a.example.org", "phone": "+31 20 765 4321"}
    work = publish_work_for("MODIFY", signal_image(professional=contact), signal_image())
    assert isinstance(work, Activated) and work.signal.professional.name == "Anna Bakker"


def test_a_destroyed_signal_is_published_as_removed_whatever_its_status() -> None:
    for status in ("active", "closed"):
        work = publish_work_for("REMOVE", None, signal_image(status))
        assert work == Destroyed(signal_id="s-1", national_key=NK, active_until=date(2028, 11, 22))


def test_only_a_changed_move_on_the_youth_marker_is_published() -> None:
    moved = publish_work_for("MODIFY", marker(moved_on="2026-11-20", municipality="0772"), marker())
    assert moved == Moved(youth_key="yk", national_key=NK, municipality="0772", moved_on=date(2026, 11, 20))
    same = marker(moved_on="2026-11-20", municipality="0772", destroy_on="2037-04-01")
    assert publish_work_for("MODIFY", same, marker(moved_on="2026-11-20", municipality="0772")) is None
    assert publish_work_for("MODIFY", marker(destroy_on="2037-04-01"), marker()) is None  # no move at all
    assert publish_work_for("INSERT", marker(), None) is None


@pytest.mark.parametrize(
    "entity", ["guard", "parents", "parent_link", "match", "notification", "renewal_notice", "rights_request"]
)
def test_everything_else_in_the_table_is_not_the_national_index_business(entity: str) -> None:
    image = {"PK": "X", "SK": "Y", "entity": entity, "status": "active"}
    if entity == "notification":  # the stream adapter reads a notification as what it is: a real one
        image |= notification_values()
    for name in ("INSERT", "MODIFY", "REMOVE"):
        assert publish_work_for(name, image, image) is None


def test_event_details_are_strict_and_carry_no_bsn() -> None:
    detail = {
        "region": "north",
        "national_key": NK,
        "signal_id": "s-1",
        "org_id": "org-a",
        "organisation": "Organisatie A",
        "professional": {"name": "Anna", "email": "anna@org-a.example.org", "phone": "+31 20 123 4567"},
        "active_until": "2028-11-22",
    }
    assert isinstance(parse_detail("SignalActivated", detail), SignalActivated)
    assert set(SignalActivated.model_fields) == set(detail) | {"parent_keys"}  # nothing else travels
    with pytest.raises(ValidationError):
        parse_detail("SignalActivated", {**detail, "bsn": "123456782"})  # unknown fields are refused
    with pytest.raises(ValidationError):
        parse_detail("SignalActivated", {**detail, "national_key": "123456782"})  # a BSN is no pseudonym
    with pytest.raises(ValidationError):
        parse_detail("SignalActivated", {**detail, "parent_keys": [NK] * 5})  # bounded
    with pytest.raises(ValueError):
        parse_detail("SomethingElse", detail)
    assert {kind.value for kind in DetailType} == {
        "SignalActivated",
        "SignalRemoved",
        "YouthMoved",
        "RemoteMatch",
        "MoveNotice",
        "RemoteSignalDestroyed",
        "StatisticsCounted",
        "NationalTotals",
    }


def test_one_move_is_one_notice_id() -> None:
    first = move_notice_id(NK, "0772", date(2026, 11, 20))
    assert first == move_notice_id(NK, "0772", date(2026, 11, 20))
    assert first != move_notice_id(NK, "0772", date(2026, 11, 21)) != move_notice_id(NK, "0855", date(2026, 11, 20))
    assert NK not in first
