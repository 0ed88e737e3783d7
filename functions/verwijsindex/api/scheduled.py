"""What the functions run by EventBridge Scheduler share: "now" from the scheduled event, and
the run's report as metrics, one log line and the invocation's result."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import AwareDatetime, BaseModel, ConfigDict

from verwijsindex.api.observability import logger, metrics
from verwijsindex.domain.clock import Clock
from verwijsindex.logic.run_reports import metric_counts

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class ScheduledEvent(BaseModel):
    """An EventBridge (Scheduler) event: only its time matters."""

    model_config = ConfigDict(extra="ignore")

    time: AwareDatetime | None = None


def scheduled_now(event: dict[str, Any] | None, clock: Clock) -> datetime:
    """The scheduled event's `time` (the schedule's input carries it), so a run can be replayed;
    without it, the container clock."""
    return ScheduledEvent.model_validate(event or {}).time or clock.now()


def reported(message: str, report: DataclassInstance, *, heartbeat: str | None = None) -> dict[str, Any]:
    """Adds each count of the run's report that names a metric (logic/run_reports.py) as that
    metric, and `heartbeat` once (an alarm fires when a period passes without it: missing data is
    breaching); logs the report (counts and dates: never a key or personal data), which is also the
    invocation's result."""
    counts = metric_counts(report)
    if heartbeat is not None:
        counts.append((heartbeat, 1))
    for name, value in counts:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    result = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dataclasses.asdict(report).items()}
    logger.info(message, extra=result)
    return result
