"""brp_changes: run on a schedule by EventBridge Scheduler; reads the BRP Update API.

"Now" is the scheduled event's `time`, so a run can be replayed; without it, the container
clock. The run applies deaths, moves and emigration of followed youths (logic/brp_changes.py).
A failure (the BRP down, a misconfigured link) ends the invocation in an error, which alarms,
and leaves the run's marker where it was: the next run reads the same days again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import AwareDatetime, BaseModel, ConfigDict

from verwijsindex import wiring
from verwijsindex.api.observability import logger, metrics, tracer


class ScheduledEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    time: AwareDatetime | None = None


def run(event: dict[str, Any]) -> dict[str, Any]:
    services = wiring.current()
    poller = services.brp_changes
    if poller is None:
        raise RuntimeError("the BRP Update API is not configured (BRP_UPDATE_BASE_URL)")
    now = ScheduledEvent.model_validate(event or {}).time or services.clock.now()
    report = poller.run(now)
    for name, value in (
        ("BrpChangesRead", report.read),
        ("BrpDeathsApplied", report.deaths),
        ("BrpMovesApplied", report.moves),
        ("BrpEmigrationsApplied", report.emigrations),
        ("BrpSuspendedOther", report.suspended_other),
        ("BrpPersonsNotFound", report.not_found),
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    result = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dataclasses.asdict(report).items()}
    logger.info("brp changes run done", extra=result)  # counts only: no BSN, no key
    return result


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event)
