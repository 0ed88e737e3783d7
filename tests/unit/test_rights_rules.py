"""Who may ask, by age on the day of receipt, and the 4-week deadline."""

from __future__ import annotations

from datetime import date

import pytest

from verwijsindex.domain.periods import age_on
from verwijsindex.logic.rights import deadline_for, who_may_ask_between
from verwijsindex.logic.rights_schemas import RequestedBy


@pytest.mark.parametrize(
    ("age", "asker"),
    [
        (0, RequestedBy.PARENTS),
        (11, RequestedBy.PARENTS),
        (12, RequestedBy.BOTH),
        (15, RequestedBy.BOTH),
        (16, RequestedBy.YOUTH),
        (22, RequestedBy.YOUTH),
        (30, RequestedBy.YOUTH),
    ],
)
def test_who_may_ask_by_age(age: int, asker: RequestedBy) -> None:
    assert who_may_ask_between(age, age) is asker


def asker_on(born: date, received_on: date) -> RequestedBy:
    age = age_on(born, received_on)
    return who_may_ask_between(age, age)


def test_the_age_that_counts_is_the_one_on_the_day_of_receipt() -> None:
    born = date(2014, 11, 20)
    assert asker_on(born, date(2026, 11, 19)) is RequestedBy.PARENTS
    assert asker_on(born, date(2026, 11, 20)) is RequestedBy.BOTH
    leap = date(2008, 2, 29)
    assert asker_on(leap, date(2024, 2, 28)) is RequestedBy.BOTH  # 15 until the end of 28 Feb
    assert asker_on(leap, date(2024, 2, 29)) is RequestedBy.YOUTH


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (date(2026, 11, 23), date(2026, 12, 21)),
        (date(2026, 12, 15), date(2027, 1, 12)),  # across the year end
        (date(2028, 2, 10), date(2028, 3, 9)),  # across a leap day
    ],
)
def test_the_deadline_is_four_weeks_after_receipt(received: date, deadline: date) -> None:
    assert deadline_for(received) == deadline
