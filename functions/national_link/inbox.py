"""National inbox: RemoteMatch, RemoteSignalDestroyed, MoveNotice and NationalTotals events from
the national index, delivered by the rule on this region's inbox bus (which accepts them only from the
national account).

A remote match is recorded with its notification (e-mailed by the match function, exactly
as a local match); a move notice is e-mailed to the region's operator once. Repeated events
change nothing. An exception (DynamoDB, SES) makes EventBridge retry; a malformed event is
dropped and counted.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.bus_events import Rejected, from_the_national_index, rejected
from verwijsindex.api.observability import entry_point, logger, metrics
from verwijsindex.domain.national import MoveNotice, NationalTotals, RemoteMatch


def handle(event: dict[str, Any]) -> dict[str, Any]:
    try:
        incoming = from_the_national_index(event)
    except Rejected as error:
        return rejected(error)
    detail = incoming.detail
    inbox = wiring.current().national_inbox
    if isinstance(detail, RemoteMatch):
        outcome = inbox.remote_match(detail)
    elif isinstance(detail, MoveNotice):
        outcome = inbox.move_notice(detail)
    elif isinstance(detail, NationalTotals):
        outcome = inbox.national_totals(detail)
    else:
        outcome = inbox.remote_signal_destroyed(detail)
    name = f"{incoming.detail_type}{outcome.value.title().replace('_', '')}"  # e.g. RemoteMatchRecorded
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    logger.info("national event handled", extra={"detail_type": incoming.detail_type, "outcome": outcome.value})
    return {"outcome": outcome.value}


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle(event)
