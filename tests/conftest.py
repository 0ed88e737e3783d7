"""Fixtures: an embedded moto with the stack's tables, a fixed clock and a fake BRP."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Hashable, Iterator
from datetime import datetime
from typing import Any

import boto3
import pytest

# Set before anything creates a boto3 client. Account-id endpoints confuse moto's streams.
os.environ.update(
    {
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_DEV": "false",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
)

from moto import mock_aws
from moto.core.config import default_user_config
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from infra.local import moto_dynamodb
from infra.local.events import LocalContext, machine_claims, rest_event, user_claims
from infra.local.outbox import Mailbox
from infra.local.streams import Delivery, StreamPump
from infra.local.tables import TableNames, create_tables
from tests.support import HttpResult
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.config import RuntimeConfig
from verwijsindex.domain.clock import AMSTERDAM, FixedClock, dutch_day
from verwijsindex.domain.settings import RegionSettings

# moto replaces boto3's default session on every start, and a new session reads botocore's service
# models and endpoint data from disk again: about a third of a test's set-up. One session serves
# every test; each test still gets an empty moto (its backends are reset on every start).
default_user_config["core"]["reset_boto3_session"] = False
# The DynamoDB of the local run: moto's answers (test_local_moto_dynamodb holds it to them), without
# moto's deep copy of every table a transaction names, which made each write cost more as a test's
# tables grew and was half of the moto tests' time.
moto_dynamodb.install()

NAMES = TableNames()
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)

OPERATOR = user_claims("operator-1", None, ["operator"])
PRO_A = user_claims("sub-a", "org-a", ["professional"])
PRO_A2 = user_claims("sub-a2", "org-a", ["professional"])
PRO_B = user_claims("sub-b", "org-b", ["professional"])
PRO_C = user_claims("sub-c", "org-c", ["professional"])
CASE_SYSTEM_A = machine_claims("case-system-a", ["verwijsindex/signals"])
BRP = user_claims("brp-subscription", None, ["brp"])


def runtime_config() -> RuntimeConfig:
    return RuntimeConfig.model_validate(
        {
            "TABLE_NAME": NAMES.main,
            "AUDIT_TABLE_NAME": NAMES.audit,
            "IDEMPOTENCY_TABLE_NAME": NAMES.idempotency,
            "PSEUDONYM_KEY": "test-regional-key-0123456789",
            "NATIONAL_PSEUDONYM_KEY": "test-national-key-0123456789",
            "BRP_MODE": "fake",
            "SES_SENDER": "verwijsindex@example.org",
        }
    )


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


# --- moto's tables as a set-up leaves them, copied in for every later test of the worker ----------

Shape = tuple[tuple[str, int, int], ...]
_SNAPSHOTS: dict[Hashable, tuple[Shape, dict[str, Any]]] = {}


def _tables() -> dict[str, Any]:
    """The tables of moto's DynamoDB in the tests' account and region (moto's own objects)."""
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]]
    tables: dict[str, Any] = backend.tables
    return tables


def _shape() -> Shape:
    """Each table's name, number of items and of stream records: enough to tell whether anything
    was written since the tables were last copied in."""
    return tuple(
        sorted(
            (name, len(table.all_items()), len(table.stream_shard.items) if table.stream_shard else 0)
            for name, table in _tables().items()
        )
    )


def tables_as_built(key: Hashable, build: Callable[[], object]) -> None:
    """Leaves moto's tables (items and stream records) as `build` leaves them. The first test of a
    worker runs `build` and keeps a deep copy of the tables under `key`, which names everything the
    result depends on; a later test whose tables are as the first one's were before `build` gets a
    fresh deep copy instead: milliseconds, where creating the tables and registering the region
    through the handlers take tens. Each test still writes only to its own copy, in a moto of its
    own; a test that wrote something first gets `build` itself."""
    kept = _SNAPSHOTS.get(key)
    before = _shape()
    if kept is not None and kept[0] == before:
        tables = _tables()
        tables.clear()
        tables.update(copy.deepcopy(kept[1]))
        return
    build()
    if kept is None:
        _SNAPSHOTS[key] = (before, copy.deepcopy(_tables()))


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    tables_as_built("the stack's tables", lambda: create_tables(client, NAMES))
    return client


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def persons(clock: FixedClock) -> FakePersonRegistry:
    return FakePersonRegistry(current_day=lambda: dutch_day(clock.now()))


@pytest.fixture
def services(dynamodb: Any, clock: FixedClock, persons: FakePersonRegistry) -> Iterator[wiring.Services]:
    installed = wiring.Services(
        config=runtime_config(), settings=RegionSettings(), clock=clock, persons=persons, dynamodb=dynamodb
    )
    wiring.install(installed)
    yield installed
    wiring.install(None)


Invoke = Callable[..., HttpResult]


def _invoker(handler: Callable[[dict[str, Any], Any], dict[str, Any]]) -> Invoke:
    def invoke(
        method: str,
        path: str,
        *,
        claims: dict[str, str] | None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> HttpResult:
        response = handler(
            rest_event(method, path, body=body, claims=claims, headers=headers, query=query), LocalContext()
        )
        headers = dict(response.get("headers") or {})
        headers.update({k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items() if v})
        return HttpResult(response["statusCode"], headers, response.get("body") or "")

    return invoke


@pytest.fixture
def signals_api(services: wiring.Services) -> Invoke:
    from place_signal.handler import lambda_handler

    return _invoker(lambda_handler)


@pytest.fixture
def registry_api(services: wiring.Services) -> Invoke:
    from registry.handler import lambda_handler

    return _invoker(lambda_handler)


@pytest.fixture
def brp_api(services: wiring.Services) -> Invoke:
    from brp_notifications.handler import lambda_handler

    return _invoker(lambda_handler)


@pytest.fixture
def rights_api(services: wiring.Services) -> Invoke:
    from rights_request.handler import lambda_handler

    return _invoker(lambda_handler)


@pytest.fixture
def region(registry_api: Invoke, clock: FixedClock) -> None:
    """Three affiliated organisations with professionals; org-a also has a case system. Registered
    through the registry's API by the first test of a worker, copied in for the others (the items
    carry the clock's moment, so that is part of the key)."""
    tables_as_built(("the region", clock.now()), lambda: _register_region(registry_api))


def _register_region(registry_api: Invoke) -> None:
    for org_id, machine_clients in (("org-a", ["case-system-a"]), ("org-b", []), ("org-c", [])):
        created = registry_api(
            "POST",
            "/organisations",
            claims=OPERATOR,
            body={"org_id": org_id, "name": f"Organisatie {org_id[-1].upper()}", "machine_clients": machine_clients},
        )
        assert created.status == 201, created.text
    for org_id, sub, name in (
        ("org-a", "sub-a", "Anna Aalders"),
        ("org-a", "sub-a2", "Arend Abma"),
        ("org-b", "sub-b", "Bram Bos"),
        ("org-c", "sub-c", "Carla Cats"),
    ):
        added = registry_api(
            "POST",
            f"/organisations/{org_id}/professionals",
            claims=OPERATOR,
            body={"user_id": sub, "name": name, "email": f"{sub}@{org_id}.example.org", "phone": "+31 20 123 4567"},
        )
        assert added.status == 201, added.text


# --- matching: the SES outbox and the stream -> match function mapping -------------


@pytest.fixture
def mailbox(services: wiring.Services) -> Mailbox:
    """The sender is verified, as the stack's SES identity would be."""
    boto3.client("ses").verify_email_identity(EmailAddress=services.config.ses_sender)
    return Mailbox()


class MatchStream:
    """The main table's stream delivered to the match function, as Lambda would."""

    def __init__(self, pump: StreamPump) -> None:
        from match.handler import lambda_handler

        self.pump = pump
        self.handler = lambda_handler

    def drain(self, *, allow_failures: bool = False, **options: Any) -> list[Delivery]:
        deliveries = self.pump.drain(self.handler, **options)
        if not allow_failures:
            failed = [d.failed_sequence_numbers for d in deliveries if d.failed_sequence_numbers]
            assert not failed, f"stream records failed: {failed}"
        return deliveries

    def deliver(self, records: list[dict[str, Any]]) -> Delivery:
        return self.pump.deliver(self.handler, records)

    def redeliver(self, delivery: Delivery) -> Delivery:
        return self.pump.redeliver(self.handler, delivery)


@pytest.fixture
def match_stream(services: wiring.Services, mailbox: Mailbox) -> MatchStream:
    return MatchStream(StreamPump.for_table(NAMES.main, dynamodb=services.dynamodb))
