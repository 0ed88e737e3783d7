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
