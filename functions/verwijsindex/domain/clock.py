"""Time is injected so every rule can be replayed at any moment (tests, schedules)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_HOUR = timedelta(hours=1)


def _last_sunday_1am_utc(year: int, month: int) -> datetime:
    last = datetime(year, month + 1, 1) - timedelta(days=1)
    return (last - timedelta(days=(last.weekday() - 6) % 7)).replace(hour=1)


def _is_summer_time(utc: datetime) -> bool:
    """EU rule (Directive 2000/84/EC): summer time from the last Sunday of March to the last
    Sunday of October, both at 01:00 UTC."""
    return _last_sunday_1am_utc(utc.year, 3) <= utc < _last_sunday_1am_utc(utc.year, 10)


class EuRuleAmsterdam(tzinfo):
    """Europe/Amsterdam by the EU rule, for a runtime without a time zone database."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return _HOUR
        local = dt.replace(tzinfo=None, fold=0)
        summer = _is_summer_time(local - 2 * _HOUR)
        winter = not _is_summer_time(local - _HOUR)
        if summer and winter:  # the repeated hour in October: fold tells which one
            return _HOUR if dt.fold else 2 * _HOUR
        return 2 * _HOUR if summer else _HOUR

    def dst(self, dt: datetime | None) -> timedelta:
        return self.utcoffset(dt) - _HOUR

    def tzname(self, dt: datetime | None) -> str:
        return "CEST" if self.dst(dt) else "CET"

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        if _is_summer_time(utc):
            return (utc + 2 * _HOUR).replace(tzinfo=self)
        local = utc + _HOUR
        repeated = _is_summer_time(local - 2 * _HOUR)
        return local.replace(tzinfo=self, fold=1 if repeated else 0)


def _amsterdam() -> tzinfo:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # some minimal Lambda images ship no tz database
        return EuRuleAmsterdam()


# Legal days (birthdays, 2-year periods) are Dutch calendar days, not UTC days.
AMSTERDAM = _amsterdam()


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stays where it is put; tests and replayed schedules move it explicitly."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def dutch_day(moment: datetime) -> date:
    """The calendar day in the Netherlands at `moment` (aware datetimes only)."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(AMSTERDAM).date()


_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date) -> str:
    """A day as people in the Netherlands write it in a letter: 3 maart 2027."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
