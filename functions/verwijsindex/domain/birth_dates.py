"""Partly unknown birth dates (the BRP's JaarMaandDatum and JaarDatum), one rule per use.

People born abroad often have only a year and month, or a year, of birth in the BRP. A youth
then has a range of possible birth days, from the earliest to the latest; each rule takes the
end of that range that is safe for the family:

- The 23rd birthday (no new signals from that day, everything destroyed on it) is reached on
  the EARLIEST possible day: a youth is never kept in the index after possibly turning 23.
- Informing: the parents are informed while the youth may still be under 16 (the youngest
  possible age), and the youth from the day it may be 12 (the oldest possible age). Where the
  range crosses 12 or 16 both are informed, which is what the rule asks of anyone 12 to 16.
- Rights requests follow the same ages: the parents ask while the youth may be under 16, the
  youth once it may be 12; both sign where the range crosses a boundary.
- A fully unknown birth date (DatumOnbekend) gives no age at all: a signal or a rights request
  is refused (422) with that reason, since no age rule can be applied.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from verwijsindex.domain.periods import InformParty, age_on


class BirthDatePrecision(StrEnum):
    DAY = "day"  # Datum
    MONTH = "month"  # JaarMaandDatum: the day is unknown
    YEAR = "year"  # JaarDatum: month and day are unknown


def latest_birth_date(earliest: date, precision: BirthDatePrecision) -> date:
    """The last day a youth whose earliest possible birth day is `earliest` can have been born."""
    if precision is BirthDatePrecision.YEAR:
        return date(earliest.year, 12, 31)
    if precision is BirthDatePrecision.MONTH:
        return date(earliest.year, earliest.month, calendar.monthrange(earliest.year, earliest.month)[1])
    return earliest


def possible_ages(earliest: date, precision: BirthDatePrecision, day: date) -> tuple[int, int]:
    """(youngest, oldest) age the youth can have on `day`; `day` is not before `earliest`."""
    latest = latest_birth_date(earliest, precision)
    youngest = age_on(latest, day) if day >= latest else 0
    return youngest, age_on(earliest, day)


def whom_to_inform_between(youngest: int, oldest: int) -> list[InformParty]:
    """Parents while the youth may be under 16; the youth once it may be 12 (DESIGN.md, Informing)."""
    parties = []
    if youngest < 16:
        parties.append(InformParty.PARENTS)
    if oldest >= 12:
        parties.append(InformParty.YOUTH)
    return parties


def precision_words(precision: BirthDatePrecision) -> str:
    """How a refusal explains the uncertainty (English, like every API message)."""
    if precision is BirthDatePrecision.YEAR:
        return "the BRP knows only the year of birth"
    if precision is BirthDatePrecision.MONTH:
        return "the BRP knows only the year and month of birth"
    return "the BRP knows the birth date"
