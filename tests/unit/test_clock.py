from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from verwijsindex.domain.clock import EuRuleAmsterdam, FixedClock, dutch_day


def test_the_fallback_zone_agrees_with_the_tz_database_every_hour() -> None:
    reference, fallback = ZoneInfo("Europe/Amsterdam"), EuRuleAmsterdam()
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    while moment < datetime(2031, 1, 1, tzinfo=UTC):
        expected = moment.astimezone(reference)
        got = moment.astimezone(fallback)
        assert (got.replace(tzinfo=None), got.utcoffset()) == (expected.replace(tzinfo=None), expected.utcoffset())
        moment += timedelta(hours=1)


def test_the_dutch_day_turns_at_midnight_in_amsterdam() -> None:
    assert dutch_day(datetime(2026, 11, 23, 22, 59, tzinfo=UTC)) == date(2026, 11, 23)
    assert dutch_day(datetime(2026, 11, 23, 23, 0, tzinfo=UTC)) == date(2026, 11, 24)  # CET, UTC+1
    assert dutch_day(datetime(2026, 6, 1, 22, 0, tzinfo=UTC)) == date(2026, 6, 2)  # CEST, UTC+2


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        dutch_day(datetime(2026, 1, 1))


def test_a_fixed_clock_stays_where_it_is_put() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 1, 1, tzinfo=UTC)


def test_days_are_written_as_in_a_dutch_letter() -> None:
    from verwijsindex.domain.clock import dutch_date

    assert [dutch_date(date(2027, month, 3)) for month in (1, 3, 12)] == [
        "3 januari 2027",
        "3 maart 2027",
        "3 december 2027",
    ]


def test_the_portal_shows_a_moment_as_the_day_it_was_in_the_netherlands() -> None:
    from portal.rendering import dutch_date

    late_on_new_years_eve_utc = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert dutch_date(late_on_new_years_eve_utc) == "1 januari 2027"
    assert dutch_date(None) == ""
