"""The cost of a statistics request on moto at two table sizes, for the same period.

Prints figures and ratios; asserts nothing. The main table is filled directly (moto's table, no HTTP round trip):
STORED signal items (as the signal store writes them) placed over the twelve months of 2026 by
7 organisations in 3 municipalities and 5 age bands, and the counter items that placing them (and
matching, closing and coordinating some of them) added to, built from the same tallies the use
cases write. Then `GET /statistics?from=2026-01&to=2026-12&by=organisation` goes through the
rights function's handler as the operator, with a meter on the DynamoDB client (a botocore hook:
nothing read escapes the count). The request reads the counters of the period (one Query per
month), never the signals: the figure should be the same at both sizes (ratio 1.0).
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
YEAR = 2026
MUNICIPALITIES = ("0014", "0363", "0599")
ORGANISATIONS = 7
BANDS = ("0-3", "4-11", "12-15", "16-17", "18-22")


def fill(client: Any, table: str, stored: int) -> None:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from verwijsindex.adapters.dynamo.codec import to_item
    from verwijsindex.adapters.dynamo.items import STATISTICS_ENTITY
    from verwijsindex.adapters.dynamo.signal_store import signal_item
    from verwijsindex.adapters.dynamo.statistics_store import counter_sk, merged, statistics_pk
    from verwijsindex.domain.models import Contact, Signal, SignalStatus
    from verwijsindex.domain.statistics import Counter, tally

    contact = Contact(name="Bench Professional", email="bench@org-1.example.org", phone="+31 20 123 4567")
    # Stored straight into moto's table (the items the signal store writes, without the HTTP round
    # trip of a BatchWriteItem each 25): filling 100,000 signals takes minutes rather than half an hour.
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][client.meta.region_name]
    tallies = []
    for n in range(stored):
        placed = date(YEAR, 1, 1) + timedelta(days=n % 365)
        signal = Signal(
            signal_id=f"sig-{n:07d}",
            youth_key=f"{n:064x}",
            national_key=f"n{n:063x}",
            org_id=f"org-{n % ORGANISATIONS}",
            professional_id="bench@org-1.example.org",
            professional=contact,
            client_reference=f"R-{n}",
            status=SignalStatus.ACTIVE,
            active_from=placed,
            active_until=placed + timedelta(days=700),
            destroy_on=placed + timedelta(days=3000),
            created_at=datetime(placed.year, placed.month, placed.day, 9, 0),
            municipality=MUNICIPALITIES[n % len(MUNICIPALITIES)],
            age_band=BANDS[n % len(BANDS)],
        )
        backend.put_item(table, to_item(signal_item(signal)))
        tallies.append(tally(placed, signal.dimensions, Counter.PLACED))
        if n % 3 == 0:
            tallies.append(tally(placed, signal.dimensions, Counter.MATCH_CLIENT))
        if n % 5 == 0:
            tallies.append(tally(placed, signal.dimensions, Counter.COORDINATED, days=n % 40))
        if n % 11 == 0:
            tallies.append(tally(placed, signal.dimensions, Counter.CLOSED_ENDED))
    # The counter items those events' transactions would have left (each merged tally's sums, as
    # the ADD updates of counter_updates add them up), stored the same way.
    for one in merged(tallies):
        item = {
            "PK": statistics_pk(one.month),
            "SK": counter_sk(one.dimensions),
            "entity": STATISTICS_ENTITY,
            "month": one.month,
            "municipality": one.dimensions.municipality,
            "org_id": one.dimensions.org_id,
            "age_band": one.dimensions.age_band,
            **one.amounts,
        }
        backend.put_item(table, to_item(item))


def measure(stored: int) -> dict[str, float]:
    from moto_region import moto_region

    import tests.conftest as fixtures
    from infra.local.events import LocalContext, rest_event
    from verwijsindex.adapters.dynamo.metering import DynamoMeter

    with moto_region(install=True) as services:
        client = services.dynamodb
        started = time.perf_counter()
        fill(client, fixtures.NAMES.main, stored)
        filled = time.perf_counter() - started
        from rights_request.handler import lambda_handler

        meter = DynamoMeter()
        meter.attach(client)
        query = {"from": f"{YEAR}-01", "to": f"{YEAR}-12", "by": "organisation"}
        started = time.perf_counter()
        response = lambda_handler(
            rest_event("GET", "/statistics", claims=fixtures.OPERATOR, query=query), LocalContext()
        )
        seconds = time.perf_counter() - started
        meter.detach(client)
        reading = meter.reading()
        assert response["statusCode"] == 200, response
        return {
            "stored": stored,
            "requests": reading.requests,
            "items_read": reading.items_read,
            "fill_s": filled,
            "request_s": seconds,
        }


def main() -> None:
    print(f"GET /statistics from={YEAR}-01 to={YEAR}-12 by=organisation, as the operator, on moto")
    print(f"{'stored':>8} {'requests':>8} {'items read':>10} {'fill s':>7} {'request s (moto)':>16}")
    rows = []
    for stored in SIZES:
        row = measure(stored)
        rows.append(row)
        print(
            f"{row['stored']:>8} {row['requests']:>8} {row['items_read']:>10} "
            f"{row['fill_s']:>7.1f} {row['request_s']:>16.2f}"
        )
    small, large = rows[0], rows[-1]
    signals = large["stored"] / small["stored"]
    requests = large["requests"] / small["requests"]
    items = large["items_read"] / small["items_read"]
    print(f"ratio at {signals:.0f}x the signals: requests {requests:.2f}, items read {items:.2f}")
    print("target: the same requests and items read at both sizes (ratio 1.00): one Query per month of the period")


if __name__ == "__main__":
    main()
