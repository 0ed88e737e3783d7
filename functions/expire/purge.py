"""purge: run every night by EventBridge Scheduler (Europe/Amsterdam), after expire.

Destroys closed signals whose archive period (5 years from closing) has ended, with their
matches and notifications, and youths who turned 23. DynamoDB TTL is a safety net only.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from expire.handler import run
from verwijsindex.api.observability import entry_point
from verwijsindex.logic.lifecycle import LifecycleService


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event, LifecycleService.purge)
