"""The daily lifecycle jobs (logic/lifecycle.py) on the in-memory fakes: which days a run reads, what it
closes and when, and the renewal e-mail a refused send leaves for the next run. No moto: the fakes are
held to the table's contract in tests/ports/test_lifecycle_contract.py.

On the table, through the scheduled handlers, the stream and the API: tests/integration/test_lifecycle.py.
"""

from __future__ import annotations

from datetime import date, datetime, time

from tests.fakes.index import FakeIndex
from tests.fakes.lifecycle import FakeLifecycleStore
from tests.fakes.mail import FakeMailer
from tests.fakes.matches import FakeMatchStore
from tests.fakes.signals import FakeSignalStore
from tests.fakes.youth_partitions import FakeYouthPartitions
from tests.ports.samples import entry, signal
from verwijsindex.adapters.pseudonym import Pseudonymiser
from verwijsindex.domain.clock import AMSTERDAM, FixedClock
from verwijsindex.domain.lifecycle import DueKind
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.logic.lifecycle import EXPIRE_JOB, LifecycleService, RunReport
from verwijsindex.ports.mail import MailerError
from verwijsindex.ports.signals import Placement

PROFESSIONALS = ("anna@org-a.example.org", "bram@org-a.example.org", "carla@org-a.example.org")


def at(day: date) -> datetime:
    """The nightly schedule's moment (01:15 Dutch time) on `day`."""
    return datetime.combine(day, time(1, 15), tzinfo=AMSTERDAM)


class Region:
    def __init__(self) -> None:
        self.index = FakeIndex()
        self.signals = FakeSignalStore(self.index)
        self.store = FakeLifecycleStore(self.index)
        self.mailer = FakeMailer()
        self.service = LifecycleService(
            store=self.store,
            matches=FakeMatchStore(self.index),
            partitions=FakeYouthPartitions(self.index),
            mailer=self.mailer,
            pseudonyms=Pseudonymiser(lambda: b"r" * 32, lambda: b"n" * 32),
            settings=RegionSettings(),
            clock=FixedClock(at(date(2026, 11, 23))),
        )

    def place(self, n: int, active_until: date) -> str:
        placed = signal(f"s-{n}", professional_id=PROFESSIONALS[n], active_until=active_until)
        assert self.signals.create(Placement(signal=placed, audit=entry(placed.signal_id)))
        return placed.signal_id

    def run(self, day: date) -> RunReport:
        return self.service.expire(at(day))

    def closed_on(self) -> dict[str, date | None]:
        return {s.signal_id: s.closed_on for s in self.signals.youth_signals("y" * 64)}


def test_a_signal_is_active_through_its_last_day_and_closed_on_the_next_run() -> None:
    region = Region()
    region.place(0, date(2027, 6, 30))
    assert region.run(date(2027, 6, 30)).closed == 0
    assert region.mailer.sent == []
    report = region.run(date(2027, 7, 1))
    assert (report.closed, report.emails_sent) == (1, 1)
    assert region.closed_on() == {"s-0": date(2027, 7, 1)}
    [mail] = region.mailer.sent
    assert mail.to == PROFESSIONALS[0] and "s-0" in mail.text


def test_a_missed_week_is_caught_up_and_each_archive_counts_from_its_own_closing() -> None:
    region = Region()
    for n, last_day in enumerate((date(2027, 1, 1), date(2027, 1, 3), date(2027, 1, 6))):
        region.place(n, last_day)
    assert region.run(date(2027, 1, 1)).closed == 0  # the last run before the outage
    report = region.run(date(2027, 1, 8))  # a week later
    assert (report.closed, report.emails_sent) == (3, 3)
    assert region.closed_on() == {"s-0": date(2027, 1, 2), "s-1": date(2027, 1, 4), "s-2": date(2027, 1, 7)}
    for signal_id, day in (("s-0", date(2032, 1, 2)), ("s-1", date(2032, 1, 4)), ("s-2", date(2032, 1, 7))):
        assert [item.signal().signal_id for item in region.store.due(day, DueKind.ARCHIVE)] == [signal_id]


def test_a_month_long_outage_is_caught_up_from_the_last_run() -> None:
    region = Region()
    region.place(0, date(2027, 1, 10))
    region.run(date(2027, 1, 1))
    report = region.run(date(2027, 3, 1))  # 59 days later: beyond the 14-day window
    assert (report.days_read, report.closed) == (59, 1)
    assert region.closed_on() == {"s-0": date(2027, 1, 11)}
    assert region.store.last_run(EXPIRE_JOB) == date(2027, 3, 1)


def test_a_refused_email_is_sent_once_by_the_next_run() -> None:
    region = Region()
    region.place(0, date(2027, 6, 30))
    region.mailer.refuse = MailerError("SES refused the message: MessageRejected")
    report = region.run(date(2027, 7, 1))
    assert (report.closed, report.emails_failed) == (1, 1) and region.mailer.sent == []
    region.mailer.refuse = None
    assert region.run(date(2027, 7, 2)).emails_sent == 1
    assert region.run(date(2027, 7, 3)).emails_sent == 0
    assert len(region.mailer.sent) == 1
    assert region.store.due(date(2027, 7, 1), DueKind.RENEWAL) == []  # sent: out of the due index
