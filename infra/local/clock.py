"""The local run's own clock: the machine's time, shifted to a chosen day and movable.

`VI_TODAY=YYYY-MM-DD` starts the run on that Dutch calendar day at the machine's time of
day; from there it ticks on. `POST /_local/clock` moves it (to replay a birthday, an expiry).
Every handler of the run reads this clock, so the run answers the same on any real date.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from verwijsindex.domain.clock import AMSTERDAM, dutch_day

TODAY_SETTING = "VI_TODAY"


def _machine_now() -> datetime:
    return datetime.now(UTC)


class LocalClock:
    def __init__(self, machine: Callable[[], datetime] = _machine_now) -> None:
        self._machine = machine
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    @classmethod
    def starting_on(cls, today: str | None, machine: Callable[[], datetime] = _machine_now) -> LocalClock:
        """A clock on `today` (ISO date; None or empty: the machine's own day)."""
        clock = cls(machine)
        if today:
            clock.move_to_day(date.fromisoformat(today))
        return clock

    def now(self) -> datetime:
        with self._lock:
            return self._machine() + self._offset

    def today(self) -> date:
        return dutch_day(self.now())

    def move_to(self, moment: datetime) -> None:
        """From now on the clock reads `moment` (a bare time is Dutch time) and ticks on."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)
        with self._lock:
            self._offset = aware - self._machine()

    def move_to_day(self, day: date) -> None:
        """The same time of day (Dutch time), on `day`."""
        now = self.now().astimezone(AMSTERDAM)
        self.move_to(datetime.combine(day, now.time().replace(tzinfo=None), tzinfo=AMSTERDAM))
