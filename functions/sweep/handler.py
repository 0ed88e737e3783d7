"""sweep: run every few minutes by EventBridge Scheduler.

Reruns the work the stream has not finished (signals not matched or not published, e-mails not
delivered) once it is older than the region's threshold, and counts what it gave up on for the
operator. "Now" is the scheduled event's `time`, as for the nightly jobs.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.observability import entry_point
from verwijsindex.api.scheduled import reported, scheduled_now


def run(event: dict[str, Any]) -> dict[str, Any]:
    services = wiring.current()
    report = services.reconciler.sweep(scheduled_now(event, services.clock))
    # The report holds counts and exception types only.
    return reported("sweep done", report, heartbeat="SweepCompleted")


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event)
