"""The counts a scheduled run reports as metrics.

A run's report is a dataclass of counts. A count the operator watches (alarms and dashboards in
the stack name it) declares its metric's name where the count is declared, so a new count cannot
be forgotten in a separate table, and a renamed field keeps its metric.
"""

from __future__ import annotations

from dataclasses import field, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

METRIC = "metric"


def counted(metric: str) -> int:
    """A count of a run's report, starting at 0, published as the metric `metric`."""
    count: int = field(default=0, metadata={METRIC: metric})
    return count


def metric_counts(report: DataclassInstance) -> list[tuple[str, int]]:
    """Each count of `report` that names a metric, as (metric, value)."""
    return [(f.metadata[METRIC], getattr(report, f.name)) for f in fields(report) if METRIC in f.metadata]
