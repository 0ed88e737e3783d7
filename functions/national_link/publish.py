"""National publisher: the main table's stream -> the national bus (regions that are linked).

Signals that became active, stopped being active or were destroyed, and youth markers that
record a BRP move, become SignalActivated / SignalRemoved / YouthMoved events. A record that
fails is reported on its own (batchItemFailures) and retried; publishing twice is harmless.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.adapters.dynamo.stream_images import change_of
from verwijsindex.api.observability import entry_point, logger, metrics
from verwijsindex.api.stream_records import IndexStreamRecord
from verwijsindex.logic.national_link import Published, publish_work_for

# Our own record model (api/stream_records.py), not Parser's, which the annotation names. Batch is
# imported before pydantic: it then leaves Parser's record models out (tests/unit/test_cold_start_imports.py).
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, model=IndexStreamRecord)  # type: ignore[arg-type]


def record_handler(record: IndexStreamRecord) -> None:
    work = publish_work_for(change_of(record.eventName, record.dynamodb.NewImage, record.dynamodb.OldImage))
    if work is None:
        return
    try:
        published = wiring.current().national_publisher.publish(work)
    except Exception as error:
        # The type only: the text may quote item contents (contact details).
        logger.error(
            "not published; the record will be retried",
            extra={"sequence_number": record.dynamodb.SequenceNumber, "error_type": type(error).__name__},
        )
        raise
    if published is not Published.NOTHING:
        metrics.add_metric(name=f"National{published.value.capitalize()}Published", unit=MetricUnit.Count, value=1)
    logger.info("national link", extra={"published": published.value})


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
