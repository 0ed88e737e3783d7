"""Two regions and the national index in one process, on one embedded moto.

Each region has its own tables, SES sender and services; the national index has its table.
Events pass in process through the same ports the stack uses (EventPublisher): a region's
publisher and the national function put EventBridge-shaped events on an in-process bus,
which delivers each to the national function or to the inbox of the region it names, as
the national bus and its forwarding rules do. Streams are pumped to the match and publish
handlers as the event source mappings would. `settle()` runs all of it until quiet.

Each handler call runs with its region's services installed (`wiring.using`), as each
Lambda container holds one region; calls are serialised by one lock.
"""

from __future__ import annotations

import importlib
import os
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from infra.local.accounts import LocalAccounts
from infra.local.clock import LocalClock
from infra.local.events import LocalContext
from infra.local.outbox import Mailbox, SesOutbox, outbox_entry
from infra.local.region import LOCAL_ENV, SEED_ORGANISATIONS, SeedOrganisation, seed_organisations
from infra.local.streams import StreamPump
from infra.local.tables import TableNames, create_tables
from infra.routes import module_for
from verwijsindex import national_wiring, wiring
from verwijsindex.config import RuntimeConfig
from verwijsindex.domain.clock import AMSTERDAM, Clock
from verwijsindex.domain.national import LinkedRegion, detail_type_of, source_of
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.ports.events import Event
from verwijsindex.ports.person_registry import PersonRegistry

Handler = Callable[[dict[str, Any], Any], Any]
NATIONAL_ACCOUNT = "999999999999"
ASYNC_RETRIES = 2  # Lambda's asynchronous invocation retries
AWS_REGION = "eu-west-1"


@dataclass(frozen=True)
class RegionSpec:
    code: str
    display_name: str
    account: str
    municipalities: tuple[str, ...]

    @property
    def sender(self) -> str:
        return f"verwijsindex@{self.code}.regio.example.org"

    @property
    def operator_email(self) -> str:
        return f"regievoerder@{self.code}.regio.example.org"

    @property
    def tables(self) -> TableNames:
        base = f"verwijsindex-{self.code}"
        return TableNames(main=base, audit=f"{base}-audit", idempotency=f"{base}-idempotency")


NORTH = RegionSpec("north", "Noord", "111111111111", ("0014", "0034"))  # Groningen, Almere
SOUTH = RegionSpec("south", "Zuid", "222222222222", ("0772", "0855"))  # Eindhoven, Tilburg
NATIONAL_TABLE = "verwijsindex-national"
NATIONAL_BUS = "verwijsindex-national"


def bus_event(event: Event, account: str, now: datetime) -> dict[str, Any]:
    """The event as EventBridge delivers it to a rule's target (`account` is the sender's)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "source": source_of(event),
        "account": account,
        "time": now.isoformat(),
        "region": AWS_REGION,
        "resources": [],
        "detail-type": detail_type_of(event).value,
        "detail": event.model_dump(mode="json"),
    }


class InProcessBus:
    """The national bus and the regions' inbox buses: a queue of delivered-to-be events."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.pending: list[dict[str, Any]] = []
        self.delivered: list[dict[str, Any]] = []
        # Events whose target kept failing, as in the stack's dead-letter queues (redrive by hand).
        self.dead_letters: list[dict[str, Any]] = []
        self.attempts: dict[str, int] = {}

    def publisher(self, account: str) -> AccountPublisher:
        return AccountPublisher(self, account)

    def put(self, event: Event, account: str) -> None:
        self.pending.append(bus_event(event, account, self._clock.now()))


@dataclass
class AccountPublisher:
    """EventPublisher of one account (a region's, or the national one) on the in-process bus."""

    bus: InProcessBus
    account: str

    def publish(self, events: Sequence[Event]) -> None:
        for event in events:
            self.bus.put(event, self.account)


@dataclass
class RegionNode:
    spec: RegionSpec
    services: wiring.Services
    lock: threading.RLock
    pumps: dict[str, StreamPump] = field(default_factory=dict)

    def call(self, module: str, event: dict[str, Any]) -> Any:
        handler: Handler = importlib.import_module(module).lambda_handler
        with self.lock, wiring.using(self.services):
            return handler(event, LocalContext())

    def drain(self) -> int:
        """Delivers new stream records to the match and publish functions; the count of batches."""
        batches = 0
        with self.lock, wiring.using(self.services):
            for module, pump in self.pumps.items():
                handler: Handler = importlib.import_module(module).lambda_handler
                batches += len(pump.drain(handler, retries=2))
        return batches


class LocalNation:
    def __init__(self, dynamodb: Any, clock: Clock, persons: PersonRegistry, specs: Sequence[RegionSpec]) -> None:
        import boto3

        self.clock = clock
        self.persons = persons
        # E-mails with both parts as sent, once the local server attaches a recorder; else moto's.
        self.sent_mail: SesOutbox | None = None
        self.lock = threading.RLock()
        self.bus = InProcessBus(clock)
        self.regions: dict[str, RegionNode] = {}
        ses = boto3.client("ses", region_name=AWS_REGION)
        for spec in specs:
            names = spec.tables
            create_tables(dynamodb, names)
            ses.verify_email_identity(EmailAddress=spec.sender)
            config = RuntimeConfig.model_validate(
                {
                    "TABLE_NAME": names.main,
                    "AUDIT_TABLE_NAME": names.audit,
                    "IDEMPOTENCY_TABLE_NAME": names.idempotency,
                    "PSEUDONYM_KEY": f"local-only-regional-key-{spec.code}",
                    "NATIONAL_PSEUDONYM_KEY": "local-only-national-pseudonym-key",
                    "BRP_MODE": "fake",
                    "SES_SENDER": spec.sender,
                    "NATIONAL_BUS_ARN": f"arn:aws:events:{AWS_REGION}:{NATIONAL_ACCOUNT}:event-bus/{NATIONAL_BUS}",
                    "OPERATOR_EMAIL": spec.operator_email,
                }
            )
            services = wiring.Services(
                config=config,
                settings=RegionSettings(region_code=spec.code),
                clock=clock,
                persons=persons,
                dynamodb=dynamodb,
            )
            services.national_bus = self.bus.publisher(spec.account)
            services.accounts = LocalAccounts()
            node = RegionNode(spec=spec, services=services, lock=self.lock)
            for module in ("match.handler", "national_link.publish"):
                pump = StreamPump.for_table(names.main, dynamodb=dynamodb)
                pump.skip_existing()
                node.pumps[module] = pump
            self.regions[spec.code] = node
        create_national_table(dynamodb)
        national_config = national_wiring.NationalConfig.model_validate(
            {
                "NATIONAL_TABLE_NAME": NATIONAL_TABLE,
                "NATIONAL_BUS_NAME": NATIONAL_BUS,
                "NATIONAL_REGIONS": {
                    spec.code: LinkedRegion(
                        account=spec.account, display_name=spec.display_name, municipalities=spec.municipalities
                    )
                    for spec in specs
                },
            }
        )
        self.national = national_wiring.NationalServices(
            config=national_config, clock=clock, dynamodb=dynamodb, bus=self.bus.publisher(NATIONAL_ACCOUNT)
        )

    # --- running it --------------------------------------------------------------------------

    def deliver(self, event: dict[str, Any]) -> Any:
        """One bus event to its target: region events to the national function (FromRegions
        rule), national events to the inbox of the region they name (forwarding rules)."""
        self.bus.delivered.append(event)
        if event["source"] == "verwijsindex.region":
            handler: Handler = importlib.import_module("national_index.handler").lambda_handler
            with self.lock, national_wiring.using(self.national):
                return handler(event, LocalContext(function_name="national-index"))
        node = self.regions.get(str(event["detail"].get("region")))
        if node is None:
            return None  # no rule forwards it: a region that is not linked
        return node.call("national_link.inbox", event)

    def settle(self, max_rounds: int = 100) -> None:
        """Streams and buses until nothing moves: every match e-mailed, every event handled."""
        for _ in range(max_rounds):
            moved = sum(node.drain() for node in self.regions.values())
            pending, self.bus.pending = self.bus.pending, []
            for event in pending:
                self._deliver_with_retries(event)
            if not moved and not pending:
                return
        raise RuntimeError(f"the nation did not settle in {max_rounds} rounds")

    def _deliver_with_retries(self, event: dict[str, Any]) -> None:
        """A failing target is invoked again later, then the event is dead-lettered, as
        EventBridge and Lambda's asynchronous retries do (the stack retries more, for longer)."""
        try:
            self.deliver(event)
        except Exception:
            tries = self.bus.attempts[event["id"]] = self.bus.attempts.get(event["id"], 0) + 1
            if tries <= ASYNC_RETRIES:
                self.bus.pending.append(event)
            else:
                self.bus.dead_letters.append(event)

    def api(self, code: str, event: dict[str, Any]) -> dict[str, Any]:
        """An API Gateway event to the region's function for its path; then settles."""
        node = self.regions[code]
        path = str(event["path"])
        module = module_for(path)
        if module is None:
            raise LookupError(f"no handler for {path}")
        response: dict[str, Any] = node.call(module, event)
        self.settle()
        return response

    def mails_from(self, code: str) -> list[Any]:
        sender = self.regions[code].spec.sender
        sent = self.sent_mail.sent if self.sent_mail else Mailbox(AWS_REGION).sent
        return [mail for mail in sent if mail.source == sender]


def create_national_table(dynamodb: Any) -> None:
    dynamodb.create_table(
        TableName=NATIONAL_TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK")],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
    )


# --- `make run-nation`: the two regions behind two local servers ---------------------------------

SEEDS: dict[str, tuple[SeedOrganisation, ...]] = {
    "north": SEED_ORGANISATIONS,
    "south": (
        (
            "wijkteam-zuid",
            "Wijkteam Zuid",
            ["casus-wtz"],
            ("pro-zuid", "Rik de Groot", "rik.degroot@wijkteam-zuid.example.org", "+31 40 234 5678"),
        ),
    ),
}


class RegionView:
    """One region of the nation as the local server sees a region (infra/local/server.py)."""

    def __init__(self, nation: LocalNation, code: str, clock: LocalClock) -> None:
        self._nation = nation
        self._node = nation.regions[code]
        self.clock = clock  # the nation's clock, shared by all its regions
        self.persons: Any = nation.persons  # the fake BRP (`/_local/brp/persons` adds to it)
        self.accounts = cast(LocalAccounts, self._node.services.accounts)  # installed by LocalNation

    def handler_for(self, path: str) -> Handler | None:
        module = module_for(path)
        if module is None:
            return None

        def handler(event: dict[str, Any], _context: Any) -> Any:
            return self._node.call(module, event)

        return handler

    def after_request(self) -> None:
        from infra.local.moto_dynamodb import forget_spent_state

        self._nation.settle()
        forget_spent_state()

    def run_schedule(self, name: str, at: datetime) -> Any:
        module = {"expire": "expire.handler", "purge": "expire.purge"}.get(name)
        if module is None:
            return None
        at = at if at.tzinfo else at.replace(tzinfo=AMSTERDAM)  # a bare time is Dutch time
        return self._node.call(
            module, {"source": "aws.scheduler", "detail-type": "Scheduled Event", "time": at.isoformat()}
        )

    def outbox(self) -> list[dict[str, Any]]:
        """E-mails this region sent (each region has its own sender)."""
        return [outbox_entry(mail) for mail in self._nation.mails_from(self._node.spec.code)]


def start_nation(clock: LocalClock | None = None) -> tuple[LocalNation, Any]:
    """North, South and the national index on a fresh embedded moto, seeded, on `clock`
    (default: the machine's time); the running mock."""
    clock = clock or LocalClock()
    for key, value in LOCAL_ENV.items():
        os.environ.setdefault(key, value)
    import boto3
    from moto import mock_aws

    from infra.local import moto_dynamodb
    from verwijsindex.adapters.brp.fake import FakePersonRegistry

    moto_dynamodb.install()
    mock = mock_aws()
    mock.start()
    sent_mail = SesOutbox().attach()
    nation = LocalNation(
        boto3.client("dynamodb"), clock, FakePersonRegistry.with_sample_families(clock.today()), (NORTH, SOUTH)
    )
    nation.sent_mail = sent_mail
    for code, organisations in SEEDS.items():
        seed_organisations(nation.regions[code].services, organisations)
    for node in nation.regions.values():
        for pump in node.pumps.values():
            pump.skip_existing()  # the seed data holds no signals
    return nation, mock
