"""Moving in: rows per second and DynamoDB requests per row of an import, at two sizes (moto).

Prints figures and ratios; asserts nothing (speed is measured here, never in tests). Each size runs
in a fresh moto region (with the local run's fixes to moto's transactions, infra/local/moto_dynamodb.py)
with three organisations; a fifth of the rows is closed history. The target: requests per row the
same at both sizes and within 1.2 of the placement floor, the 3 requests `POST /signals` needs per
signal (README "Scale floor"). On moto every transaction costs tens of milliseconds here, so the
import is carried out on moto at 500 and 1,500 rows, dry run at 10,000; at 10,000 and 100,000 rows
the transactions are counted instead of carried out (AcceptedWrites): the requests the importer
issues. `BENCH_IMPORT_MOTO_ROWS`, `BENCH_IMPORT_DRY_ROWS` and `BENCH_IMPORT_ROWS` set the sizes.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]
PLACEMENT_FLOOR = 3  # BatchGetItem of the registry, GetItem of the guard, one TransactWriteItems
ORGS = ("org-a", "org-b", "org-c")


def rows(count: int, today: date) -> Iterator[tuple[str, dict[str, Any]]]:
    from tests.support import valid_bsn

    for n in range(count):
        bsn = valid_bsn(f"{30000000 + n * 3:08d}")
        org = ORGS[n % len(ORGS)]
        placed = today - timedelta(days=30 + n % 600)
        row: dict[str, Any] = {
            "source_id": f"B-{n}",
            "bsn": bsn,
            "org_id": org,
            "professional_name": f"Professional {org}",
            "professional_email": f"pro@{org}.example.org",
            "professional_phone": "020 123 4567",
            "client_reference": f"REF-{n}",
            "placed_on": placed.isoformat(),
            "active_until": placed.replace(year=placed.year + 2).isoformat(),
            "status": "active",
        }
        if n % 5 == 4:
            row.update(status="closed", closed_on=(placed + timedelta(days=20)).isoformat(), close_reason="ended")
        yield bsn, row


class AcceptedWrites:
    """Reads go to moto; every TransactWriteItems is counted and accepted without being stored: the
    requests the importer issues when every row is new, without moto's cost per transaction."""

    def __init__(self, client: Any, calls: Counter[str]) -> None:
        self._client = client
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        if name == "transact_write_items":
            return self._accept
        return getattr(self._client, name)

    def _accept(self, **request: Any) -> dict[str, Any]:
        self._calls["TransactWriteItems"] += 1
        return {}


def measure(count: int, *, dry_run: bool, stored: bool = True) -> tuple[float, Counter[str], dict[str, int]]:
    """One import of `count` rows into a fresh region: seconds, requests by operation, outcomes.
    `stored=False`: the transactions are counted, not carried out (AcceptedWrites)."""
    import boto3
    from moto import mock_aws

    import tests.conftest as fixtures  # sets the moto environment before boto3 is used
    from infra.local import moto_dynamodb
    from infra.local.tables import create_tables
    from infra.ops.import_signals import operator
    from tests.support import youth
    from verwijsindex import wiring
    from verwijsindex.adapters.brp.fake import FakePersonRegistry
    from verwijsindex.domain.audit import AuditAction
    from verwijsindex.domain.clock import FixedClock
    from verwijsindex.domain.models import Contact, Organisation, Professional
    from verwijsindex.domain.settings import RegionSettings
    from verwijsindex.logic.auditing import AuditStamp
    from verwijsindex.logic.importing import ImportOptions
    from verwijsindex.logic.transfer_files import RawRow

    moto_dynamodb.install()
    with mock_aws():
        client = boto3.client("dynamodb")
        create_tables(client, fixtures.NAMES)
        clock = FixedClock(fixtures.NOW)
        persons = FakePersonRegistry(current_day=fixtures.NOW.date)

        def region(dynamodb: Any) -> wiring.Services:
            return wiring.Services(
                config=fixtures.runtime_config(),
                settings=RegionSettings(),
                clock=clock,
                persons=persons,
                dynamodb=dynamodb,
            )

        setup = region(client)
        stamp = AuditStamp(clock)
        admin = operator("operator-1")
        for org_id in ORGS:
            entry = stamp.on_organisation(admin, AuditAction.ORGANISATION_CREATED, org_id, target=org_id)
            setup.registry_store.create_organisation(Organisation(org_id=org_id, name=org_id), entry)
            contact = Contact(name=f"Professional {org_id}", email=f"pro@{org_id}.example.org", phone="0201234567")
            entry = stamp.on_organisation(admin, AuditAction.PROFESSIONAL_REGISTERED, org_id, target=org_id)
            setup.registry_store.add_professional(
                Professional(org_id=org_id, user_id=f"sub-{org_id}", contact=contact), entry
            )
        raw: list[RawRow] = []
        for line, (bsn, row) in enumerate(rows(count, fixtures.NOW.date()), start=1):
            persons.add(youth(bsn, date(2012, 1, 1) + timedelta(days=line % 3000)))
            raw.append(RawRow(line, row))
        calls: Counter[str] = Counter()

        def tally(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        client.meta.events.register("before-call.dynamodb", tally)
        services = region(client if stored else AcceptedWrites(client, calls))
        started = time.perf_counter()
        report = services.importer.run(admin, raw, ImportOptions(source="bench", dry_run=dry_run))
        elapsed = time.perf_counter() - started
    return elapsed, calls, {outcome.value: n for outcome, n in report.counts.items() if n}


def sizes(name: str, default: str) -> list[int]:
    return [int(size) for size in os.environ.get(name, default).split(",") if size]


def main() -> None:
    print(f"import; placement floor {PLACEMENT_FLOOR} DynamoDB requests per signal; chunks of 500 rows")
    runs = [
        # (label, rows, dry run, transactions carried out by moto)
        *(("import on moto", n, False, True) for n in sizes("BENCH_IMPORT_MOTO_ROWS", "500,1500")),
        *(("dry run on moto", n, True, True) for n in sizes("BENCH_IMPORT_DRY_ROWS", "10000")),
        *(("import, writes counted", n, False, False) for n in sizes("BENCH_IMPORT_ROWS", "10000,100000")),
    ]
    per_row: dict[str, list[tuple[int, float]]] = {}
    for label, count, dry_run, stored in runs:
        elapsed, calls, counts = measure(count, dry_run=dry_run, stored=stored)
        total = sum(calls.values())
        detail = ", ".join(f"{op} {n / count:.3f}" for op, n in sorted(calls.items()))
        print(
            f"{label:24} {count:>7} rows: {count / elapsed:7.0f} rows/s ({elapsed:.1f} s); "
            f"DynamoDB requests per row {total / count:.3f} ({detail}); outcomes {counts}"
        )
        per_row.setdefault(label, []).append((count, total / count))
    for label, figures in per_row.items():
        if label.startswith("import"):
            ratios = ", ".join(f"{count} rows {per / PLACEMENT_FLOOR:.2f}" for count, per in figures)
            flat = figures[-1][1] / figures[0][1]
            print(f"  {label}: requests per row / placement floor: {ratios}; largest / smallest size {flat:.2f}")
    print("  target: requests per row within 1.2 of the floor, the same at every size")


if __name__ == "__main__":
    main()
