"""The main table's ports, either as in-memory fakes or as the DynamoDB adapters on an embedded moto:
the contract tests run the same cases against both (the `table` fixture of each contract module)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import boto3
from moto import mock_aws

from infra.local.tables import TableNames, create_tables
from tests.fakes.addresses import FakeAddressStore
from tests.fakes.index import FakeIndex
from tests.fakes.matches import FakeMatchStore
from tests.fakes.signals import FakeSignalStore
from tests.fakes.work import FakeWorkStore
from verwijsindex.domain.audit import AuditAction, AuditEntry
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.matches import (
    MatchKind,
    MatchSide,
    Notification,
    NotificationEvent,
    PartyCard,
    match_id_for,
    notification_id_for,
)
from verwijsindex.domain.models import Contact, Signal, SignalStatus
from verwijsindex.ports.addresses import AddressStore
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.signals import SignalStore
from verwijsindex.ports.work import WorkStore

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
KINDS = ["fake", "dynamodb"]


@dataclass
class MainTable:
    signals: SignalStore
    matches: MatchStore
    work: WorkStore
    addresses: AddressStore


def fake_table(*, national_link: bool = False) -> MainTable:
    index = FakeIndex()
    return MainTable(
        signals=FakeSignalStore(index, national_link=national_link),
        matches=FakeMatchStore(index),
        work=FakeWorkStore(index),
        addresses=FakeAddressStore(index),
    )


@contextmanager
def dynamodb_table(*, national_link: bool = False) -> Iterator[MainTable]:
    from verwijsindex.adapters.dynamo.address_store import AddressStore as DynamoAddressStore
    from verwijsindex.adapters.dynamo.audit_log import AuditLog
    from verwijsindex.adapters.dynamo.cursor import CursorSealer
    from verwijsindex.adapters.dynamo.match_store import MatchStore as DynamoMatchStore
    from verwijsindex.adapters.dynamo.signal_store import SignalStore as DynamoSignalStore
    from verwijsindex.adapters.dynamo.work_store import WorkStore as DynamoWorkStore

    names = TableNames()
    key = secrets.token_bytes(32)
    with mock_aws():
        client: Any = boto3.client("dynamodb", region_name="eu-west-1")
        create_tables(client, names)
        cursors = CursorSealer(lambda: key)
        audit = AuditLog(client, names.audit, cursors)
        yield MainTable(
            signals=DynamoSignalStore(client, names.main, audit, cursors, national_link=national_link),
            matches=DynamoMatchStore(client, names.main, audit),
            work=DynamoWorkStore(client, names.main, cursors),
            addresses=DynamoAddressStore(client, names.main, audit),
        )


@contextmanager
def main_table(kind: str, *, national_link: bool = False) -> Iterator[MainTable]:
    if kind == "fake":
        yield fake_table(national_link=national_link)
    else:
        with dynamodb_table(national_link=national_link) as table:
            yield table


# --- what the cases write ---------------------------------------------------------------------


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
        entry_id=secrets.token_hex(8), at=at, actor="sub-a", action=action, subject="contract", target=target
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
