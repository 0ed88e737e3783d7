"""Ages and legal periods in whole calendar years.

Two different leap-day rules apply, each on the safe side of its law:
- an age is reached on the anniversary; someone born on 29 February completes the
  year at the end of 28 February, so is one year older from 1 March in other years;
- a maximum period ("at most 2 years") ending on a 29 February that does not exist
  ends on 28 February, so it is never longer than the law allows.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


def _is_leap_day_missing(day: date, years: int) -> bool:
    return day.month == 2 and day.day == 29 and not _is_leap(day.year + years)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthday(birth_date: date, age: int) -> date:
    """The day on which someone born on `birth_date` reaches `age`."""
    if _is_leap_day_missing(birth_date, age):
        return date(birth_date.year + age, 3, 1)
    return birth_date.replace(year=birth_date.year + age)


def years_later(start: date, years: int) -> date:
    """The last day of a period of `years` years starting on `start` (never too long)."""
    if _is_leap_day_missing(start, years):
        return date(start.year + years, 2, 28)
    return start.replace(year=start.year + years)


def age_on(birth_date: date, day: date) -> int:
    if day < birth_date:
        raise ValueError("day is before the birth date")
    age = day.year - birth_date.year
    return age if day >= birthday(birth_date, age) else age - 1


class InformParty(StrEnum):
    PARENTS = "parents"
    YOUTH = "youth"
