from datetime import UTC, date, datetime, timedelta

import pytest

from infra.local.clock import LocalClock
from verwijsindex.domain.clock import AMSTERDAM


class Machine:
    """The machine's clock, moved by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def test_without_a_day_the_run_reads_the_machines_time() -> None:
    machine = Machine(datetime(2029, 7, 1, 8, 0, tzinfo=UTC))
    clock = LocalClock.starting_on(None, machine)
    assert clock.now() == machine.moment
    assert clock.today() == date(2029, 7, 1)


def test_a_pinned_day_keeps_the_time_of_day_and_ticks_on() -> None:
    machine = Machine(datetime(2031, 1, 5, 22, 30, tzinfo=UTC))  # 23:30 in Amsterdam
    clock = LocalClock.starting_on("2026-11-23", machine)
    assert clock.now().astimezone(AMSTERDAM).replace(tzinfo=None) == datetime(2026, 11, 23, 23, 30)
    machine.moment += timedelta(minutes=45)
    assert clock.today() == date(2026, 11, 24)  # midnight passed in the run, as on the machine


def test_moving_to_a_moment_or_a_day() -> None:
    machine = Machine(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    clock = LocalClock(machine)
    clock.move_to(datetime(2028, 11, 24, 1, 15))  # a bare time is Dutch time
    assert clock.now() == datetime(2028, 11, 24, 1, 15, tzinfo=AMSTERDAM)
    clock.move_to_day(date(2027, 3, 1))
    assert clock.now() == datetime(2027, 3, 1, 1, 15, tzinfo=AMSTERDAM)


def test_a_day_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(ValueError):
        LocalClock.starting_on("23-11-2026")
