"""Statistics (managementinformatie, DESIGN.md section 5): counts of the index's use, kept as the
work happens and holding nothing personal.

A *tally* is "add n to counter C of month M for municipality X, organisation O and age band A".
Every counted event adds its tallies in the same transaction as the change it counts, so a
retried step (whose condition then fails) never counts twice. A counter names no youth, signal,
pseudonym or professional, and has no expiry: statistics outlive the signals they count.

Anything that leaves the index shows a count from 1 to 4 as "<5" (`suppress`), so no family can
be singled out; a median is only given over 5 or more matches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from verwijsindex.domain.periods import age_on

SMALL = "<5"
SMALLEST_SHOWN = 5
UNKNOWN = "-"  # a dimension the event does not have (an organisation for a rights request)
# A day count past this (a match coordinated years later) is kept in the last bucket.
MAX_DAYS = 1000
_DAYS_PREFIX = "coordinated_day_"


class Counter(StrEnum):
    """What is counted: signals placed, closed and destroyed (by reason) and expired; client and
    family matches (and those with another region); matches coordinated; rights requests
    answered, by kind, in time or late."""

    PLACED = "placed"
    CLOSED_ENDED = "closed_ended"  # the professional's involvement ended
    CLOSED_OBJECTION = "closed_objection"  # an upheld objection that did not find it unjustified
    EXPIRED = "expired"  # its active period ended
    DESTROYED_UNJUSTIFIED = "destroyed_unjustified"  # withdrawn as unjustified by the professional
    DESTROYED_OBJECTION = "destroyed_objection"  # an upheld objection (unjustified, 23+ or deceased)
    DESTROYED_ARCHIVE_END = "destroyed_archive_end"  # the historic archive period ended
    DESTROYED_AGE_LIMIT = "destroyed_age_limit"  # the youth's 23rd birthday
    DESTROYED_DEATH = "destroyed_death"  # the youth died (BRP)
    MATCH_CLIENT = "match_client"  # every client match recorded here, with another region too
    MATCH_FAMILY = "match_family"
    MATCH_CLIENT_CROSS_REGION = "match_client_cross_region"  # of which with a signal of another region
    MATCH_FAMILY_CROSS_REGION = "match_family_cross_region"
    COORDINATED = "coordinated"  # matches marked afgestemd
    RIGHTS_INZAGE_IN_TIME = "rights_inzage_in_time"
    RIGHTS_INZAGE_LATE = "rights_inzage_late"
    RIGHTS_KOPIE_IN_TIME = "rights_kopie_in_time"
    RIGHTS_KOPIE_LATE = "rights_kopie_late"
    RIGHTS_CORRECTIE_IN_TIME = "rights_correctie_in_time"
    RIGHTS_CORRECTIE_LATE = "rights_correctie_late"
    RIGHTS_BEZWAAR_IN_TIME = "rights_bezwaar_in_time"
    RIGHTS_BEZWAAR_LATE = "rights_bezwaar_late"


# Dutch labels for the portal and the CSV header's second line.
COUNTER_LABELS: dict[Counter, str] = {
    Counter.PLACED: "Signalen geplaatst",
    Counter.CLOSED_ENDED: "Gesloten: betrokkenheid beëindigd",
    Counter.CLOSED_OBJECTION: "Gesloten: bezwaar toegekend",
    Counter.EXPIRED: "Verlopen",
    Counter.DESTROYED_UNJUSTIFIED: "Vernietigd: onterecht ingetrokken",
    Counter.DESTROYED_OBJECTION: "Vernietigd: bezwaar toegekend",
    Counter.DESTROYED_ARCHIVE_END: "Vernietigd: einde bewaartermijn",
    Counter.DESTROYED_AGE_LIMIT: "Vernietigd: 23 jaar geworden",
    Counter.DESTROYED_DEATH: "Vernietigd: overleden",
    Counter.MATCH_CLIENT: "Cliëntmatches",
    Counter.MATCH_FAMILY: "Gezinsmatches",
    Counter.MATCH_CLIENT_CROSS_REGION: "Cliëntmatches met een andere regio",
    Counter.MATCH_FAMILY_CROSS_REGION: "Gezinsmatches met een andere regio",
    Counter.COORDINATED: "Matches afgestemd",
    Counter.RIGHTS_INZAGE_IN_TIME: "Inzage: op tijd beantwoord",
    Counter.RIGHTS_INZAGE_LATE: "Inzage: te laat beantwoord",
    Counter.RIGHTS_KOPIE_IN_TIME: "Kopie: op tijd beantwoord",
    Counter.RIGHTS_KOPIE_LATE: "Kopie: te laat beantwoord",
    Counter.RIGHTS_CORRECTIE_IN_TIME: "Correctie: op tijd beantwoord",
    Counter.RIGHTS_CORRECTIE_LATE: "Correctie: te laat beantwoord",
    Counter.RIGHTS_BEZWAAR_IN_TIME: "Bezwaar: op tijd beantwoord",
    Counter.RIGHTS_BEZWAAR_LATE: "Bezwaar: te laat beantwoord",
}


def rights_counter(kind: str, *, in_time: bool) -> Counter:
    """The counter of a decided rights request of `kind` (inzage, kopie, correctie, bezwaar)."""
    return Counter(f"rights_{kind}_{'in_time' if in_time else 'late'}")


class AgeBand(StrEnum):
    """The youth's age when the signal was placed; bands follow whom the professional informs."""

    UNDER_4 = "0-3"
    FROM_4 = "4-11"
    FROM_12 = "12-15"
    FROM_16 = "16-17"
    FROM_18 = "18-22"


def age_band(birth_date: date, on: date) -> AgeBand:
    age = age_on(birth_date, on)
    if age < 4:
        return AgeBand.UNDER_4
    if age < 12:
        return AgeBand.FROM_4
    if age < 16:
        return AgeBand.FROM_12
    if age < 18:
        return AgeBand.FROM_16
    return AgeBand.FROM_18


class Grouping(StrEnum):
    """How a report's rows are grouped: per month, municipality, organisation or age band."""

    MONTH = "month"
    MUNICIPALITY = "municipality"
    ORGANISATION = "organisation"
    AGE_BAND = "age_band"


class Scope(StrEnum):
    """Whose counts: this region's, or the country's totals (from the national index)."""

    REGION = "region"
    NATIONAL = "national"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def days_bucket(days: int) -> str:
    """The histogram attribute of a match coordinated `days` after it arose."""
    return f"{_DAYS_PREFIX}{min(max(days, 0), MAX_DAYS)}"


def bucket_days(name: str) -> int | None:
    return int(name[len(_DAYS_PREFIX) :]) if name.startswith(_DAYS_PREFIX) else None


@dataclass(frozen=True)
class Dimensions:
    """Where a count belongs: none of these names a person (a CBS municipality code, an
    organisation id, an age band)."""

    municipality: str = UNKNOWN
    org_id: str = UNKNOWN
    age_band: str = UNKNOWN


@dataclass(frozen=True)
class Tally:
    """Add `amounts` (counter or histogram bucket -> n) to one month's counters of `dimensions`."""

    month: str
    dimensions: Dimensions
    amounts: Mapping[str, int]


def tally(day: date, dimensions: Dimensions, counter: Counter, *, days: int | None = None) -> Tally:
    """One event on `day`; `days`: for COORDINATED, the days from match to afgestemd."""
    amounts = {counter.value: 1}
    if days is not None:
        amounts[days_bucket(days)] = 1
    return Tally(month_of(day), dimensions, amounts)


def suppress(count: int) -> int | str:
    """A count as it may leave the index: 1 to 4 become "<5" (0 and 5 up are shown as they are)."""
    return SMALL if 0 < count < SMALLEST_SHOWN else count


def median_days(histogram: Mapping[int, int]) -> float | None:
    """The median of the day counts in `histogram` (days -> matches); None below 5 matches, so a
    median never describes one family's match."""
    total = sum(histogram.values())
    if total < SMALLEST_SHOWN:
        return None
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:  # the n-th smallest (0-based)
        seen = 0
        for days, count in ordered:
            seen += count
            if n < seen:
                return days
        raise AssertionError("n lies beyond the histogram")

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


@dataclass
class Group:
    """The raw (unsuppressed) sums of one group: never leaves the index as it is."""

    key: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Counter, 0))
    days: dict[int, int] = field(default_factory=dict)

    def add(self, amounts: Mapping[str, int]) -> None:
        for name, amount in amounts.items():
            bucket = bucket_days(name)
            if bucket is not None:
                self.days[bucket] = self.days.get(bucket, 0) + amount
            elif name in self.counts:
                self.counts[name] += amount


def group_key(row: Tally, by: Grouping) -> str:
    if by is Grouping.MONTH:
        return row.month
    if by is Grouping.MUNICIPALITY:
        return row.dimensions.municipality
    if by is Grouping.ORGANISATION:
        return row.dimensions.org_id
    return row.dimensions.age_band


def aggregate(rows: Iterable[Tally], by: Grouping) -> tuple[list[Group], Group]:
    """The groups (sorted by key) and the total over all of them."""
    groups: dict[str, Group] = defaultdict(lambda: Group(key=""))
    total = Group(key="total")
    for row in rows:
        key = group_key(row, by)
        group = groups[key]
        group.key = key
        group.add(row.amounts)
        total.add(row.amounts)
    order = [band.value for band in AgeBand]
    if by is Grouping.AGE_BAND:
        ranked = sorted(groups.values(), key=lambda g: order.index(g.key) if g.key in order else len(order))
    else:
        ranked = sorted(groups.values(), key=lambda g: g.key)
    return ranked, total


def national_view(counts: Mapping[str, int]) -> dict[str, int]:
    """The sums over all regions as the country's totals: every region counts its own side of a
    match with another region, so those are halved, and taken out of the matches once."""
    view = dict(counts)
    for kind in ("client", "family"):
        sides = view.get(f"match_{kind}_cross_region", 0)
        view[f"match_{kind}_cross_region"] = sides // 2
        view[f"match_{kind}"] = max(view.get(f"match_{kind}", 0) - (sides - sides // 2), 0)
    return view
