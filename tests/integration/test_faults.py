"""Faults injected into boto3 calls on moto: nothing is lost, nothing doubled outside the crash window.

Each scenario places signals on a few youths (two organisations each: one client match, two
e-mails), delivers the stream as Lambda's event source mapping would (partial batch responses,
retries, then giving up) with faults injected into the calls the functions make, and then lets
the sweeper run as its schedule would. Every scenario ends with the same checks: every signal
matched and no longer outstanding, every party e-mailed once (twice only for an e-mail whose
invocation died after SES accepted it: the documented crash window), every national event
published, nothing left for the operator.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import boto3
import pytest

from infra.local.events import LocalContext
from infra.local.faults import Crash, FaultInjector, LambdaStream, poison
from infra.local.outbox import Mailbox
from infra.local.streams import StreamPump
from tests.conftest import NAMES, NOW, PRO_A, PRO_B, Invoke, runtime_config
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.adapters.national_bus import EventBridgePublisher
from verwijsindex.api.identity import Caller, CallerKind, Group
from verwijsindex.domain.clock import FixedClock
from verwijsindex.domain.national import SignalActivated, SignalRemoved
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.ports.events import Event
from verwijsindex.ports.work import WorkKind

pytestmark = pytest.mark.usefixtures("region")

YOUTHS = 3
NATIONAL_BUS = "verwijsindex-national"
SWEEP_EVERY = timedelta(minutes=20)  # past the region's threshold each time


class RecordingBus:
    """The national bus as the national index sees it: what EventBridge accepted."""

    def __init__(self, client: Any, bus_arn: str) -> None:
        self.client = client  # faults are injected into this boto3 client
        self.inner = EventBridgePublisher(client, bus_arn)
        self.accepted: list[Event] = []

    def publish(self, events: Sequence[Event]) -> None:
        self.inner.publish(events)
        self.accepted.extend(events)


OPERATOR_CALLER = Caller(kind=CallerKind.USER, subject="operator-1", groups=frozenset({Group.OPERATOR.value}))


@dataclass
class Region:
    services: wiring.Services
    signals_api: Invoke
    mailbox: Mailbox
    faults: FaultInjector
    match: LambdaStream
    publish: LambdaStream | None = None
    bus: RecordingBus | None = None
    placed: dict[str, str] = field(default_factory=dict)  # signal id -> client reference

    def place_all(self, persons: FakePersonRegistry) -> None:
        with self.faults.paused():  # the API is not under test here
            for number in range(YOUTHS):
                bsn = valid_bsn(f"5{number:07d}")
                persons.add(youth(bsn, date(2015, 3, 1) + timedelta(days=number)))
                for claims, side in ((PRO_A, "A"), (PRO_B, "B")):
                    reference = f"{side}-{number}"
                    response = self.signals_api(
                        "POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference}
                    )
                    assert response.status == 201, response.text
                    self.placed[str(response.json["signal_id"])] = reference

    def streams(self) -> list[LambdaStream]:
        return [self.match, *([self.publish] if self.publish else [])]

    def sweep_until_done(self, *, runs: int = 10, start: datetime = NOW) -> None:
        """The schedule: a run every few minutes (here: each past the threshold), the stream in between."""
        from sweep.handler import run

        for number in range(1, runs + 1):
            try:
                report = run({"time": (start + number * SWEEP_EVERY).isoformat()})
            except Crash:
                continue  # the sweeper's invocation died too: the next run takes over
            for stream in self.streams():
                stream.drain()
            if report["overdue"] == 0 and not outstanding(self.services):
                return


def outstanding(services: wiring.Services) -> list[dict[str, Any]]:
    return [item for item in all_items(services.dynamodb, NAMES.main) if "GSI3PK" in item]


@pytest.fixture
def make_region(
    dynamodb: Any, persons: FakePersonRegistry, signals_api: Invoke, mailbox: Mailbox
) -> Iterator[Callable[..., Region]]:
    from match.handler import lambda_handler as match_handler
    from national_link.publish import lambda_handler as publish_handler

    def build(*, linked: bool = False, retries: int = 2, seed: int = 7) -> Region:
        services = wiring.current()
        bus = None
        if linked:
            events = boto3.client("events")
            arn = events.create_event_bus(Name=NATIONAL_BUS)["EventBusArn"]
            config = runtime_config().model_copy(update={"national_bus_arn": arn})
            services = wiring.Services(
                config=config,
                settings=RegionSettings(),
                clock=FixedClock(NOW),
                persons=persons,
                dynamodb=dynamodb,
            )
            bus = RecordingBus(events, arn)
            services.__dict__["national_bus"] = bus
            wiring.install(services)
        faults = FaultInjector(seed=seed)
        pump = StreamPump.for_table(NAMES.main, dynamodb=dynamodb)
        pump.skip_existing()
        region = Region(
            services=services,
            signals_api=signals_api,
            mailbox=mailbox,
            faults=faults,
            match=LambdaStream(pump, match_handler, retries),
            bus=bus,
        )
        if linked:
            publisher_pump = StreamPump.for_table(NAMES.main, dynamodb=dynamodb)
            publisher_pump.skip_existing()
            region.publish = LambdaStream(publisher_pump, publish_handler, retries)
        region.place_all(persons)
        return region

    yield build
    wiring.install(None)


def assert_nothing_lost(region: Region, *, doubled_at_most: int = 0) -> None:
    services = region.services
    items = all_items(services.dynamodb, NAMES.main)
    sides = [i for i in items if i.get("entity") == "match"]
    assert len(sides) == 2 * YOUTHS, "every pair of signals matched, once"
    notes = [i for i in items if i.get("entity") == "notification"]
    assert len(notes) == 2 * YOUTHS and {n["state"] for n in notes} == {"sent"}
    assert outstanding(services) == [], "no work outstanding, none handed to the operator"
    # Every party e-mailed about its own client, once (the crash window aside).
    references = Counter(
        reference
        for mail in region.mailbox.sent
        for reference in region.placed.values()
        if f"cliënt {reference} " in mail.text
    )
    assert set(references) == set(region.placed.values()), "every party e-mailed"
    doubled = sum(count - 1 for count in references.values())
    assert doubled <= doubled_at_most
    if region.bus is not None:
        activated = {e.signal_id for e in region.bus.accepted if isinstance(e, SignalActivated)}
        assert activated == set(region.placed), "every national event published"


def throttled_ses(region: Region) -> None:
    region.faults.error(region.services.ses, "SendEmail", rate=0.5, code="TooManyRequestsException", status=429)


def failing_ses(region: Region) -> None:
    region.faults.error(region.services.ses, "SendEmail", rate=0.3, code="InternalFailure", status=500)
    region.faults.error(region.services.ses, "SendEmail", rate=0.2, code="MessageRejected")


def cancelled_transactions(region: Region) -> None:
    region.faults.error(
        region.services.dynamodb,
        "TransactWriteItems",
        rate=0.5,
        code="TransactionCanceledException",
        reasons=[{"Code": "TransactionConflict"}],
    )


def crash_between_claim_and_send(region: Region) -> None:
    region.faults.crash(region.services.ses, "SendEmail", rate=0.4, after=False)


@pytest.mark.parametrize(
    "inject",
    [throttled_ses, failing_ses, cancelled_transactions, crash_between_claim_and_send],
    ids=lambda f: f.__name__,
)
def test_faults_with_stream_retries_lose_and_double_nothing(make_region: Callable[..., Region], inject: Any) -> None:
    region = make_region()
    inject(region)
    region.match.drain()
    region.sweep_until_done()
    assert region.faults.total > 0
    assert_nothing_lost(region)


def test_a_crash_after_ses_accepted_doubles_only_those_e_mails(make_region: Callable[..., Region]) -> None:
    region = make_region()
    region.faults.crash(region.services.ses, "SendEmail", rate=0.3, after=True)
    region.match.drain()
    region.sweep_until_done()
    crashes = region.faults.injected["SendEmail:crash-after"]
    assert crashes > 0
    assert_nothing_lost(region, doubled_at_most=crashes)


def test_duplicate_and_reordered_deliveries_change_nothing(make_region: Callable[..., Region]) -> None:
    region = make_region()
    region.match.drain(shuffle=random.Random(3), duplicate=True)
    assert_nothing_lost(region)
    assert region.mailbox.count_by_recipient() == {"sub-a@org-a.example.org": YOUTHS, "sub-b@org-b.example.org": YOUTHS}


def test_a_poison_record_is_given_up_alone(make_region: Callable[..., Region]) -> None:
    region = make_region()
    records = region.match.pump.poll()
    bad = poison(records[:1])
    region.match.drain(extra=[*records[:3], *bad, *records[3:]])
    # Lambda gives up on the batch from the poison record on; the records after it in that batch
    # were handled on the first attempt already.
    assert region.match.given_up[0] == bad[0]
    assert_nothing_lost(region)


def test_retries_exhausted_then_the_sweeper_finishes_the_work(make_region: Callable[..., Region]) -> None:
    region = make_region(retries=0)
    failing_ses(region)
    cancelled_transactions(region)
    region.match.drain()
    assert region.match.given_up, "the stream gave records up"
    assert outstanding(region.services), "and their work is still outstanding"
    region.sweep_until_done()
    assert_nothing_lost(region)


def test_a_national_event_that_failed_for_good_is_published_by_the_sweeper(
    make_region: Callable[..., Region],
) -> None:
    region = make_region(linked=True, retries=1)
    assert region.publish is not None and region.bus is not None
    region.faults.error(region.bus.client, "PutEvents", rate=0.4, code="ThrottlingException")
    region.match.drain()
    region.publish.drain()
    assert region.publish.given_up
    region.sweep_until_done()
    assert_nothing_lost(region)


def test_work_still_failing_after_its_attempts_is_handed_to_the_operator(make_region: Callable[..., Region]) -> None:
    from sweep.handler import run

    region = make_region(retries=0)
    region.faults.error(region.services.ses, "SendEmail", rate=1.0, code="InternalFailure", status=500)
    region.match.drain()
    attempts = region.services.settings.sweep_max_attempts
    reports = [run({"time": (NOW + n * SWEEP_EVERY).isoformat()}) for n in range(1, attempts + 2)]
    assert reports[-1]["gave_up"] == 2 * YOUTHS and reports[-1]["stuck"] == 2 * YOUTHS
    listed = region.services.stuck_work.page(OPERATOR_CALLER, WorkKind.DELIVERY, 100).items
    assert {(w.kind.value, w.attempts) for w in listed} == {("delivery", attempts)}
    # Each reference leads back to one e-mail of each signal placed.
    opened = [region.services.stuck_work.open_reference(w.reference) for w in listed]
    notes = {n["SK"]: n for n in all_items(region.services.dynamodb, NAMES.main) if n.get("entity") == "notification"}
    assert {notes[key["SK"]["S"]]["recipient_signal_id"] for key in opened} == set(region.placed)
    # Nothing on the list carries a contact, a client reference or an id: kind, age, attempts only.
    shown = repr(listed)
    assert "@" not in shown
    # Whole tokens only: a short client reference ("B-0") can occur inside an opaque base64 reference.
    tokens = set(re.findall(r"[\w-]+", shown))
    assert not [value for value in (*region.placed, *region.placed.values()) if value in tokens]


# --- a signal that stops being active owes the national index its removal ------------------------


def _stop(region: Region, how: str) -> tuple[dict[str, str], datetime]:
    """Stops signals one way; returns the signal ids the national index must forget, with the reason,
    and when they stopped."""
    services = region.services
    a_signals = [signal_id for signal_id, reference in region.placed.items() if reference.startswith("A-")]
    if how in {"closed", "withdrawn"}:
        reason = "ended" if how == "closed" else "unjustified"
        for signal_id in a_signals:
            response = region.signals_api("POST", f"/signals/{signal_id}/close", claims=PRO_A, body={"reason": reason})
            assert response.status == 200, response.text
        return dict.fromkeys(a_signals, "closed" if how == "closed" else "destroyed"), NOW
    if how == "expired":
        from expire.handler import lambda_handler

        item = next(i for i in all_items(services.dynamodb, NAMES.main) if i.get("entity") == "signal")
        day_after = date.fromisoformat(item["active_until"]) + timedelta(days=1)
        at = datetime.fromisoformat(f"{day_after.isoformat()}T01:15:00+01:00")
        report = lambda_handler({"time": at.isoformat()}, LocalContext())
        assert report["closed"] == 2 * YOUTHS
        return dict.fromkeys(region.placed, "closed"), at
    # died: the BRP reports the death of the first youth; both its signals are destroyed
    from verwijsindex.domain.lifecycle import BrpNotification

    brp = Caller(kind=CallerKind.USER, subject="brp-subscription", groups=frozenset({"brp"}))
    notice = BrpNotification(bsn=valid_bsn("50000000"), kind="death", date=NOW.date(), municipality="0014")
    assert services.lifecycle.brp_notification(brp, notice).handled
    return {signal_id: "destroyed" for signal_id, reference in region.placed.items() if reference.endswith("-0")}, NOW


@pytest.mark.parametrize("how", ["closed", "withdrawn", "expired", "died"])
def test_a_removal_the_stream_failed_to_publish_is_published_by_the_sweeper_once(
    make_region: Callable[..., Region], how: str
) -> None:
    region = make_region(linked=True, retries=1)
    assert region.publish is not None and region.bus is not None
    region.match.drain()
    region.publish.drain()
    assert {e.signal_id for e in region.bus.accepted if isinstance(e, SignalActivated)} == set(region.placed)
    down = {"now": True}
    region.faults.error(
        region.bus.client, "PutEvents", rate=1.0, code="InternalException", status=500, when=lambda _: down["now"]
    )

    gone, stopped = _stop(region, how)
    region.match.drain()
    region.publish.drain()
    assert region.publish.given_up, "the stream gave the removals up"
    assert not [e for e in region.bus.accepted if isinstance(e, SignalRemoved)]
    assert outstanding(region.services), "the removals are still owed, durably"

    down["now"] = False  # the national bus is back
    mails_before = len(region.mailbox.sent)
    region.sweep_until_done(start=stopped)
    removals = Counter((e.signal_id, e.reason.value) for e in region.bus.accepted if isinstance(e, SignalRemoved))
    assert removals == Counter(gone.items()), "each removal published once, with its reason"
    assert outstanding(region.services) == [], "nothing left owed"
    assert len(region.mailbox.sent) == mails_before, "the sweeper sent no e-mail"
    sent = Counter((mail.to, mail.subject) for mail in region.mailbox.sent)
    assert max(sent.values()) == 1, "no e-mail doubled"


def test_a_removal_still_failing_after_its_attempts_is_listed_for_the_operator(
    make_region: Callable[..., Region],
) -> None:
    from sweep.handler import run

    region = make_region(linked=True, retries=0)
    assert region.publish is not None and region.bus is not None
    region.match.drain()
    region.publish.drain()
    region.faults.error(region.bus.client, "PutEvents", rate=1.0, code="InternalException", status=500)
    gone, _ = _stop(region, "withdrawn")
    region.publish.drain()
    attempts = region.services.settings.sweep_max_attempts
    reports = [run({"time": (NOW + n * SWEEP_EVERY).isoformat()}) for n in range(1, attempts + 2)]
    assert reports[-1]["gave_up"] == len(gone) and reports[-1]["stuck"] == len(gone)
    listed = region.services.stuck_work.page(OPERATOR_CALLER, WorkKind.REMOVAL, 100).items
    assert [(w.kind.value, w.attempts) for w in listed] == [("removal", attempts)] * len(gone)
    opened = {region.services.stuck_work.open_reference(w.reference)["PK"]["S"] for w in listed}
    assert opened == {f"PUBLISH#{signal_id}" for signal_id in gone}
    assert not [signal_id for signal_id in gone if signal_id in repr(listed)]
