"""brp_changes: run on a schedule by EventBridge Scheduler; reads the BRP Update API.

"Now" is the scheduled event's `time`, so a run can be replayed; without it, the container
clock. The run applies deaths, moves and emigration of followed youths (logic/brp_changes.py).
A failure (the BRP down, a misconfigured link) ends the invocation in an error, which alarms,
and leaves the run's marker where it was: the next run reads the same days again.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.observability import entry_point
from verwijsindex.api.scheduled import reported, scheduled_now


def run(event: dict[str, Any]) -> dict[str, Any]:
    services = wiring.current()
    poller = services.brp_changes
    if poller is None:
        raise RuntimeError("the BRP Update API is not configured (BRP_UPDATE_BASE_URL)")
    report = poller.run(scheduled_now(event, services.clock))
    return reported("brp changes run done", report)


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event)
