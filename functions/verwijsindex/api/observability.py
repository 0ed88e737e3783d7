"""Logger, Tracer and Metrics shared by the Lambdas (one instance each per container).

Powertools' Tracer imports the X-Ray SDK even when tracing is off, which costs every cold start
more than a handler's own code. The tracer here builds it only where traces are kept: in Lambda,
unless POWERTOOLS_TRACE_DISABLED is set (the same rule by which Powertools would disable it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

Handler = TypeVar("Handler", bound=Callable[..., Any])
Result = TypeVar("Result")

_FALSE = {"0", "f", "false", "n", "no", "off", ""}


def traces_kept() -> bool:
    """Inside Lambda (not an emulator) and not switched off with POWERTOOLS_TRACE_DISABLED."""
    disabled = os.getenv("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() not in _FALSE
    emulated = bool(os.getenv("AWS_SAM_LOCAL") or os.getenv("AWS_CHALICE_CLI_MODE"))
    return bool(os.getenv("LAMBDA_TASK_ROOT")) and not disabled and not emulated


class LazyTracer:
    """Decorates handlers like Powertools' Tracer, building it (and importing the X-Ray SDK) only
    when the decorated handler is defined where traces are kept."""

    def __init__(self, service: str) -> None:
        self.service = service
        self._tracer: Tracer | None = None

    @property
    def tracer(self) -> Tracer:
        if self._tracer is None:
            from aws_lambda_powertools import Tracer

            self._tracer = Tracer(service=self.service)
        return self._tracer

    def capture_lambda_handler(self, handler: Handler) -> Handler:
        if not traces_kept():
            return handler
        return cast(Handler, self.tracer.capture_lambda_handler(handler))


# Events are never logged: they carry BSNs. Only what the code logs on purpose reaches CloudWatch.
logger = Logger(service="verwijsindex", log_uncaught_exceptions=False)
tracer = LazyTracer(service="verwijsindex")
metrics = Metrics(namespace="Verwijsindex", service="verwijsindex")


def entry_point(handler: Callable[..., Result]) -> Callable[..., Result]:
    """A function's Lambda handler as every function has it: the invocation's context in each log
    line (never the event), a trace where traces are kept, the metrics flushed when it returns.
    Callable with any context object, as Powertools' decorators are (the local run passes its own)."""
    with_metrics = metrics.log_metrics(handler)
    traced = tracer.capture_lambda_handler(with_metrics)
    return cast(Callable[..., Result], logger.inject_lambda_context(traced, log_event=False))
