"""The main table's ports, either as in-memory fakes or as the DynamoDB adapters on an embedded moto:
the contract tests run the same cases against both (the `table` fixture of each contract module)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from moto import mock_aws

from infra.local.tables import TableNames, create_tables
from tests.fakes.addresses import FakeAddressStore
from tests.fakes.audit import FakeAuditLog
from tests.fakes.families import FakeFamilyStore
from tests.fakes.index import FakeIndex
from tests.fakes.lifecycle import FakeLifecycleStore
from tests.fakes.matches import FakeMatchStore
from tests.fakes.move_notices import FakeMoveNoticeStore
from tests.fakes.refusals import FakeRefusalStore
from tests.fakes.rights import FakeRightsStore
from tests.fakes.signals import FakeSignalStore
from tests.fakes.statistics import FakeStatisticsStore
from tests.fakes.work import FakeWorkStore
from tests.fakes.youth_partitions import FakeYouthPartitions
from tests.ports.samples import NOW, entry, later, note_for, side_of, signal
from verwijsindex.ports.addresses import AddressStore
from verwijsindex.ports.audit import AuditLog as AuditPort
from verwijsindex.ports.families import FamilyStore
from verwijsindex.ports.lifecycle import LifecycleStore
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.move_notices import MoveNoticeStore
from verwijsindex.ports.refusals import RefusalStore
from verwijsindex.ports.rights import RightsStore
from verwijsindex.ports.signals import SignalStore
from verwijsindex.ports.statistics import StatisticsStore
from verwijsindex.ports.work import WorkStore
from verwijsindex.ports.youth_partitions import YouthPartitions

KINDS = ["fake", "dynamodb"]


@dataclass
class MainTable:
    signals: SignalStore
    # What the stores write with their changes (the fakes' FakeIndex.audit, the audit table).
    audit: AuditPort
    refusals: RefusalStore
    move_notices: MoveNoticeStore
    lifecycle: LifecycleStore
    partitions: YouthPartitions
    families: FamilyStore
    matches: MatchStore
    work: WorkStore
    addresses: AddressStore
    statistics: StatisticsStore
    rights: RightsStore


def fake_table(*, national_link: bool = False) -> MainTable:
    index = FakeIndex()
    return MainTable(
        signals=FakeSignalStore(index, national_link=national_link),
        audit=_audit_of(index),
        refusals=FakeRefusalStore(index),
        move_notices=FakeMoveNoticeStore(index),
        lifecycle=FakeLifecycleStore(index, national_link=national_link),
        partitions=FakeYouthPartitions(index),
        families=FakeFamilyStore(index),
        matches=FakeMatchStore(index),
        work=FakeWorkStore(index),
        addresses=FakeAddressStore(index),
        statistics=FakeStatisticsStore(index),
        rights=FakeRightsStore(index),
    )


def _audit_of(index: FakeIndex) -> FakeAuditLog:
    audit = FakeAuditLog()
    audit.entries = index.audit
    return audit


@contextmanager
def dynamodb_table(*, national_link: bool = False) -> Iterator[MainTable]:
    from verwijsindex.adapters.dynamo.address_store import AddressStore as DynamoAddressStore
    from verwijsindex.adapters.dynamo.audit_log import AuditLog
    from verwijsindex.adapters.dynamo.cursor import CursorSealer
    from verwijsindex.adapters.dynamo.family_store import FamilyStore as DynamoFamilyStore
    from verwijsindex.adapters.dynamo.lifecycle_store import LifecycleStore as DynamoLifecycleStore
    from verwijsindex.adapters.dynamo.match_store import MatchStore as DynamoMatchStore
    from verwijsindex.adapters.dynamo.move_notice_store import MoveNoticeStore as DynamoMoveNoticeStore
    from verwijsindex.adapters.dynamo.refusal_store import RefusalStore as DynamoRefusalStore
    from verwijsindex.adapters.dynamo.rights_store import RightsStore as DynamoRightsStore
    from verwijsindex.adapters.dynamo.signal_store import SignalStore as DynamoSignalStore
    from verwijsindex.adapters.dynamo.statistics_store import StatisticsStore as DynamoStatisticsStore
    from verwijsindex.adapters.dynamo.work_store import WorkStore as DynamoWorkStore
    from verwijsindex.adapters.dynamo.youth_partition import YouthPartitionStore
    from verwijsindex.adapters.parent_pseudonym import ParentPseudonymiser

    names = TableNames()
    key = secrets.token_bytes(32)
    with mock_aws():
        client: Any = boto3.client("dynamodb", region_name="eu-west-1")
        create_tables(client, names)
        cursors = CursorSealer(lambda: key)
        national_key = secrets.token_bytes(32)
        parents = ParentPseudonymiser(lambda: key, lambda: national_key)
        audit = AuditLog(client, names.audit, cursors)
        yield MainTable(
            signals=DynamoSignalStore(client, names.main, audit, cursors, national_link=national_link),
            audit=audit,
            refusals=DynamoRefusalStore(client, names.main, audit),
            move_notices=DynamoMoveNoticeStore(client, names.main, audit),
            lifecycle=DynamoLifecycleStore(client, names.main, audit, national_link=national_link),
            partitions=YouthPartitionStore(client, names.main),
            families=DynamoFamilyStore(client, names.main, parents),
            matches=DynamoMatchStore(client, names.main, audit),
            work=DynamoWorkStore(client, names.main, cursors),
            addresses=DynamoAddressStore(client, names.main, audit),
            statistics=DynamoStatisticsStore(client, names.main),
            rights=DynamoRightsStore(client, names.main, audit, cursors),
        )


@contextmanager
def main_table(kind: str, *, national_link: bool = False) -> Iterator[MainTable]:
    if kind == "fake":
        yield fake_table(national_link=national_link)
    else:
        with dynamodb_table(national_link=national_link) as table:
            yield table


__all__ = ["KINDS", "NOW", "MainTable", "entry", "later", "main_table", "note_for", "side_of", "signal"]
