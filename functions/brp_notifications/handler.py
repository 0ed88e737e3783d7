"""BRP notifications (called by the BRP subscription service, group `brp`).

POST /brp/notifications {bsn, kind: death | move, date, municipality}: a death destroys
everything about the youth at once; a move is recorded on the youth (municipality code).
The answer is the same whether or not the index holds the person: it reveals nothing.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict

from verwijsindex import wiring
from verwijsindex.api.contract import Tag, answers, people
from verwijsindex.api.identity import Group
from verwijsindex.api.observability import entry_point, logger, metrics
from verwijsindex.api.resolver import ApiRouter, gated_caller, json_answer, new_resolver, resolve
from verwijsindex.domain.lifecycle import BrpNotification
from verwijsindex.logic.access import require_brp

router = ApiRouter(Tag.BRP, security=people(Group.BRP))


class BrpNotificationRequest(BrpNotification):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BrpNotificationAccepted(BaseModel):
    status: str = "processed"


@router.post("/brp/notifications", responses=answers({202: "Processed."}, body=True))
def notify_brp_event(request: BrpNotificationRequest) -> Response[BrpNotificationAccepted]:
    """A death or a move reported by the BRP

    A death destroys everything about the youth at once; a move is recorded on the youth. The
    answer is the same whether or not the index holds the person.
    """
    caller = gated_caller(app)
    outcome = wiring.current().lifecycle.brp_notification(caller, request)
    if outcome.handled:
        metrics.add_metric(name=f"Brp{outcome.kind.capitalize()}Handled", unit=MetricUnit.Count, value=1)
    logger.info("brp notification processed", extra={"kind": outcome.kind})  # never the BSN
    return json_answer(BrpNotificationAccepted(), 202)


app = new_resolver(router, "Verwijsindex BRP notifications")


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Before the body is parsed: nobody else learns the notification's shape.
    return resolve(app, event, context, gate=require_brp)
