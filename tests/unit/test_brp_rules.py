"""The pure BRP rules: partly unknown birth dates, Retry-After, redaction, the link's settings."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from verwijsindex.adapters.brp.http import redact, retry_after_seconds
from verwijsindex.config import RuntimeConfig
from verwijsindex.domain.birth_dates import (
    BirthDatePrecision,
    latest_birth_date,
    possible_ages,
    whom_to_inform_between,
)
from verwijsindex.domain.periods import InformParty
from verwijsindex.logic.rights import who_may_ask_between
from verwijsindex.logic.rights_schemas import RequestedBy

DAY, MONTH, YEAR = BirthDatePrecision.DAY, BirthDatePrecision.MONTH, BirthDatePrecision.YEAR


@pytest.mark.parametrize(
    ("earliest", "precision", "latest"),
    [
        (date(2010, 5, 17), DAY, date(2010, 5, 17)),
        (date(2012, 2, 1), MONTH, date(2012, 2, 29)),  # a leap year's February
        (date(2011, 2, 1), MONTH, date(2011, 2, 28)),
        (date(2010, 1, 1), YEAR, date(2010, 12, 31)),
    ],
)
def test_the_latest_possible_birth_day(earliest: date, precision: BirthDatePrecision, latest: date) -> None:
    assert latest_birth_date(earliest, precision) == latest


@pytest.mark.parametrize(
    ("earliest", "precision", "day", "ages"),
    [
        (date(2010, 1, 1), YEAR, date(2026, 6, 1), (15, 16)),
        (date(2010, 1, 1), YEAR, date(2026, 12, 31), (16, 16)),
        (date(2010, 5, 1), MONTH, date(2026, 5, 15), (15, 16)),
        (date(2026, 1, 1), YEAR, date(2026, 3, 1), (0, 0)),  # may not be born yet: youngest 0
    ],
)
def test_possible_ages(earliest: date, precision: BirthDatePrecision, day: date, ages: tuple[int, int]) -> None:
    assert possible_ages(earliest, precision, day) == ages


@pytest.mark.parametrize(
    ("youngest", "oldest", "inform", "asker"),
    [
        (11, 11, [InformParty.PARENTS], RequestedBy.PARENTS),
        (11, 12, [InformParty.PARENTS, InformParty.YOUTH], RequestedBy.BOTH),
        (15, 16, [InformParty.PARENTS, InformParty.YOUTH], RequestedBy.BOTH),
        (16, 16, [InformParty.YOUTH], RequestedBy.YOUTH),
    ],
)
def test_an_uncertain_age_informs_and_asks_the_safe_side(
    youngest: int, oldest: int, inform: list[InformParty], asker: RequestedBy
) -> None:
    assert whom_to_inform_between(youngest, oldest) == inform
    assert who_may_ask_between(youngest, oldest) is asker


def test_retry_after_as_seconds_or_a_date() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT", now=lambda: 1792567660.0) == 20.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_nine_digit_runs_are_redacted_and_nothing_else() -> None:
    assert redact("PUT /volgindicaties/999990147 HTTP/1.1 201 1234567890") == (
        "PUT /volgindicaties/<bsn> HTTP/1.1 201 1234567890"
    )


BASE = {
    "TABLE_NAME": "main",
    "AUDIT_TABLE_NAME": "audit",
    "PSEUDONYM_KEY": "k" * 20,
    "NATIONAL_PSEUDONYM_KEY": "n" * 20,
}


def test_the_link_settings_are_complete_or_refused() -> None:
    with pytest.raises(ValidationError, match="BRP_TOKEN_URL"):
        RuntimeConfig.model_validate({**BASE, "BRP_AUTH": "oauth2"})
    with pytest.raises(ValidationError, match="go together"):
        RuntimeConfig.model_validate({**BASE, "BRP_CLIENT_CERTIFICATE_PARAMETER": "/vi/cert"})
    config = RuntimeConfig.model_validate(
        {**BASE, "BRP_AUTH": "oauth2", "BRP_TOKEN_URL": "https://auth/token", "BRP_CLIENT_ID": "vi"}
    )
    assert config.brp_auth == "oauth2" and config.brp_budget_seconds == 8.0
