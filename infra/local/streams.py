"""The DynamoDB stream -> Lambda mapping, emulated: moto cannot run it without Docker.

StreamPump reads the main table's stream with the dynamodbstreams API, turns each record
into the shape Lambda delivers (eventSourceARN, epoch ApproximateCreationDateTime, the
table's region, eventSource aws:dynamodb) and calls a handler with batches of them. It keeps
the last sequence number read per shard, so each record is delivered once; every delivery is kept so a
test can deliver a batch again, and `drain` can retry failed records as Lambda does (from
the first failed record of a batch onwards).

Works with an in-process moto (`mock_aws`) and with a moto server (clients with an
endpoint_url); AWS_ACCOUNT_ID_ENDPOINT_MODE=disabled must be set for describe_stream.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3

from infra.local.events import LocalContext

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

Handler = Callable[[dict[str, Any], Any], Any]
LAMBDA_BATCH_SIZE = 100


@dataclass(frozen=True)
class Delivery:
    """One handler invocation: the event it got and what it answered."""

    event: dict[str, Any]
    response: Any

    @property
    def records(self) -> list[dict[str, Any]]:
        return list(self.event["Records"])

    @property
    def failed_sequence_numbers(self) -> list[str]:
        if not isinstance(self.response, Mapping):
            return []
        return [str(f["itemIdentifier"]) for f in self.response.get("batchItemFailures", [])]

    def records_to_retry(self) -> list[dict[str, Any]]:
        """What Lambda delivers again after a partial failure: from the first failed record on."""
        failed = set(self.failed_sequence_numbers)
        for index, record in enumerate(self.records):
            if record["dynamodb"]["SequenceNumber"] in failed:
                return self.records[index:]
        return []


def lambda_record(record: Mapping[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """A dynamodbstreams GetRecords record in the shape of a Lambda event record."""
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = float(int(created.timestamp()))
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "eventSourceARN": stream_arn,
        "dynamodb": change,
    }


class StreamPump:
    def __init__(self, streams: DynamoDBStreamsClient, stream_arn: str, region: str) -> None:
        self._streams = streams
        self.stream_arn = stream_arn
        self.region = region
        self._last_read: dict[str, str] = {}  # shard id -> sequence number of the last record read
        self._lock = threading.RLock()
        self.deliveries: list[Delivery] = []

    @classmethod
    def for_table(
        cls,
        table_name: str,
        *,
        dynamodb: DynamoDBClient | None = None,
        streams: DynamoDBStreamsClient | None = None,
    ) -> StreamPump:
        dynamodb = dynamodb or boto3.client("dynamodb")
        streams = streams or boto3.client(
            "dynamodbstreams",
            region_name=dynamodb.meta.region_name,
            endpoint_url=_sibling_endpoint(dynamodb),
        )
        stream_arn = dynamodb.describe_table(TableName=table_name)["Table"].get("LatestStreamArn")
        if not stream_arn:
            raise ValueError(f"table {table_name} has no stream")
        return cls(streams, stream_arn, dynamodb.meta.region_name)

    # --- reading ---------------------------------------------------------------------------

    def poll(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Every record written since the last poll (from the stream's start the first time).

        Each poll starts a new iterator after the last sequence number read, as a consumer
        resuming from its checkpoint does: it reads the table's stream as it is now, even when
        the emulator has replaced the table object since the last poll.
        """
        with self._lock:
            records: list[dict[str, Any]] = []
            shards = self._streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"].get("Shards", [])
            for shard in shards:
                shard_id = shard["ShardId"]
                iterator = self._iterator_after(shard_id, self._last_read.get(shard_id))
                while iterator:
                    page = self._streams.get_records(ShardIterator=iterator, Limit=limit)
                    batch = page.get("Records", [])
                    if not batch:
                        break
                    records.extend(lambda_record(r, self.stream_arn, self.region) for r in batch)
                    self._last_read[shard_id] = batch[-1]["dynamodb"]["SequenceNumber"]
                    iterator = page.get("NextShardIterator", "")
            return records

    def _iterator_after(self, shard_id: str, sequence_number: str | None) -> str:
        if sequence_number is None:
            return self._streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
        return self._streams.get_shard_iterator(
            StreamArn=self.stream_arn,
            ShardId=shard_id,
            ShardIteratorType="AFTER_SEQUENCE_NUMBER",
            SequenceNumber=sequence_number,
        )["ShardIterator"]

    def skip_existing(self) -> int:
        """Marks everything written so far as delivered (e.g. the seed data of a local run)."""
        return len(self.poll())

    # --- delivering ------------------------------------------------------------------------

    def deliver(self, handler: Handler, records: list[dict[str, Any]], context: Any = None) -> Delivery:
        with self._lock:
            event = {"Records": list(records)}
            response = handler(event, context or LocalContext(function_name="match"))
            delivery = Delivery(event=event, response=response)
            self.deliveries.append(delivery)
            return delivery

    def redeliver(self, handler: Handler, delivery: Delivery) -> Delivery:
        """The same batch once more, as after a Lambda retry or a duplicate delivery."""
        return self.deliver(handler, delivery.records)

    def pump(self, handler: Handler, batch_size: int = LAMBDA_BATCH_SIZE) -> list[Delivery]:
        """Delivers what is new now, in batches; records written by the handler wait for the next call."""
        with self._lock:
            records = self.poll()
            return [
                self.deliver(handler, records[start : start + batch_size])
                for start in range(0, len(records), batch_size)
            ]

    def drain(
        self, handler: Handler, *, batch_size: int = LAMBDA_BATCH_SIZE, retries: int = 0, max_rounds: int = 100
    ) -> list[Delivery]:
        """Pumps until the stream is quiet (handlers write records that need handling too).

        With `retries`, a batch with failed records is delivered again from its first failed
        record on, up to that many times, before moving on (Lambda's bisect-free behaviour;
        the records left failing would go to the dead-letter queue).
        """
        done: list[Delivery] = []
        with self._lock:
            for _ in range(max_rounds):
                deliveries = self.pump(handler, batch_size)
                if not deliveries:
                    return done
                for delivery in deliveries:
                    done.append(delivery)
                    attempt = delivery
                    for _retry in range(retries):
                        again = attempt.records_to_retry()
                        if not again:
                            break
                        attempt = self.deliver(handler, again)
                        done.append(attempt)
            raise RuntimeError(f"the stream did not become quiet in {max_rounds} rounds")

    def start(self, handler: Handler, *, interval: float = 0.2, retries: int = 2) -> BackgroundPump:
        """Drains the stream every `interval` seconds on a daemon thread (the local server)."""
        background = BackgroundPump(self, handler, interval, retries)
        background.start()
        return background


class BackgroundPump(threading.Thread):
    def __init__(self, pump: StreamPump, handler: Handler, interval: float, retries: int) -> None:
        super().__init__(name="stream-pump", daemon=True)
        self._pump = pump
        self._handler = handler
        self._interval = interval
        self._retries = retries
        self._stopped = threading.Event()
        self.errors: list[BaseException] = []

    def run(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                self._pump.drain(self._handler, retries=self._retries)
            except Exception as error:  # keep pumping; the error is kept for inspection
                self.errors.append(error)

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        self.join(timeout)


def _sibling_endpoint(client: DynamoDBClient) -> str | None:
    """A moto server serves every service on one endpoint: reuse the DynamoDB client's."""
    endpoint = client.meta.endpoint_url
    return None if endpoint.endswith(".amazonaws.com") else endpoint
