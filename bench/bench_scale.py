"""At the floor at any scale: DynamoDB requests and items read per operation, at growing sizes.

Prints a table and writes it to bench/results.json; asserts nothing. Each operation runs on a
fresh moto with data seeded directly (BatchWriteItem of the items the stores write), then once
through its use case with a meter on the services' DynamoDB client (a transaction counts as
one request; items read are a Query's ScannedCount and the items a Get returns). The floor of
each operation is what the key design in the README says it must cost (README, "Scale
floor"); the ratio is measured / floor, target at most 1.2 at every size.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

RESULTS = ROOT / "bench" / "results.json"
TARGET = 1.2
PAGE = 100


@dataclass
class Row:
    operation: str
    size_name: str
    size: int
    requests: int
    items_read: int
    floor_requests: int
    floor_items: int
    requests_ratio: float
    items_ratio: float
    requests_by_operation: dict[str, int]


def _ratio(measured: int, floor: int) -> float:
    if floor == 0:
        return 1.0 if measured == 0 else math.inf
    return round(measured / floor, 3)


# --- one fresh region per measurement --------------------------------------------------------


@dataclass
class Region:
    services: Any
    meter: Any
    client: Any

    def seed(self, items: list[dict[str, Any]]) -> None:
        from moto_region import seed

        seed(self.client, self.services.config.table_name, items)


@contextmanager
def region() -> Iterator[Region]:
    from moto_region import CountingMailer, moto_region, sequential_transactions

    from verwijsindex.adapters.dynamo.metering import DynamoMeter
    from verwijsindex.logic.outgoing_mail import CheckedMailer

    with moto_region() as services:
        # In place of SES only: the check for undeliverable addresses in front of it is measured.
        mailer = CheckedMailer(CountingMailer(), services.addresses, services.clock)
        services.__dict__["mailer"] = mailer  # cached_property: installed before first use
        meter = DynamoMeter()
        meter.attach(services.dynamodb)
        sequential_transactions(services.dynamodb, meter)
        yield Region(services, meter, services.dynamodb)


def measure(
    target: Region, operation: str, size_name: str, size: int, floor: tuple[int, int], run: Callable[[], object]
) -> Row:
    target.meter.reset()
    run()
    reading = target.meter.reading()
    return Row(
        operation=operation,
        size_name=size_name,
        size=size,
        requests=reading.requests,
        items_read=reading.items_read,
        floor_requests=floor[0],
        floor_items=floor[1],
        requests_ratio=_ratio(reading.requests, floor[0]),
        items_ratio=_ratio(reading.items_read, floor[1]),
        requests_by_operation=dict(sorted(reading.requests_by_operation.items())),
    )


# --- item builders (the same items the stores write) ------------------------------------------

TODAY = date(2026, 11, 23)


def org_items(n: int) -> list[dict[str, Any]]:
    """Organisations org-0..org-(n-1), each with one professional sub-<i>, as the registry writes them."""
    from verwijsindex.adapters.dynamo import keys
    from verwijsindex.domain.models import Contact, Organisation, Professional

    items: list[dict[str, Any]] = []
    for i in range(n):
        organisation = Organisation(org_id=f"org-{i}", name=f"Organisatie {i}")
        contact = Contact(name=f"Professional {i}", email=f"p{i}@org-{i}.example.org", phone="+31 20 123 4567")
        professional = Professional(org_id=organisation.org_id, user_id=f"sub-{i}", contact=contact)
        items.append(
            {
                keys.PK: keys.org_pk(organisation.org_id),
                keys.SK: keys.ORG_SK,
                keys.ENTITY: "organisation",
                keys.GSI1PK: keys.ORGS_INDEX_PK,
                keys.GSI1SK: keys.org_pk(organisation.org_id),
                **organisation.model_dump(mode="json"),
            }
        )
        items.append(
            {
                keys.PK: keys.org_pk(organisation.org_id),
                keys.SK: keys.professional_sk(professional.user_id),
                keys.ENTITY: "professional",
                **professional.model_dump(mode="json"),
            }
        )
    return items


def professional(i: int) -> Any:
    from verwijsindex.api.identity import Caller, CallerKind

    return Caller(kind=CallerKind.USER, subject=f"sub-{i}", org_id=f"org-{i}", groups=frozenset({"professional"}))


def actor(services: Any, i: int) -> Any:
    """The professional as the registry check admits them (the signals API does this first)."""
    from verwijsindex.logic.access import signals_actor

    return signals_actor(professional(i), services.registry_store)


def signal(youth_key: str, org: int, n: int, *, active_until: date | None = None) -> Any:
    from verwijsindex.domain.models import Contact, Signal, SignalStatus

    return Signal(
        signal_id=f"sig-{youth_key[-6:]}-{org}-{n}",
        youth_key=youth_key,
        national_key=f"n-{youth_key}",
        org_id=f"org-{org}",
        professional_id=f"p{org}@org-{org}.example.org",
        professional=Contact(
            name=f"Professional {org}", email=f"p{org}@org-{org}.example.org", phone="+31 20 123 4567"
        ),
        client_reference=f"R-{n}",
        status=SignalStatus.ACTIVE,
        active_from=TODAY - timedelta(days=30),
        active_until=active_until or TODAY + timedelta(days=300),
        destroy_on=TODAY + timedelta(days=3000),
        created_at=datetime(2026, 10, 1),
    )


def signal_items(s: Any) -> list[dict[str, Any]]:
    """A signal as placement writes it, once matched: the signal, its guard and the youth marker."""
    from verwijsindex.adapters.dynamo import keys
    from verwijsindex.adapters.dynamo.signal_store import signal_item

    return [
        signal_item(s),
        {
            keys.PK: keys.youth_pk(s.youth_key),
            keys.SK: keys.guard_sk(s.org_id, s.professional_id),
            keys.ENTITY: "guard",
            "signal_id": s.signal_id,
        },
        {
            keys.PK: keys.youth_pk(s.youth_key),
            keys.SK: keys.YOUTH_SK,
            keys.ENTITY: "youth",
            "youth_key": s.youth_key,
            "national_key": s.national_key,
            "destroy_on": s.destroy_on.isoformat(),
            keys.GSI2PK: keys.due_pk(s.destroy_on),
            keys.GSI2SK: f"AGE_LIMIT#{s.youth_key}",
        },
    ]


def new_signal_items(s: Any) -> list[dict[str, Any]]:
    """The same for a signal just placed: its matching is still outstanding work (the flag the
    match function clears once every pair is recorded)."""
    from verwijsindex.adapters.dynamo.work_store import pending_signal_work
    from verwijsindex.ports.work import SignalWork

    item, *rest = signal_items(s)
    return [{**item, **pending_signal_work(s.created_at, s.youth_key, s.signal_id, SignalWork.MATCH)}, *rest]


def parents_items(youth_key: str, parent_keys: list[str]) -> list[dict[str, Any]]:
    from verwijsindex.adapters.dynamo import keys

    item: dict[str, Any] = {
        keys.PK: keys.youth_pk(youth_key),
        keys.SK: keys.PARENTS_SK,
        keys.ENTITY: "parents",
        "youth_key": youth_key,
        "parent_keys": parent_keys,
        "national_parent_keys": [],
    }
    if parent_keys:
        item["linked_parent_keys"] = set(parent_keys)
    links = [
        {
            keys.PK: keys.parent_pk(p),
            keys.SK: keys.child_sk(youth_key),
            keys.ENTITY: "parent_link",
            "youth_key": youth_key,
        }
        for p in parent_keys
    ]
    return [item, *links]


# --- the operations ----------------------------------------------------------------------------


def place(k: int) -> Row:
    """A new signal on a youth that already has k signals of other organisations."""
    from tests.support import youth
    from verwijsindex.logic.schemas import PlaceSignalRequest

    with region() as r:
        bsn = "999990196"
        r.services.persons.add(youth(bsn, date(2013, 3, 2)))
        youth_key = r.services.pseudonyms.regional(bsn)
        r.seed(org_items(1))
        r.seed([item for n in range(k) for item in signal_items(signal(youth_key, n + 1, n))])
        r.seed(parents_items(youth_key, []))
        request = PlaceSignalRequest(bsn=bsn, client_reference="R-new")
        # The organisation and the professional (one BatchGetItem), the caller's refusals today,
        # the guard (is there an active signal of this professional already?), the youth marker
        # (a youth's first signal follows its BSN at the BRP Update API, which the fake BRP plays;
        # read once the guard found none), one transaction. Items: the two of the registry check,
        # and the marker once the youth holds a signal.
        return measure(
            r,
            "place",
            "signals on the youth",
            k,
            (5, 2 + (1 if k else 0)),
            lambda: r.services.signals.place(actor(r.services, 0), request),
        )


def list_page(stored: int) -> Row:
    """A page of 100 of an organisation holding `stored` signals (each on its own youth)."""
    with region() as r:
        r.seed(org_items(1))
        r.seed([signal_items(signal(f"y{n:08d}", 0, n))[0] for n in range(stored)])
        shown = min(PAGE, stored)
        # The registry check (organisation and professional, one BatchGetItem), the page, its audit in 25s.
        floor = (2 + math.ceil(shown / 25), 2 + shown)
        return measure(
            r,
            "list a page of 100",
            "signals of the organisation",
            stored,
            floor,
            lambda: r.services.signals.list(actor(r.services, 0), PAGE, None),
        )


def activation(k: int) -> Row:
    """A new active signal on a youth with k active signals of k other organisations."""
    with region() as r:
        youth_key = "y-parties"
        r.seed(org_items(k + 1))
        r.seed([item for n in range(1, k + 1) for item in signal_items(signal(youth_key, n, n))])
        trigger = signal(youth_key, 0, 0)
        r.seed(new_signal_items(trigger) + parents_items(youth_key, []))
        names = math.ceil((k + 1) / 100) if k else 0
        sides = 1 if k else 0
        # One Query of the youth's signals and parents, with a candidate one Query of the trigger's
        # own sides (a repeated delivery writes nothing), the names of the organisations involved
        # (BatchGetItem), one transaction per new match, one UpdateItem that takes the signal out
        # of the outstanding work (the sweeper's index) once every pair is recorded.
        floor = (1 + sides + names + k + 1, (k + 1) + 1 + (k + 1 if k else 0))
        return measure(
            r,
            "activation, k parties",
            "parties of other organisations",
            k,
            floor,
            lambda: r.services.matching.match_signal(youth_key, trigger.signal_id),
        )


def activation_siblings(k: int) -> Row:
    """A new active signal on a youth with k signalled brothers and sisters (one shared parent)."""
    with region() as r:
        r.seed(org_items(k + 1))
        parent = "parent-1"
        seeded: list[dict[str, Any]] = []
        for n in range(1, k + 1):
            sibling_key = f"y-sibling-{n:04d}"
            seeded += signal_items(signal(sibling_key, n, n)) + parents_items(sibling_key, [parent])
        r.seed(seeded)
        youth_key = "y-trigger"
        trigger = signal(youth_key, 0, 0)
        r.seed(new_signal_items(trigger) + parents_items(youth_key, [parent]))
        names = math.ceil((k + 1) / 100) if k else 0
        sides = 1 if k else 0
        # The youth's signals and parents; the parent's children; each sibling's parents and
        # signals (one Query each); the trigger's own sides; the names; one transaction per new
        # match; the UpdateItem that finishes the signal's outstanding work.
        floor = (2 + k + sides + names + k + 1, 2 + (k + 1) + 2 * k + (k + 1 if k else 0))
        return measure(
            r,
            "activation, k siblings",
            "signalled siblings",
            k,
            floor,
            lambda: r.services.matching.match_signal(youth_key, trigger.signal_id),
        )


def destroy(k: int) -> Row:
    """Destroying a youth (23rd birthday, death) whose signal has k family matches."""
    from verwijsindex.adapters.dynamo.match_store import notification_item, side_item
    from verwijsindex.api.identity import Caller, CallerKind
    from verwijsindex.domain.matches import MatchKind, MatchSide, NotificationEvent, PartyCard
    from verwijsindex.logic.matching import notification

    with region() as r:
        parent = "parent-1"
        youth_key = "y-doomed"
        own = signal(youth_key, 0, 0)
        seeded = signal_items(own) + parents_items(youth_key, [parent])
        card = PartyCard(organisation="Organisatie", name="P", email="p@example.org", phone="1")
        for n in range(1, k + 1):
            sibling = signal(f"y-sibling-{n:04d}", n, n)
            seeded += signal_items(sibling) + parents_items(sibling.youth_key, [parent])
            side = MatchSide(
                match_id=f"match-{n:04d}",
                kind=MatchKind.FAMILY,
                signal_id=own.signal_id,
                youth_key=youth_key,
                org_id=own.org_id,
                other_signal_id=sibling.signal_id,
                other_youth_key=sibling.youth_key,
                other_org_id=sibling.org_id,
                created_at=datetime(2026, 10, 2),
            )
            for s, recipient in ((side, own), (side.mirrored(), sibling)):
                seeded.append(side_item(s))
                note = notification(
                    side=s, event=NotificationEvent.MATCH, recipient=recipient, other=card, created_at=s.created_at
                )
                seeded.append(notification_item(note))
        r.seed(seeded)
        from verwijsindex.domain.statistics import Counter

        system = Caller(kind=CallerKind.MACHINE, subject="bench")
        deletes = 3 + 4 * k  # guard, parents, parent link; k sides and notes here and k there
        # One Query of the partition, the deletes in 25s, one transaction (signal, marker, audit).
        floor = (1 + math.ceil(deletes / 25) + 1, 4 + 2 * k)
        return measure(
            r,
            "destroy a youth, k matches",
            "matches",
            k,
            floor,
            lambda: r.services.lifecycle.destroy_youth(youth_key, "bench", system, counter=Counter.DESTROYED_DEATH),
        )


def sweep(stored: int, due: int = 100) -> Row:
    """The daily expire run with `due` signals due among `stored`."""
    from verwijsindex.domain.clock import AMSTERDAM
    from verwijsindex.domain.lifecycle import CATCH_UP_DAYS

    with region() as r:
        r.seed(org_items(1))
        items = []
        for n in range(stored):
            until = TODAY - timedelta(days=1) if n < due else TODAY + timedelta(days=1 + n % 700)
            items.append(signal_items(signal(f"y{n:08d}", 0, n, active_until=until))[0])
        r.seed(items)
        kinds = 3  # age limit, renewal notices, expiry
        # The last-run marker, one Query per due day and kind, per due signal: the closing
        # transaction, the claim, the address check (one conditional UpdateItem: is the address
        # undeliverable?) and the sent mark of its e-mail; the marker moved on.
        floor = (1 + CATCH_UP_DAYS * kinds + 4 * due + 1, due)
        now = datetime(TODAY.year, TODAY.month, TODAY.day, 1, 15, tzinfo=AMSTERDAM)
        return measure(
            r, "sweep (daily expiry)", "signals stored", stored, floor, lambda: r.services.lifecycle.expire(now)
        )


def audit_page(stored: int) -> Row:
    """A page of 100 of an actor's trail holding `stored` entries."""
    from verwijsindex.api.identity import Caller, CallerKind
    from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject

    with region() as r:
        start = datetime(2026, 1, 1)
        entries = [
            AuditEntry(
                entry_id=f"e{n:06d}",
                at=start + timedelta(minutes=n),
                actor="sub-busy",
                action=AuditAction.SIGNAL_READ,
                subject=AuditSubject.youth(f"y{n % 97}"),
                target=f"s{n}",
            )
            for n in range(stored)
        ]
        r.services.audit.record_many(entries)
        operator = Caller(kind=CallerKind.USER, subject="operator", groups=frozenset({"operator"}))
        # The look itself (one PutItem), one Query of the page.
        return measure(
            r,
            "audit trail page",
            "entries of the actor",
            stored,
            (2, min(PAGE, stored)),
            lambda: r.services.audit_trail.read(operator, None, "sub-busy", PAGE),
        )


def rights_page(stored: int) -> Row:
    """A page of 100 open rights requests among `stored` (one in five open)."""
    from verwijsindex.adapters.dynamo.rights_store import _item
    from verwijsindex.api.identity import Caller, CallerKind
    from verwijsindex.domain.rights import RequestedBy, RightsKind, RightsRequest, RightsStatus

    with region() as r:
        requests = [
            _item(
                RightsRequest(
                    request_id=f"r{n:06d}",
                    kind=RightsKind.INZAGE,
                    youth_key=f"y{n}",
                    requested_by=RequestedBy.YOUTH,
                    received_on=date(2026, 1, 1),
                    deadline=date(2026, 1, 29) + timedelta(days=n % 300),
                    status=RightsStatus.OPEN if n % 5 == 0 else RightsStatus.GRANTED,
                    created_at=datetime(2026, 1, 1),
                    created_by="operator",
                )
            )
            for n in range(stored)
        ]
        r.seed(requests)
        operator = Caller(kind=CallerKind.USER, subject="operator", groups=frozenset({"operator"}))
        return measure(
            r,
            "rights page (open)",
            "rights requests",
            stored,
            (1, min(PAGE, stored // 5)),
            lambda: r.services.rights.list_requests(operator, RightsStatus.OPEN, False, PAGE, None),
        )


PLAN: list[tuple[Callable[[int], Row], tuple[int, ...]]] = [
    (place, (0, 10, 100)),
    (list_page, (100, 1_000, 5_000)),
    (activation, (0, 10, 100)),
    (activation_siblings, (0, 10, 100)),
    (destroy, (0, 10, 100)),
    (sweep, (1_000, 5_000)),
    (audit_page, (100, 1_000, 5_000)),
    (rights_page, (500, 5_000)),
]


def main() -> None:
    rows: list[Row] = []
    started = time.perf_counter()
    print(f"DynamoDB requests and items read per operation (moto), against the README's floors; target <= {TARGET}")
    print(f"{'operation':<28} {'size':>7} {'requests':>8} {'floor':>6} {'ratio':>6} {'items':>7} {'floor':>6} ratio")
    for operation, sizes in PLAN:
        for size in sizes:
            row = operation(size)
            rows.append(row)
            flag = "" if max(row.requests_ratio, row.items_ratio) <= TARGET else "  <- above target"
            print(
                f"{row.operation:<28} {row.size:>7} {row.requests:>8} {row.floor_requests:>6} "
                f"{row.requests_ratio:>6.2f} {row.items_read:>7} {row.floor_items:>6} {row.items_ratio:>6.2f}{flag}"
            )
    worst = max(max(r.requests_ratio, r.items_ratio) for r in rows)
    print(f"worst ratio {worst:.2f} (target <= {TARGET}); {time.perf_counter() - started:.0f} s")
    RESULTS.write_text(
        json.dumps(
            {
                "about": "DynamoDB requests and items read per operation on moto, with the README's floors",
                "target_ratio": TARGET,
                "worst_ratio": worst,
                "rows": [asdict(r) for r in rows],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
