"""Match function: fed by the main table's DynamoDB stream (partial batch responses).

Two kinds of record matter: a signal that became active (INSERT, or a MODIFY whose status
became active) is matched; a notification INSERT (state pending) is e-mailed. Everything
else is skipped after looking at two attributes. A record that fails is reported on its
own (batchItemFailures), so Lambda retries it, and then sends it to the dead-letter queue.
"""

from __future__ import annotations

import uuid
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.adapters.dynamo.stream_images import change_of
from verwijsindex.api.observability import entry_point, logger, metrics
from verwijsindex.api.stream_records import IndexStreamRecord
from verwijsindex.logic.matching import Delivery, NotificationDue, SignalBecameActive, work_for
from verwijsindex.ports.mail import MailerError

# Our own record model (api/stream_records.py), not Parser's, which the annotation names. Batch is
# imported before pydantic: it then leaves Parser's record models out (tests/unit/test_cold_start_imports.py).
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, model=IndexStreamRecord)  # type: ignore[arg-type]


def handle_record(record: IndexStreamRecord, invocation: str) -> None:
    work = work_for(change_of(record.eventName, record.dynamodb.NewImage, record.dynamodb.OldImage))
    if work is None:
        return
    services = wiring.current()
    if isinstance(work, SignalBecameActive):
        outcome = services.matching.match_signal(work.youth_key, work.signal_id)
        if outcome.created:
            metrics.add_metric(name="MatchesCreated", unit=MetricUnit.Count, value=len(outcome.created))
        logger.info(
            "signal matched",
            extra={
                "signal_id": work.signal_id,
                "active": outcome.active,
                "matches_created": len(outcome.created),
                "matches_existing": outcome.existing,
            },
        )
        return
    assert isinstance(work, NotificationDue)
    note = work.notification
    try:
        delivery = services.matching.deliver(note, invocation)
    except MailerError as error:
        metrics.add_metric(name="NotificationsFailed", unit=MetricUnit.Count, value=1)
        # The reason holds an SES error code only; never the address or the content.
        logger.warning(
            "e-mail not sent; the record will be retried",
            extra={"notification_id": note.notification_id, "reason": error.reason, "ambiguous": error.ambiguous},
        )
        raise
    if delivery is Delivery.UNDELIVERABLE:
        metrics.add_metric(name="NotificationsUndeliverable", unit=MetricUnit.Count, value=1)
    elif delivery is not Delivery.ALREADY_HANDLED:
        metrics.add_metric(name="NotificationsSent", unit=MetricUnit.Count, value=1)
    if delivery is Delivery.RESENT:
        # The previous invocation ended while sending: SES may have sent it already.
        metrics.add_metric(name="NotificationsResent", unit=MetricUnit.Count, value=1)
    logger.info("notification handled", extra={"notification_id": note.notification_id, "delivery": delivery.value})


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Claims on notifications are per invocation: a claim left by an earlier (ended)
    # invocation is taken over, one made earlier in this invocation is not.
    invocation = uuid.uuid4().hex

    def record_handler(record: IndexStreamRecord) -> None:
        try:
            handle_record(record, invocation)
        except MailerError:
            raise  # logged above
        except Exception as error:
            # The type only: exception text may quote item contents (contact details).
            logger.error(
                "stream record failed; it will be retried",
                extra={"sequence_number": record.dynamodb.SequenceNumber, "error_type": type(error).__name__},
            )
            raise

    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
