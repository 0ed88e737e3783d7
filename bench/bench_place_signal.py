"""POST /signals: DynamoDB requests per placement (moto); its cold start is in bench_cold_start.py.

Prints figures and ratios; asserts nothing (speed is measured here, never in tests).
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]
PLACEMENTS = 50
TARGET = 5  # requests per placement of a youth's first signal


def requests_per_placement() -> tuple[Counter[str], int]:
    from moto_region import moto_region

    import tests.conftest as fixtures
    from infra.local.events import LocalContext, rest_event
    from tests.support import valid_bsn, youth
    from verwijsindex.adapters.brp.fake import FakePersonRegistry

    persons = FakePersonRegistry()
    with moto_region(persons=persons, install=True) as services:
        from place_signal.handler import lambda_handler
        from registry.handler import lambda_handler as registry_handler

        registry_handler(
            rest_event("POST", "/organisations", claims=fixtures.OPERATOR, body={"org_id": "org-a", "name": "A"}),
            LocalContext(),
        )
        registry_handler(
            rest_event(
                "POST",
                "/organisations/org-a/professionals",
                claims=fixtures.OPERATOR,
                body={"user_id": "sub-a", "name": "Anna", "email": "a@example.org", "phone": "0201234567"},
            ),
            LocalContext(),
        )
        calls: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        services.dynamodb.meta.events.register("before-call.dynamodb", count)
        for n in range(PLACEMENTS):
            bsn = valid_bsn(f"{40000000 + n * 7:08d}")
            persons.add(youth(bsn, date(2015, 1, 1)))
            response = lambda_handler(
                rest_event("POST", "/signals", claims=fixtures.PRO_A, body={"bsn": bsn, "client_reference": f"B{n}"}),
                LocalContext(),
            )
            assert response["statusCode"] == 201, response["body"]
    return calls, PLACEMENTS


def main() -> None:
    calls, placements = requests_per_placement()
    per = {operation: count / placements for operation, count in sorted(calls.items())}
    total = sum(per.values())
    print(
        f"DynamoDB requests per POST /signals (new signal, {placements} placements): "
        + ", ".join(f"{op} {n:.2f}" for op, n in per.items())
        + f"; total {total:.2f}"
    )
    print(
        "  target: the registry check (BatchGetItem), the caller's refused placements today (GetItem), "
        "the professional's active guard (GetItem), the youth marker (GetItem: each placement here is a "
        "youth's first signal, which follows its BSN at the BRP Update API the fake BRP plays) and 1 "
        "TransactWriteItems (signal, guard, youth marker and audit entry together)"
    )
    print(f"  ratio to the target of {TARGET} requests: {total / TARGET:.2f}")


if __name__ == "__main__":
    main()
