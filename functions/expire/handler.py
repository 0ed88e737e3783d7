"""expire: run every night by EventBridge Scheduler (Europe/Amsterdam).

"Now" is the scheduled event's `time` (the schedule's input carries the scheduled time), so
any day can be replayed; without it, the container clock. The run closes every active
signal whose last active day has passed (its owner gets one e-mail asking whether to signal
again) and destroys youths who turned 23, catching up every due day it has not completed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.observability import entry_point
from verwijsindex.api.scheduled import reported, scheduled_now
from verwijsindex.logic.lifecycle import LifecycleService, RunReport


def run(event: dict[str, Any], job: Callable[[LifecycleService, datetime], RunReport]) -> dict[str, Any]:
    services = wiring.current()
    report = job(services.lifecycle, scheduled_now(event, services.clock))
    return reported("lifecycle run done", report, heartbeat=f"{job.__name__.capitalize()}Completed")


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event, LifecycleService.expire)
