"""expire: run every night by EventBridge Scheduler (Europe/Amsterdam).

"Now" is the scheduled event's `time` (the schedule's input carries the scheduled time), so
any day can be replayed; without it, the container clock. The run closes every active
signal whose last active day has passed (its owner gets one e-mail asking whether to signal
again) and destroys youths who turned 23, catching up every due day it has not completed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import AwareDatetime, BaseModel, ConfigDict

from verwijsindex import wiring
from verwijsindex.api.observability import logger, metrics, tracer
from verwijsindex.logic.lifecycle import LifecycleService, RunReport


class ScheduledEvent(BaseModel):
    """An EventBridge (Scheduler) event: only its time matters."""

    model_config = ConfigDict(extra="ignore")

    time: AwareDatetime | None = None


def run(event: dict[str, Any], job: Callable[[LifecycleService, datetime], RunReport]) -> dict[str, Any]:
    services = wiring.current()
    now = ScheduledEvent.model_validate(event or {}).time or services.clock.now()
    report = job(services.lifecycle, now)
    for name, value in (
        ("SignalsClosed", report.closed),
        ("RenewalEmailsSent", report.emails_sent),
        ("RenewalEmailsFailed", report.emails_failed),
        ("RenewalEmailsUndeliverable", report.emails_undeliverable),
        ("SignalsDestroyed", report.signals_destroyed),
        ("YouthsDestroyed", report.youths_destroyed),
        ("DueItemsRead", report.items_read),
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    # The heartbeat: an alarm fires when a night passes without it (missing data is breaching).
    metrics.add_metric(name=f"{job.__name__.capitalize()}Completed", unit=MetricUnit.Count, value=1)
    result = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dataclasses.asdict(report).items()}
    logger.info("lifecycle run done", extra=result)  # counts only: no keys, no personal data
    return result


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event, LifecycleService.expire)
