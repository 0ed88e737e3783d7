"""The daily expire run on moto: items read per item due, at two table sizes.

Prints figures and ratios; asserts nothing. The table is filled directly with BatchWriteItem
(signal items as the signal store writes them): STORED signals of which DUE are due today
(active period ended yesterday); the others are due on later days, spread over two years,
or closed and waiting in the archive. The run then reads the sparse due-day index only:
items read / items due should stay at 1.0 (target <= 1.05) whatever the table holds.

Items read and requests are counted from every DynamoDB response the run receives (the meter
of verwijsindex.adapters.dynamo.metering, a botocore hook), so nothing read escapes the count.
moto copies the tables on every TransactWriteItems (seconds per call at these sizes), so here,
as in the scale bench, each transaction is applied as its elements one after another (the same
conditional Put/Delete/Update calls), counted as the one request DynamoDB receives: the reads,
which this measures, are unchanged.
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

SIZES = (10_000, 100_000)
DUE = 100
TODAY = date(2027, 6, 1)


def fill(client: Any, table: str, stored: int) -> None:
    from moto_region import seed

    from verwijsindex.adapters.dynamo.signal_store import signal_item
    from verwijsindex.domain.models import CloseReason, Contact, Signal, SignalStatus

    contact = Contact(name="Bench Professional", email="bench@org-1.example.org", phone="+31 20 123 4567")
    items: list[dict[str, Any]] = []
    for n in range(stored):
        due = n < DUE
        closed = not due and n % 3 == 0
        active_until = TODAY - timedelta(days=1) if due else TODAY + timedelta(days=1 + n % 730)
        signal = Signal(
            signal_id=f"sig-{n:07d}",
            youth_key=f"{n:064x}",
            national_key=f"n{n:063x}",
            org_id=f"org-{n % 7}",
            professional_id="bench@org-1.example.org",
            professional=contact,
            client_reference=f"R-{n}",
            status=SignalStatus.CLOSED if closed else SignalStatus.ACTIVE,
            active_from=TODAY - timedelta(days=400),
            active_until=TODAY - timedelta(days=10) if closed else active_until,
            closed_on=TODAY - timedelta(days=10 + n % 1000) if closed else None,
            close_reason=CloseReason.ENDED if closed else None,
            destroy_on=TODAY + timedelta(days=3000),
            created_at=datetime(2026, 1, 1),
        )
        item = signal_item(signal)
        if closed:
            assert signal.closed_on is not None
            item["GSI2PK"] = f"DUE#{signal.closed_on.replace(year=signal.closed_on.year + 5).isoformat()}"
            item["GSI2SK"] = f"ARCHIVE#{signal.youth_key}#{signal.signal_id}"
        items.append(item)
    seed(client, table, items)


def measure(stored: int) -> dict[str, float]:
    from moto_region import CountingMailer, moto_region, sequential_transactions

    import tests.conftest as fixtures
    from verwijsindex.adapters.dynamo.metering import DynamoMeter
    from verwijsindex.domain.clock import AMSTERDAM

    with moto_region() as services:
        client = services.dynamodb
        started = time.perf_counter()
        fill(client, fixtures.NAMES.main, stored)
        filled = time.perf_counter() - started
        meter = DynamoMeter()
        sequential_transactions(client, meter)
        mailer = CountingMailer()
        services.__dict__["mailer"] = mailer  # cached_property: installed before first use

        meter.attach(client)
        started = time.perf_counter()
        report = services.lifecycle.expire(datetime(TODAY.year, TODAY.month, TODAY.day, 1, 15, tzinfo=AMSTERDAM))
        seconds = time.perf_counter() - started
        meter.detach(client)
        reading = meter.reading()
        assert report.closed == DUE and mailer.sent == DUE, report
        return {
            "stored": stored,
            "due": DUE,
            "items_read": reading.items_read,
            "due_index_items": report.items_read,
            "requests": reading.requests,
            "ratio": reading.items_read / DUE,
            "fill_s": filled,
            "run_s": seconds,
        }


def main() -> None:
    print(f"expire run on {TODAY}: {DUE} signals due; items read counted from every DynamoDB response")
    print(f"{'stored':>8} {'due':>5} {'items read':>10} {'ratio':>6} {'requests':>8} {'fill s':>7} {'run s':>6}")
    for stored in SIZES:
        row = measure(stored)
        print(
            f"{row['stored']:>8} {row['due']:>5} {row['items_read']:>10} {row['ratio']:>6.3f} "
            f"{row['requests']:>8} {row['fill_s']:>7.1f} {row['run_s']:>6.1f}"
        )
    print("target: ratio <= 1.05 at every size, not growing (plus one GetItem of the last-run marker)")


if __name__ == "__main__":
    main()
