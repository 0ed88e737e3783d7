"""The region every moto bench measures: the stack's tables on an embedded moto and the region's
services on them, with the tests' configuration, the fake BRP and a clock fixed at the tests' NOW.

Import it after the bench has put the repository root and `functions/` on the path: importing
`tests.conftest` sets the moto environment (and installs the local run's DynamoDB) before boto3
makes a client.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto import mock_aws

import tests.conftest as fixtures
from infra.local.tables import create_tables
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.adapters.dynamo.codec import to_item
from verwijsindex.adapters.dynamo.metering import DynamoMeter
from verwijsindex.adapters.dynamo.requests import write_batches
from verwijsindex.domain.clock import FixedClock
from verwijsindex.domain.settings import RegionSettings


def fresh_services(*, persons: FakePersonRegistry | None = None, install: bool = False) -> wiring.Services:
    """On the moto already running: the stack's tables, empty, and the region's services on them
    (with `persons` as the BRP when the bench adds people to it); installed for the handlers when
    `install` (uninstall with `wiring.install(None)`)."""
    client = boto3.client("dynamodb")
    create_tables(client, fixtures.NAMES)
    services = wiring.Services(
        config=fixtures.runtime_config(),
        settings=RegionSettings(),
        clock=FixedClock(fixtures.NOW),
        persons=persons or FakePersonRegistry(),
        dynamodb=client,
    )
    if install:
        wiring.install(services)
    return services


@contextmanager
def moto_region(*, persons: FakePersonRegistry | None = None, install: bool = False) -> Iterator[wiring.Services]:
    """A fresh moto holding only this region, for the length of the block."""
    with mock_aws():
        services = fresh_services(persons=persons, install=install)
        try:
            yield services
        finally:
            if install:
                wiring.install(None)


def seed(client: Any, table: str, items: list[dict[str, Any]]) -> None:
    """Stores the items (plain values, as the stores build them) with BatchWriteItem; an item
    listed twice (a youth marker comes with each of its signals) is stored once."""
    unique = {(item["PK"], item["SK"]): item for item in items}
    write_batches(client, table, [{"PutRequest": {"Item": to_item(item)}} for item in unique.values()])


class CountingMailer:
    """Counts the e-mails instead of sending them (moto's SES would keep every one)."""

    def __init__(self) -> None:
        self.sent = 0

    def send(self, message: Any) -> str:
        self.sent += 1
        return f"message-{self.sent}"


def sequential_transactions(client: Any, meter: DynamoMeter) -> None:
    """TransactWriteItems as its elements in order (the same conditional Put, Delete and Update
    calls), counted by the meter as the one request DynamoDB would receive.

    moto copies the tables a transaction names, so at the sizes the benches fill a transaction
    costs seconds; the reads, which the benches measure, are unchanged."""
    calls = {"Put": client.put_item, "Delete": client.delete_item, "Update": client.update_item}

    def transact_write_items(TransactItems: list[dict[str, Any]], **_: Any) -> dict[str, Any]:
        with meter.as_one_request("TransactWriteItems"):
            for element in TransactItems:
                [(kind, request)] = element.items()
                calls[kind](**request)
        return {}

    client.transact_write_items = transact_write_items
