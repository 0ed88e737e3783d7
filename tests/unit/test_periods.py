from datetime import date

import pytest

from verwijsindex.domain.birth_dates import whom_to_inform_between
from verwijsindex.domain.periods import InformParty, age_on, birthday, years_later


def test_birthday_on_an_ordinary_date() -> None:
    assert birthday(date(2003, 11, 24), 23) == date(2026, 11, 24)


def test_leap_day_birthday_is_reached_on_1_march_in_other_years() -> None:
    assert birthday(date(2004, 2, 29), 23) == date(2027, 3, 1)
    assert birthday(date(2004, 2, 29), 24) == date(2028, 2, 29)


def test_age_the_day_before_and_on_the_birthday() -> None:
    born = date(2003, 11, 24)
    assert age_on(born, date(2026, 11, 23)) == 22  # 22 years and 364 days
    assert age_on(born, date(2026, 11, 24)) == 23


def test_leap_day_child_is_still_22_on_28_february() -> None:
    born = date(2004, 2, 29)
    assert age_on(born, date(2027, 2, 28)) == 22
    assert age_on(born, date(2027, 3, 1)) == 23


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


def test_a_two_year_period_ends_on_the_same_calendar_day() -> None:
    assert years_later(date(2026, 11, 23), 2) == date(2028, 11, 23)


def test_a_period_from_29_february_never_runs_longer_than_the_law_allows() -> None:
    assert years_later(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert years_later(date(2028, 2, 29), 4) == date(2032, 2, 29)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, [InformParty.PARENTS]),
        (11, [InformParty.PARENTS]),
        (12, [InformParty.PARENTS, InformParty.YOUTH]),
        (15, [InformParty.PARENTS, InformParty.YOUTH]),
        (16, [InformParty.YOUTH]),
        (22, [InformParty.YOUTH]),
    ],
)
def test_whom_to_inform_by_age(age: int, expected: list[InformParty]) -> None:
    assert whom_to_inform_between(age, age) == expected
