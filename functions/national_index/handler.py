"""National index function: receives the regions' events from the national bus.

SignalActivated / SignalRemoved / YouthMoved / StatisticsCounted from a listed region's account;
answers RemoteMatch, MoveNotice and NationalTotals events on the same bus, whose rules forward
each to the region it names. An exception makes EventBridge retry the invocation (then the dead-letter queue);
handling is idempotent, so a retry or a duplicate delivery changes nothing. An event that is
not acceptable (malformed, unknown region, wrong account) is dropped and counted: retrying
it could never succeed.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import national_wiring
from verwijsindex.api.bus_events import Rejected, from_a_region, rejected
from verwijsindex.api.observability import entry_point, logger, metrics
from verwijsindex.domain.national import RemoteMatch
from verwijsindex.logic.national_index import UnknownSender


def handle(event: dict[str, Any]) -> dict[str, Any]:
    try:
        incoming = from_a_region(event)
        detail = incoming.detail
        services = national_wiring.current()
        answer = services.index.handle(incoming.account, detail)
    except (Rejected, UnknownSender) as error:
        return rejected(error)
    services.bus.publish(answer.events)
    matches = sum(1 for e in answer.events if isinstance(e, RemoteMatch)) // 2  # two events per match
    if matches:
        metrics.add_metric(name="RemoteMatchesAnswered", unit=MetricUnit.Count, value=matches)
    if answer.refused:
        metrics.add_metric(name="LateActivationsRefused", unit=MetricUnit.Count, value=1)
    outcome = {
        "outcome": "handled",
        "detail_type": incoming.detail_type,
        "region": detail.region,
        "stored": answer.stored,
        "refused": answer.refused,
        "events": len(answer.events),
    }
    logger.info("region event handled", extra=outcome)
    return outcome


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle(event)
