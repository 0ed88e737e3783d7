"""Pure lifecycle rules: which due days a run reads, and the renewal e-mail."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from verwijsindex.domain.lifecycle import CATCH_UP_DAYS, BrpNotification, RenewalNotice, due_days
from verwijsindex.domain.periods import birthday, years_later
from verwijsindex.logic.emails.renewal import renewal_email


def test_a_first_run_reads_the_catch_up_window() -> None:
    days = due_days(None, date(2027, 3, 1))
    assert len(days) == CATCH_UP_DAYS and days[-1] == date(2027, 3, 1)


def test_a_run_reads_from_the_day_after_the_last_completed_run_when_that_is_earlier() -> None:
    days = due_days(date(2027, 1, 1), date(2027, 3, 1))
    assert days[0] == date(2027, 1, 2) and days[-1] == date(2027, 3, 1) and len(days) == 59


def test_a_rerun_still_reads_the_window_and_never_a_future_day() -> None:
    assert due_days(date(2027, 3, 1), date(2027, 3, 1))[-1] == date(2027, 3, 1)
    assert due_days(date(2027, 3, 5), date(2027, 3, 1))[-1] == date(2027, 3, 1)


def test_boundaries_of_the_periods() -> None:
    assert birthday(date(2004, 2, 29), 23) == date(2027, 3, 1)
    assert birthday(date(2005, 2, 28), 23) == date(2028, 2, 28)
    assert years_later(date(2028, 11, 24), 5) == date(2033, 11, 24)


NOTICE = RenewalNotice(
    signal_id="sig-1",
    youth_key="k" * 64,
    org_id="org-a",
    recipient_name="Anna Aalders",
    recipient_email="anna@org-a.example.org",
    client_reference="A-77",
    active_until=date(2028, 11, 23),
    closed_on=date(2028, 11, 24),
)


def test_the_renewal_email_is_dutch_and_names_only_the_own_reference() -> None:
    message = renewal_email(NOTICE)
    assert message.to == "anna@org-a.example.org"
    assert "A-77" in message.subject and "niet meer actief" in message.subject
    assert "23 november 2028" in message.text and "sig-1" in message.text
    assert "opnieuw signaleren" in message.text
    assert "k" * 64 not in message.text + message.html  # not even the pseudonym
    assert message.tags == {"event": "renewal"}


def test_the_renewal_email_escapes_html() -> None:
    message = renewal_email(NOTICE.model_copy(update={"recipient_name": "A <b>B</b>"}))
    assert "<b>" not in message.html and "&lt;b&gt;" in message.html


@pytest.mark.parametrize(
    "body",
    [
        {"bsn": "999990147", "kind": "birth", "date": "2026-01-01", "municipality": "0363"},
        {"bsn": "999990148", "kind": "death", "date": "2026-01-01", "municipality": "0363"},
        {"bsn": "999990147", "kind": "move", "date": "2026-01-01", "municipality": "363"},
    ],
)
def test_brp_notifications_are_validated(body: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        BrpNotification.model_validate(body)
