"""email_events: SES bounces and complaints, from the configuration set's SNS topic.

A permanent bounce or a complaint makes the address undeliverable in the registry and the notification
`bounced`, and tells the operator once (logic/email_events.py). SNS invokes asynchronously: an
exception makes Lambda retry, then the event goes to the dead-letter queue. A message that is not an SES
event is dropped and counted; logs name the event type and outcome only, never an address.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, ValidationError

from verwijsindex import wiring
from verwijsindex.api.observability import entry_point, logger, metrics
from verwijsindex.logic.email_events import EmailEventOutcome, SesEvent


class _Sns(BaseModel):
    model_config = ConfigDict(extra="ignore")
    Message: str


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")
    Sns: _Sns


class SnsEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")
    Records: list[_Record]


def handle(event: dict[str, Any]) -> list[str]:
    service = wiring.current().email_events
    outcomes: list[str] = []
    for record in SnsEvent.model_validate(event).Records:
        try:
            ses_event = SesEvent.model_validate_json(record.Sns.Message)
        except ValidationError:
            metrics.add_metric(name="EmailEventsRejected", unit=MetricUnit.Count, value=1)
            logger.warning("not an SES event: dropped")
            outcomes.append("rejected")
            continue
        outcome = service.handle(ses_event)
        if outcome is not EmailEventOutcome.IGNORED:
            name = "EmailComplained" if ses_event.event_type == "Complaint" else "EmailBounced"
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
        logger.info("SES event handled", extra={"event_type": ses_event.event_type, "outcome": outcome.value})
        outcomes.append(outcome.value)
    return outcomes


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return {"outcomes": handle(event)}
