"""The national link on moto: what one region event costs the national index, and what it keeps.

Prints figures and ratios; asserts nothing (speed and cost are measured here, never in tests).

North and South (infra/local/nation.py) signal youths of two-child families: per family,
North signals child 1, South signals child 1 (a client match across regions) and child 2
(a family match across regions, and one in South). The DynamoDB requests the national
function makes are counted per event kind (a botocore hook), and the national table's items
are counted against the active signals it must hold.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

FAMILIES = 12


def main() -> None:
    import os

    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # figures only
    import boto3
    from moto import mock_aws

    import tests.conftest as fixtures  # sets the moto environment before boto3 is used
    from infra.local.events import rest_event, user_claims
    from infra.local.nation import NATIONAL_TABLE, NORTH, SOUTH, LocalNation
    from infra.local.region import OPERATOR
    from tests.support import all_items, valid_bsn, youth
    from verwijsindex.adapters.brp.fake import FakePersonRegistry
    from verwijsindex.domain.clock import FixedClock

    with mock_aws():
        client = boto3.client("dynamodb")
        persons = FakePersonRegistry()
        nation = LocalNation(client, FixedClock(fixtures.NOW), persons, (NORTH, SOUTH))
        operator = {"sub": str(OPERATOR["sub"]), "token_use": "id", "cognito:groups": "operator"}
        pros = {"north": ("noord-1", "sub-n"), "south": ("zuid-1", "sub-z"), "south2": ("zuid-2", "sub-z2")}
        for key, (org_id, sub) in pros.items():
            region = key.rstrip("2")
            nation.api(
                region, rest_event("POST", "/organisations", body={"org_id": org_id, "name": org_id}, claims=operator)
            )
            body = {"user_id": sub, "name": f"P {sub}", "email": f"{sub}@{org_id}.example.org", "phone": "+31 20 1"}
            nation.api(region, rest_event("POST", f"/organisations/{org_id}/professionals", body=body, claims=operator))

        counts: Counter[str] = Counter()
        events: Counter[str] = Counter()
        current: list[str] = []

        def count(**_: Any) -> None:
            if current:
                counts[current[0]] += 1

        client.meta.events.register("before-call.dynamodb.*", count)
        deliver = nation.deliver

        def counted_deliver(event: dict[str, Any]) -> Any:
            if event["source"] != "verwijsindex.region":
                return deliver(event)
            events[event["detail-type"]] += 1
            current[:] = [event["detail-type"]]
            try:
                return deliver(event)
            finally:
                current.clear()

        nation.deliver = counted_deliver  # type: ignore[method-assign]

        def place(key: str, bsn: str) -> str:
            org_id, sub = pros[key]
            region = key.rstrip("2")
            claims = user_claims(sub, org_id, ["professional"])
            response = nation.api(
                region, rest_event("POST", "/signals", body={"bsn": bsn, "client_reference": "R-1"}, claims=claims)
            )
            return str(json.loads(response["body"])["signal_id"])

        started = time.perf_counter()
        placed: list[tuple[str, str]] = []
        for n in range(FAMILIES):
            parent = valid_bsn(f"{50000000 + n:08d}")
            first, second = valid_bsn(f"{60000000 + 2 * n:08d}"), valid_bsn(f"{60000001 + 2 * n:08d}")
            persons.add(youth(first, date(2015, 1, 1), parents=(parent,)))
            persons.add(youth(second, date(2017, 1, 1), parents=(parent,)))
            placed.append(("north", place("north", first)))
            placed.append(("south", place("south", first)))
            placed.append(("south2", place("south2", second)))
        elapsed = time.perf_counter() - started

        # The statistics items hold counts only (README "Statistics"), not what is about youths.
        counts_only = {"region_statistics", "national_statistics"}
        national = [item for item in all_items(client, NATIONAL_TABLE) if item["entity"] not in counts_only]
        active = len(placed)
        mails = len(nation.mails_from("north")) + len(nation.mails_from("south"))
        print(f"families: {FAMILIES}, signals: {active}, e-mails sent: {mails} ({mails / FAMILIES:.1f} per family)")
        for kind in sorted(events):
            print(f"  {kind}: {events[kind]} events, {counts[kind] / events[kind]:.1f} DynamoDB requests per event")
        # One transaction, one Query of the youth, one Query per parent, one BatchGetItem of the
        # signals of the siblings found (per 100).
        print("  target per activation: 3, + 1 BatchGetItem of siblings signalled in another region (here 3 to 4)")
        kept = Counter(item["entity"] for item in national)
        print(f"national items per active signal: {len(national) / active:.2f}  {dict(kept)}")
        print(
            "wall time per placed signal through both regions and the national index (moto): "
            f"{elapsed / active * 1000:.0f} ms"
        )

        for key, signal_id in placed:
            org_id, sub = pros[key]
            claims = user_claims(sub, org_id, ["professional"])
            nation.api(
                key.rstrip("2"),
                rest_event("POST", f"/signals/{signal_id}/close", body={"reason": "ended"}, claims=claims),
            )
        national = [item for item in all_items(client, NATIONAL_TABLE) if item["entity"] not in counts_only]
        left = [item for item in national if item["entity"] != "removed"]
        print(
            f"after closing all: {len(left)} items about youths (target 0), "
            f"{len(national)} removal markers (no pseudonym)"
        )
        print(
            f"  SignalRemoved: {counts['SignalRemoved'] / max(events['SignalRemoved'], 1):.1f} "
            "DynamoDB requests per event (target 2: one GetItem, one transaction)"
        )


if __name__ == "__main__":
    main()
