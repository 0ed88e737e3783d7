"""Faults at a fixed rate over at least 1,000 signals: what is lost, what is doubled.

Prints figures; asserts nothing. Signals are placed in rounds on fresh moto regions (moto copies
every table on each transaction, so one huge table would measure moto, not us). Each round: families
of two children, signalled by three organisations (client and family matches); the stream delivered
as Lambda's event source mapping would (batches, partial responses, 2 retries, then given up) with
faults injected into boto3 calls at fixed rates; then the sweeper's schedule until nothing is left.

Target: 0 signals unmatched, 0 e-mails lost, e-mails doubled at most the crash window (invocations
that died after SES accepted an e-mail).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # thousands of records: log only what goes wrong

SIGNALS = 1_050
FAMILIES_PER_ROUND = 25  # 75 signals a round
RATES = {
    "SES throttled (TooManyRequests)": 0.05,
    "SES error (InternalFailure)": 0.05,
    "transaction cancelled (conflict)": 0.05,
    "crash before the SES call": 0.02,
    "crash after SES accepted (crash window)": 0.02,
}
SWEEP_RUNS = 8


def quiet(handler: Any) -> Any:
    import io
    from contextlib import redirect_stdout

    def run(event: Any, context: Any) -> Any:
        with redirect_stdout(io.StringIO()):
            return handler(event, context)

    return run


def untrack_moto_models() -> None:
    """moto keeps every model instance it ever made (for its dashboard), and its TransactWriteItems
    deep-copies the tables for a rollback each time: over a round that is millions of objects kept
    alive, which the garbage collector walks again and again. The bench needs no dashboard, so each
    model class (those loaded so far) stops keeping them; what the index does is measured the same."""
    from moto.core import model_instances

    class Untracked(list[object]):
        def append(self, _instance: object) -> None:
            return None

    for models in model_instances.model_data.values():
        for model in models.values():
            model.instances_tracked = Untracked()  # type: ignore[attr-defined]


def one_round(round_number: int, families: int) -> dict[str, Any]:
    from moto import mock_aws

    with mock_aws():
        import bench_match as base

        from infra.local.faults import Crash, FaultInjector, LambdaStream
        from infra.local.outbox import Mailbox
        from infra.local.streams import StreamPump
        from match.handler import lambda_handler
        from sweep.handler import run as sweep
        from tests.conftest import NAMES, NOW
        from tests.support import all_items

        services = base.setup()
        untrack_moto_models()
        # The modules and the fresh tables stay as they are all round: keep them out of every
        # garbage collection (the round's own objects are still collected).
        gc.collect()
        gc.freeze()
        pump = StreamPump.for_table(NAMES.main, dynamodb=services.dynamodb)
        pump.skip_existing()
        placed: dict[str, str] = {}
        for number in range(families):
            for who, bsn in base.family(services, round_number * 1000 + number):
                reference = f"R{round_number}-F{number}-{who}"
                base.place(services, who, bsn, reference)
                placed[reference] = bsn

        faults = FaultInjector(seed=round_number)
        names = list(RATES)
        faults.error(
            services.ses, "SendEmail", rate=RATES[names[0]], code="TooManyRequestsException", status=429, name=names[0]
        )
        faults.error(services.ses, "SendEmail", rate=RATES[names[1]], code="InternalFailure", status=500, name=names[1])
        faults.error(
            services.dynamodb,
            "TransactWriteItems",
            rate=RATES[names[2]],
            code="TransactionCanceledException",
            reasons=[{"Code": "TransactionConflict"}],
            name=names[2],
        )
        faults.crash(services.ses, "SendEmail", rate=RATES[names[3]], after=False, name=names[3])
        faults.crash(services.ses, "SendEmail", rate=RATES[names[4]], after=True, name=names[4])

        stream = LambdaStream(pump, quiet(lambda_handler), retries=2)
        stream.drain()
        given_up = len(stream.given_up)
        outstanding_before = sum(1 for i in all_items(services.dynamodb, NAMES.main) if "GSI3PK" in i)
        for number in range(1, SWEEP_RUNS + 1):
            try:
                report = quiet(lambda event, _: sweep(event))(
                    {"time": (NOW + number * timedelta(minutes=20)).isoformat()}, None
                )
            except Crash:
                continue
            stream.drain()
            if report["overdue"] == 0:
                break

        items = all_items(services.dynamodb, NAMES.main)
        signals = [i for i in items if i.get("entity") == "signal"]
        unmatched = sum(1 for s in signals if s.get("match_pending"))
        notes = [i for i in items if i.get("entity") == "notification"]
        subjects = Counter(mail.subject for mail in Mailbox().sent for _ in mail.to)
        # One e-mail per notification: its subject names the recipient's own client reference.
        expected = Counter(
            f"Verwijsindex: {'gezinsmatch' if n['kind'] == 'family' else 'match'} voor uw cliënt "
            f"{n['recipient_client_reference']}"
            for n in notes
        )
        lost = sum((expected - subjects).values()) + sum(1 for n in notes if n["state"] != "sent")
        doubled = sum((subjects - expected).values())
        return {
            "signals": len(signals),
            "notifications": len(notes),
            "faults": faults.injected,
            "given_up": given_up,
            "outstanding_before_sweeps": outstanding_before,
            "unmatched": unmatched,
            "lost": lost,
            "doubled": doubled,
            "stuck": sum(1 for i in items if str(i.get("GSI3PK", "")).startswith("STUCK#")),
        }


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import tests.conftest  # noqa: F401 - sets the moto environment before boto3 is used

    started = time.perf_counter()
    totals: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    round_number = 0
    while totals["signals"] < SIGNALS:
        result = one_round(round_number, FAMILIES_PER_ROUND)
        gc.unfreeze()  # the round's moto is gone: let its tables be collected
        faults.update(result.pop("faults"))
        totals.update(result)
        round_number += 1
    elapsed = time.perf_counter() - started
    crash_window = faults["crash after SES accepted (crash window)"]
    print(
        f"fault injection: {totals['signals']} signals, {totals['notifications']} e-mails due, "
        f"{round_number} rounds, {elapsed:.0f} s"
    )
    print(f"  faults injected                {sum(faults.values()):>6}")
    for name, rate in RATES.items():
        print(f"    {name:<40} {faults[name]:>5}  (rate {rate:.0%} of calls)")
    print(f"  stream records given up        {totals['given_up']:>6}  (after 2 retries: the sweeper's work)")
    print(f"  outstanding before the sweeper {totals['outstanding_before_sweeps']:>6}")
    print(f"  signals left unmatched         {totals['unmatched']:>6}  (target 0)")
    print(f"  e-mails lost                   {totals['lost']:>6}  (target 0)")
    print(f"  e-mails doubled                {totals['doubled']:>6}  (target at most the crash window: {crash_window})")
    print(f"  left for the operator (stuck)  {totals['stuck']:>6}")


if __name__ == "__main__":
    main()
