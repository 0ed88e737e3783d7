"""Faults injected into boto3 calls (botocore event hooks), and Lambda's stream semantics under them.

Used by the fault-injection tests and `bench/bench_faults.py`: a call can be answered with an AWS error
before it reaches moto (SES throttling, a cancelled transaction, EventBridge failing), or the
invocation can die around it (`Crash`, a BaseException as a timeout or an out-of-memory end would be:
no handler code runs after it). `LambdaStream` delivers the stream as the event source mapping does:
batches with partial responses, a failed batch retried from its first failed record, a crashed one
retried whole, and after the retries the records that still fail are given up (the dead-letter
queue), which is what the sweeper is for.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.awsrequest import AWSResponse, HTTPHeaders

from infra.local.streams import Handler, StreamPump


class Crash(BaseException):
    """The invocation ended here (timeout, out of memory): nothing after it runs."""


Predicate = Callable[[dict[str, Any]], bool]


@dataclass
class FaultInjector:
    """Deterministic faults at a fixed rate (seeded), counted by the name they were given."""

    seed: int = 0
    injected: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)  # noqa: S311 - reproducible faults, not secrets
        self._paused = False

    def _draw(self, rate: float, params: dict[str, Any], when: Predicate | None) -> bool:
        if self._paused or (when is not None and not when(params)):
            return False
        return self._random.random() < rate

    def error(
        self,
        client: Any,
        operation: str,
        *,
        rate: float,
        code: str,
        status: int = 400,
        name: str | None = None,
        when: Predicate | None = None,
        reasons: list[dict[str, str]] | None = None,
    ) -> None:
        """Answers `operation` with the AWS error `code` (as the service would) at `rate`."""
        label = name or f"{operation}:{code}"
        service = client.meta.service_model.service_id.hyphenize()

        def hook(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
            if not self._draw(rate, params, when):
                return None
            self.injected[label] += 1
            response = AWSResponse(client.meta.endpoint_url, status, HTTPHeaders(), None)
            error: dict[str, Any] = {"Error": {"Code": code, "Message": "injected fault"}, "ResponseMetadata": {}}
            if reasons is not None:
                error["CancellationReasons"] = reasons
            return response, error

        client.meta.events.register(f"before-call.{service}.{operation}", hook)

    def crash(
        self,
        client: Any,
        operation: str,
        *,
        rate: float,
        after: bool,
        name: str | None = None,
        when: Predicate | None = None,
    ) -> None:
        """Ends the invocation just before `operation` is sent, or just after it succeeded."""
        label = name or f"{operation}:crash-{'after' if after else 'before'}"
        service = client.meta.service_model.service_id.hyphenize()

        def before(params: dict[str, Any], **_: Any) -> None:
            if self._draw(rate, params, when):
                self.injected[label] += 1
                raise Crash(label)

        def after_call(**kwargs: Any) -> None:
            if self._draw(rate, kwargs.get("params") or {}, when):
                self.injected[label] += 1
                raise Crash(label)

        if after:
            # The request reached the service (moto) and succeeded; the invocation dies before
            # the code sees the answer.
            client.meta.events.register(f"after-call.{service}.{operation}", after_call)
        else:
            client.meta.events.register(f"before-call.{service}.{operation}", before)

    def paused(self) -> _Paused:
        return _Paused(self)

    @property
    def total(self) -> int:
        return sum(self.injected.values())


class _Paused:
    def __init__(self, injector: FaultInjector) -> None:
        self._injector = injector

    def __enter__(self) -> None:
        self._injector._paused = True

    def __exit__(self, *_: object) -> None:
        self._injector._paused = False


def poison(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records no handler can take (a shape the stream never sends): they fail on every attempt."""
    return [
        {**record, "eventName": "TRUNCATE", "dynamodb": {**record["dynamodb"], "SequenceNumber": f"9{index:020d}"}}
        for index, record in enumerate(records)
    ]


@dataclass
class LambdaStream:
    """One stream consumer with the event source mapping's retry behaviour (RETRY_ATTEMPTS)."""

    pump: StreamPump
    handler: Handler
    retries: int
    batch_size: int = 25
    given_up: list[dict[str, Any]] = field(default_factory=list)
    crashes: int = 0

    def _invoke(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records to retry after one invocation: all of them after a crash."""
        try:
            delivery = self.pump.deliver(self.handler, records)
        except Crash:
            self.crashes += 1
            return records
        except BatchProcessingError:
            # Every record of the batch failed: the handler raises, and Lambda retries the whole batch.
            return records
        return delivery.records_to_retry()

    def deliver(self, records: list[dict[str, Any]]) -> None:
        for start in range(0, len(records), self.batch_size):
            batch = records[start : start + self.batch_size]
            for _attempt in range(self.retries + 1):
                batch = self._invoke(batch)
                if not batch:
                    break
            self.given_up.extend(batch)

    def drain(
        self, *, shuffle: random.Random | None = None, duplicate: bool = False, extra: Iterable[dict[str, Any]] = ()
    ) -> None:
        """Delivers until the stream is quiet; optionally reordered and/or every batch twice."""
        pending = list(extra)
        for _round in range(100):
            records = pending + self.pump.poll()
            pending = []
            if not records:
                return
            if shuffle is not None:
                shuffle.shuffle(records)
            self.deliver(records)
            if duplicate:
                self.deliver(records)
        raise RuntimeError("the stream did not become quiet")
