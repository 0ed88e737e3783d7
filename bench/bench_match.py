"""The match function on moto: DynamoDB requests per processed record, and records per second.

Prints figures and ratios; asserts nothing (speed is measured here, never in tests).

Phase 1 places families' signals one at a time, as professionals do, and hands every new
stream record to the handler on its own, counting the DynamoDB requests it makes (a
botocore hook on the client). Phase 2 places a burst (a case system synchronising in bulk)
and drains the stream in batches of 100, timing only the handler.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

FAMILIES_COUNTED = 6  # phase 1: every record delivered on its own
# Phase 2: placed at once, drained in batches of 100. Kept small: moto deep-copies every table
# (stream included) on each TransactWriteItems, so its cost grows with the table.
FAMILIES_BURST = 15
ORGS = ("org-1", "org-2", "org-3")


def setup() -> Any:
    """On the running moto: the region with three organisations, each with one professional."""
    import boto3
    from moto_region import fresh_services

    from verwijsindex.api.identity import Caller, CallerKind
    from verwijsindex.logic.schemas import OrganisationRequest, ProfessionalRequest

    services = fresh_services(install=True)
    boto3.client("ses").verify_email_identity(EmailAddress=services.config.ses_sender)
    operator = Caller(kind=CallerKind.USER, subject="operator", groups=frozenset({"operator"}))
    for n, org_id in enumerate(ORGS, start=1):
        services.registry_service.create(operator, OrganisationRequest(org_id=org_id, name=f"Organisatie {n}"))
        services.registry_service.add_professional(
            operator,
            org_id,
            ProfessionalRequest(
                user_id=f"sub-{n}",
                name=f"Professional {n}",
                email=f"p{n}@{org_id}.example.org",
                phone="+31 20 123 4567",
            ),
        )
    return services


def professional(n: int) -> Any:
    from verwijsindex.api.identity import Caller, CallerKind

    return Caller(kind=CallerKind.USER, subject=f"sub-{n}", org_id=f"org-{n}", groups=frozenset({"professional"}))


def family(services: Any, number: int) -> list[tuple[int, str]]:
    """Two parents, two children Y and Z: org-1 and org-2 signal Y, org-3 signals Z.

    The signals give 0, 1 (client) and 2 (family) new matches: 3 matches, 6 e-mails a family."""
    from tests.support import valid_bsn, youth

    parents = (valid_bsn(f"{50000000 + number * 4:08d}"), valid_bsn(f"{50000000 + number * 4 + 1:08d}"))
    y = valid_bsn(f"{60000000 + number * 4:08d}")
    z = valid_bsn(f"{60000000 + number * 4 + 2:08d}")
    services.persons.add(youth(y, date(2015, 4, 1), parents=parents))
    services.persons.add(youth(z, date(2012, 9, 1), parents=parents))
    return [(1, y), (2, y), (3, z)]


def place(services: Any, who: int, bsn: str, reference: str) -> None:
    from verwijsindex.logic.access import signals_actor
    from verwijsindex.logic.schemas import PlaceSignalRequest

    actor = signals_actor(professional(who), services.registry_store)
    outcome = services.signals.place(actor, PlaceSignalRequest(bsn=bsn, client_reference=reference))
    assert outcome.created


def kind_of(record: dict[str, Any]) -> str:
    from verwijsindex.adapters.dynamo.stream_images import change_of
    from verwijsindex.api.stream_records import IndexStreamRecord
    from verwijsindex.logic.matching import NotificationDue, SignalBecameActive, work_for

    parsed = IndexStreamRecord.model_validate(record)
    work = work_for(change_of(parsed.eventName, parsed.dynamodb.NewImage, parsed.dynamodb.OldImage))
    if isinstance(work, SignalBecameActive):
        return "signal"
    if isinstance(work, NotificationDue):
        return "notification"
    return "skipped"


def phase_requests(services: Any) -> None:
    from infra.local.streams import StreamPump
    from match.handler import lambda_handler
    from tests.conftest import NAMES

    pump = StreamPump.for_table(NAMES.main, dynamodb=services.dynamodb)
    pump.skip_existing()  # the registry's items
    calls: Counter[str] = Counter()
    services.dynamodb.meta.events.register(
        "before-call.dynamodb", lambda event_name, **_: calls.update([event_name.rsplit(".", 1)[-1]])
    )
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    records_of: Counter[str] = Counter()
    # Per signal record, by how many matches it created: position 0, 1 or 2 of the family.
    per_position: dict[int, Counter[str]] = defaultdict(Counter)
    ses_before = len(_sent())
    for number in range(FAMILIES_COUNTED):
        for position, (who, bsn) in enumerate(family(services, number)):
            place(services, who, bsn, f"F{number}-{who}")
            while records := pump.poll():
                for record in records:
                    kind = kind_of(record)
                    calls.clear()
                    delivery = pump.deliver(quiet(lambda_handler), [record])
                    assert not delivery.failed_sequence_numbers
                    per_kind[kind].update(calls)
                    records_of[kind] += 1
                    if kind == "signal":
                        per_position[position].update(calls)
    signals = records_of["signal"]
    mails = len(_sent()) - ses_before
    print(
        f"phase 1: {FAMILIES_COUNTED} families, {signals} signals, {records_of['notification']} notifications, "
        f"{records_of['skipped']} other records, {mails} e-mails"
    )
    for kind in ("signal", "notification", "skipped"):
        count = records_of[kind]
        if not count:
            continue
        per = {op: n / count for op, n in sorted(per_kind[kind].items())}
        print(
            f"  DynamoDB requests per {kind} record: "
            + (", ".join(f"{op} {n:.2f}" for op, n in per.items()) or "none")
            + f"; total {sum(per.values()):.2f}"
        )
    # Target per signal: 1 youth Query + 1 Query per parent (2 here) + 1 Query per signalled sibling
    # (Y, for Z) + with a candidate 1 Query of the signal's own sides (a repeated delivery writes
    # nothing) + 1 transaction per new match + 1 UpdateItem that finishes its outstanding work.
    labels = {0: "first on Y (0 matches)", 1: "second on Y (1 client match)", 2: "sibling Z (2 family matches)"}
    for position, label in labels.items():
        counter = per_position[position]
        per = {op: n / FAMILIES_COUNTED for op, n in sorted(counter.items())}
        sibling = 1 if position == 2 else 0
        sides = 1 if position else 0
        target = 1 + 2 + sibling + sides + position + 1
        total = sum(per.values())
        print(
            f"  signal {label}: "
            + ", ".join(f"{op} {n:.2f}" for op, n in per.items())
            + f"; total {total:.2f}; target {target} (1 youth + 2 parents + {sibling} sibling + {sides} own "
            f"sides + {position} match writes + 1 finished); ratio {total / target:.2f}"
        )
    # Per e-mail: the claim, the check that the address is not undeliverable (one conditional
    # UpdateItem, logic/outgoing_mail.py), the sent mark.
    note_total = sum(per_kind["notification"].values()) / max(records_of["notification"], 1)
    print(
        f"  per e-mail: {note_total:.2f} requests (claim + address check + mark sent; target 3), "
        f"ratio {note_total / 3:.2f}"
    )
    services.dynamodb.meta.events.unregister("before-call.dynamodb")


def phase_throughput(services: Any) -> None:
    from infra.local.streams import StreamPump
    from match.handler import lambda_handler
    from tests.conftest import NAMES

    pump = StreamPump.for_table(NAMES.main, dynamodb=services.dynamodb)
    pump.skip_existing()
    for number in range(FAMILIES_COUNTED, FAMILIES_COUNTED + FAMILIES_BURST):
        for who, bsn in family(services, number):
            place(services, who, bsn, f"F{number}-{who}")
    handler_seconds = 0.0
    kinds: Counter[str] = Counter()
    in_calls = CallTimer(services.dynamodb, services.ses)

    def timed(event: dict[str, Any], context: Any) -> Any:
        nonlocal handler_seconds
        kinds.update(kind_of(record) for record in event["Records"])
        in_calls.active = True
        started = time.perf_counter()
        try:
            return quiet(lambda_handler)(event, context)
        finally:
            handler_seconds += time.perf_counter() - started
            in_calls.active = False

    ses_before = len(_sent())
    deliveries = pump.drain(timed, batch_size=100)
    assert not any(d.failed_sequence_numbers for d in deliveries)
    records = sum(kinds.values())
    mails = len(_sent()) - ses_before
    print(f"phase 2 (burst): {FAMILIES_BURST} families placed at once, {len(deliveries)} batches of up to 100")
    print(
        f"  {records} records ({kinds['signal']} signals, {kinds['notification']} notifications, "
        f"{kinds['skipped']} skipped) in {handler_seconds:.2f} s of handler time: "
        f"{records / handler_seconds:.0f} records/s"
    )
    print(
        f"  {kinds['signal'] / handler_seconds:.1f} signals/s and {mails / handler_seconds:.1f} e-mails/s end to end; "
        f"{mails} e-mails for {3 * FAMILIES_BURST} expected matches x 2 (ratio {mails / (6 * FAMILIES_BURST):.2f})"
    )
    own = handler_seconds - in_calls.seconds
    print(
        f"  of which {in_calls.seconds:.2f} s inside {in_calls.calls} moto DynamoDB/SES calls "
        f"({in_calls.seconds / handler_seconds:.0%}); the handler's own code: {own:.2f} s, "
        f"{records / own:.0f} records/s, {1000 * own / records:.2f} ms a record"
    )
    print("  (on AWS a DynamoDB call takes a few ms: the handler's own time plus ~5 ms a request is the estimate)")


class CallTimer:
    """Time spent inside AWS calls, from botocore's before-call and after-call events."""

    def __init__(self, *clients: Any) -> None:
        self.active = False
        self.seconds = 0.0
        self.calls = 0
        self._started: list[float] = []
        for client in clients:
            client.meta.events.register("before-call", self._before)
            client.meta.events.register("after-call", self._after)

    def _before(self, **_: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, **_: Any) -> None:
        started = self._started.pop()
        if self.active:
            self.seconds += time.perf_counter() - started
            self.calls += 1


def quiet(handler: Any) -> Any:
    """Powertools prints metrics once 100 values pile up in one container; not wanted here."""
    from verwijsindex.api.observability import metrics

    def call(event: dict[str, Any], context: Any) -> Any:
        try:
            return handler(event, context)
        finally:
            metrics.clear_metrics()

    return call


def _sent() -> list[Any]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages)


def main() -> None:
    import logging

    from moto import mock_aws

    logging.disable(logging.INFO)  # the handler logs a line per record
    with mock_aws():
        services = setup()
        phase_requests(services)
        phase_throughput(services)


if __name__ == "__main__":
    main()
