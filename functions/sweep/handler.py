"""sweep: run every few minutes by EventBridge Scheduler.

Reruns the work the stream has not finished (signals not matched or not published, e-mails not
delivered) once it is older than the region's threshold, and counts what it gave up on for the
operator. "Now" is the scheduled event's `time`, as for the nightly jobs.
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
    now = ScheduledEvent.model_validate(event or {}).time or services.clock.now()
    report = services.reconciler.sweep(now)
    for name, value in (
        ("WorkOverdue", report.overdue),
        ("WorkRerun", report.rerun),
        ("WorkRerunFailed", report.failed),
        ("NotificationsResent", report.resent),
        ("WorkStuck", report.stuck),
        ("SweepCompleted", 1),  # the heartbeat
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    result = dataclasses.asdict(report)
    logger.info("sweep done", extra=result)  # counts and exception types only
    return result


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event)
