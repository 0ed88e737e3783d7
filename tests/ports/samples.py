"""What the contract tests and the use-case tests on fakes write: signals, audit entries, match sides
and notifications, at a fixed moment. No AWS here."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.lifecycle import RenewalNotice
from verwijsindex.domain.matches import (
    MatchKind,
    MatchSide,
    Notification,
    NotificationEvent,
    PartyCard,
    match_id_for,
    notification_id_for,
)
from verwijsindex.domain.models import CloseReason, Contact, Signal, SignalStatus

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)


def signal(signal_id: str, youth_key: str = "y" * 64, org_id: str = "org-a", **changes: Any) -> Signal:
    professional = str(changes.pop("professional_id", f"anna@{org_id}.example.org"))
    values: dict[str, Any] = {
        "signal_id": signal_id,
        "youth_key": youth_key,
        "national_key": "n" * 64,
        "org_id": org_id,
        "professional_id": professional,
        "professional": Contact(name="Anna Aalders", email=professional, phone="+31 20 123 4567"),
        "client_reference": "REF-1",
        "status": SignalStatus.ACTIVE,
        "active_from": date(2026, 11, 23),
        "active_until": date(2028, 11, 22),
        "destroy_on": date(2037, 1, 1),
        "created_at": NOW,
    }
    return Signal(**{**values, **changes})


def entry(target: str, at: datetime = NOW, action: AuditAction = AuditAction.SIGNAL_PLACED) -> AuditEntry:
    return AuditEntry(
        entry_id=secrets.token_hex(8),
        at=at,
        actor="sub-a",
        action=action,
        subject=AuditSubject.youth("y" * 64),
        target=target,
    )


def side_of(mine: Signal, other: Signal, at: datetime = NOW) -> MatchSide:
    return MatchSide(
        match_id=match_id_for(mine.signal_id, other.signal_id),
        kind=MatchKind.CLIENT,
        signal_id=mine.signal_id,
        youth_key=mine.youth_key,
        org_id=mine.org_id,
        other_signal_id=other.signal_id,
        other_youth_key=other.youth_key,
        other_org_id=other.org_id,
        created_at=at,
    )


def note_for(side: MatchSide, recipient: Signal, at: datetime = NOW) -> Notification:
    return Notification(
        notification_id=notification_id_for(side.match_id, recipient.signal_id, NotificationEvent.MATCH),
        match_id=side.match_id,
        kind=side.kind,
        event=NotificationEvent.MATCH,
        recipient_youth_key=recipient.youth_key,
        recipient_signal_id=recipient.signal_id,
        recipient_client_reference=recipient.client_reference,
        recipient_name=recipient.professional.name,
        recipient_email=str(recipient.professional.email),
        other=PartyCard(
            organisation="Organisatie B", name="Bram Bos", email="bram@org-b.example.org", phone="+31 20 1"
        ),
        created_at=at,
    )


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def expired(placed: Signal, closed_on: date) -> tuple[Signal, RenewalNotice]:
    """`placed` as the expire job closes it on `closed_on`, and the renewal notice written with it."""
    return placed.closed(closed_on, CloseReason.EXPIRED), RenewalNotice.on_expiry(placed, closed_on)
