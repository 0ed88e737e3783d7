"""The scheduled functions' metrics, as Powertools prints them (CloudWatch's embedded metric format).

The stack's alarms and dashboard name these metrics, so the names are the contract: a count of a
run's report that lost its metric, or a metric published under another name or from another count,
fails here. Each count names its metric where the report declares it (logic/run_reports.py)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from infra.local.events import LocalContext
from tests.conftest import PRO_A, Invoke
from tests.support import valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.api.observability import metrics
from verwijsindex.api.scheduled import reported
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.logic.brp_changes import PollReport
from verwijsindex.logic.lifecycle import RunReport
from verwijsindex.logic.reconciliation import SweepReport

# metric -> the count of the run's report it publishes
LIFECYCLE = {
    "DueItemsRead": "items_read",
    "SignalsClosed": "closed",
    "RenewalEmailsSent": "emails_sent",
    "RenewalEmailsFailed": "emails_failed",
    "RenewalEmailsUndeliverable": "emails_undeliverable",
    "SignalsDestroyed": "signals_destroyed",
    "YouthsDestroyed": "youths_destroyed",
}
BRP_CHANGES = {
    "BrpChangesRead": "read",
    "BrpDeathsApplied": "deaths",
    "BrpMovesApplied": "moves",
    "BrpEmigrationsApplied": "emigrations",
    "BrpSuspendedOther": "suspended_other",
    "BrpPersonsNotFound": "not_found",
}
SWEEP = {
    "WorkOverdue": "overdue",
    "WorkRerun": "rerun",
    "WorkRerunFailed": "failed",
    "NotificationsResent": "resent",
    "WorkStuck": "stuck",
}

KID = valid_bsn("54000001")


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """Metrics switched on (the tests switch them off): returns what was printed since it was last
    asked, as metric -> value."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    metrics.clear_metrics()  # a flush with metrics off leaves them in place
    capsys.readouterr()

    def printed() -> dict[str, float]:
        found: dict[str, float] = {}
        for line in capsys.readouterr().out.splitlines():
            document = json.loads(line) if line.startswith("{") else {}
            for directive in document.get("_aws", {}).get("CloudWatchMetrics", []):
                assert directive["Namespace"] == "Verwijsindex"
                for metric in directive["Metrics"]:
                    [found[metric["Name"]]] = document[metric["Name"]]  # published once per run
        return found

    yield printed
    metrics.clear_metrics()


def numbered(report: Any) -> Any:
    """`report` with every count set to a value of its own (1, 2, 3, ...), so a metric published
    from the wrong count shows."""
    ints = [f.name for f in dataclasses.fields(report) if f.type in ("int", int)]
    return dataclasses.replace(report, **{name: n for n, name in enumerate(ints, start=1)})


@pytest.mark.parametrize(
    ("report", "table"),
    [
        (RunReport(job="expire", today=date(2027, 3, 1)), LIFECYCLE),
        (PollReport(today=date(2027, 3, 1), since=date(2027, 2, 27)), BRP_CHANGES),
        (SweepReport(), SWEEP),
    ],
    ids=["lifecycle", "brp_changes", "sweep"],
)
def test_each_count_of_a_run_is_published_as_its_own_metric(report: Any, table: dict[str, str], published: Any) -> None:
    report = numbered(report)
    result = reported("run done", report)
    metrics.flush_metrics()
    assert published() == {metric: getattr(report, count) for metric, count in table.items()}
    assert result == json.loads(json.dumps(dataclasses.asdict(report), default=str))  # the whole report


def at(day: date) -> datetime:
    return datetime.combine(day, time(1, 15), tzinfo=AMSTERDAM)


@pytest.mark.usefixtures("region", "mailbox")
def test_the_nightly_jobs_publish_their_counts_and_a_heartbeat(
    signals_api: Invoke, persons: FakePersonRegistry, published: Any
) -> None:
    from expire.handler import lambda_handler as expire
    from expire.purge import lambda_handler as purge

    persons.add(youth(KID, date(2015, 6, 1)))
    placed = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": KID, "client_reference": "A-1"})
    assert placed.status == 201 and published() == {"SignalsPlaced": 1}
    day = date.fromisoformat(placed.json["active_until"]) + timedelta(days=1)  # the first day it has expired

    report = expire({"source": "aws.scheduler", "time": at(day).isoformat()}, LocalContext())
    assert report["closed"] == 1 and report["emails_sent"] == 1
    counts = {metric: report[count] for metric, count in LIFECYCLE.items()}
    assert published() == counts | {"ExpireCompleted": 1}

    report = purge({"source": "aws.scheduler", "time": at(day).isoformat()}, LocalContext())
    assert published() == {metric: report[count] for metric, count in LIFECYCLE.items()} | {"PurgeCompleted": 1}


@pytest.mark.usefixtures("region")
def test_the_sweep_and_the_brp_poll_publish_their_counts(published: Any) -> None:
    from brp_changes.handler import lambda_handler as poll
    from sweep.handler import lambda_handler as sweep

    report = sweep({"source": "aws.scheduler"}, LocalContext())
    assert published() == {metric: report[count] for metric, count in SWEEP.items()} | {"SweepCompleted": 1}

    report = poll({"source": "aws.scheduler"}, LocalContext())
    assert published() == {metric: report[count] for metric, count in BRP_CHANGES.items()}
