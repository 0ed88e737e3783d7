"""An in-memory person registry for tests and the local server.

The sample families (sample_families.json) are described relative to the day the registry
is built: "13, next birthday in 99 days", "turns 23 tomorrow". Their birth and death dates are
worked out from that day, so every age rule they show holds on any date. Their BSNs are in
the 9999xxxxx test range, so they can never be real people.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.domain.clock import SystemClock, dutch_day
from verwijsindex.domain.models import RecordSuspension, Youth
from verwijsindex.domain.periods import age_on
from verwijsindex.ports.person_registry import NON_RESIDENTS, STATUS_BATCH, PersonStatus

SAMPLE_FAMILIES_PATH = Path(__file__).with_name("sample_families.json")


class _Sample(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Born(_Sample):
    """A birth date relative to `today`: an age and the days until the next birthday, or
    (on_leap_day) the latest 29 February at least `age` years back."""

    age: int = Field(ge=0, le=120)
    next_birthday_in_days: int | None = Field(default=None, ge=1, le=365)
    on_leap_day: bool = False

    @model_validator(mode="after")
    def _one_way(self) -> Born:
        if self.on_leap_day == (self.next_birthday_in_days is not None):
            raise ValueError("give either next_birthday_in_days or on_leap_day")
        return self

    def birth_date(self, today: date) -> date:
        if self.on_leap_day:
            year = today.year - self.age
            while not _has_leap_day(year) or age_on(date(year, 2, 29), today) < self.age:
                year -= 1
            return date(year, 2, 29)
        assert self.next_birthday_in_days is not None
        next_birthday = today + timedelta(days=self.next_birthday_in_days)
        year = next_birthday.year - self.age - 1
        if next_birthday.month == 2 and next_birthday.day == 29 and not _has_leap_day(year):
            # Nobody born in a common year has a birthday on 29 February: take 1 March,
            # one day later (the person is never older than stated).
            return date(year, 3, 1)
        return next_birthday.replace(year=year)


class SampleEntry(_Sample):
    role: str  # why this person is in the sample; kept out of Youth, which forbids extras
    born: Born
    died_days_ago: int | None = Field(default=None, ge=0)
    person: dict[str, Any]  # the Youth fields other than the dates

    def youth(self, today: date) -> Youth:
        death = None if self.died_days_ago is None else today - timedelta(days=self.died_days_ago)
        return Youth.model_validate({**self.person, "birth_date": self.born.birth_date(today), "death_date": death})


class SamplePerson(_Sample):
    role: str
    person: Youth


class SampleFamily(_Sample):
    label: str
    description: str
    people: tuple[SamplePerson, ...]


class _SampleFamilyFile(_Sample):
    label: str
    description: str
    people: tuple[SampleEntry, ...]


class SampleFile(_Sample):
    description: str
    families: tuple[_SampleFamilyFile, ...]


def load_sample_families(today: date, path: Path = SAMPLE_FAMILIES_PATH) -> tuple[SampleFamily, ...]:
    """The sample families as they are on `today`."""
    return tuple(
        SampleFamily(
            label=family.label,
            description=family.description,
            people=tuple(SamplePerson(role=entry.role, person=entry.youth(today)) for entry in family.people),
        )
        for family in SampleFile.model_validate_json(path.read_bytes()).families
    )


def _has_leap_day(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class FakePersonRegistry:
    """The BRP for tests and the local run: bevragen (lookup, statuses) and the Update API
    (follow, changed_since). `add` is a BRP mutation: it marks the person changed on `today`.

    It answers as the Haal Centraal adapters do (tests/ports/test_person_registry_contract.py holds
    both to the same cases): a lookup gives what the BRP's answer makes of the person `add` recorded,
    and a request the real API refuses (too many persons at once, a malformed BSN) raises here too."""

    def __init__(self, people: Iterable[Youth] = (), current_day: Callable[[], date] | None = None) -> None:
        # The local server handles requests on threads; a lock keeps add and lookup consistent.
        self._lock = threading.Lock()
        self._today = current_day or (lambda: dutch_day(SystemClock().now()))
        self._people: dict[str, Youth] = {person.bsn: person for person in people}
        self._changed_on: dict[str, date] = {}
        self._registered_since: dict[str, date] = {}
        self.follows: dict[str, date] = {}  # BSN -> einddatum of its volgindicatie

    @classmethod
    def with_sample_families(cls, today: date, current_day: Callable[[], date] | None = None) -> FakePersonRegistry:
        """The sample people as they are on `today` (ages and notes hold on any day)."""
        people = (sample.person for family in load_sample_families(today) for sample in family.people)
        return cls(people, current_day)

    def lookup(self, bsn: str) -> Youth | None:
        with self._lock:
            person = self._people.get(bsn)
        return None if person is None else _answered(person)

    def recorded(self, bsn: str) -> Youth | None:
        """The person as `add` recorded them: what the BRP holds, before any answer is made of it."""
        with self._lock:
            return self._people.get(bsn)

    def add(self, youth: Youth) -> None:
        """Add a person, or replace the one with the same BSN (as a BRP mutation would)."""
        with self._lock:
            today = self._today()
            before = self._people.get(youth.bsn)
            if before is not None and _municipality(before) != _municipality(youth):
                self._registered_since[youth.bsn] = today
            self._people[youth.bsn] = youth
            self._changed_on[youth.bsn] = today

    def statuses(self, bsns: Sequence[str]) -> list[PersonStatus]:
        if len(bsns) > STATUS_BATCH:
            raise ValueError(f"at most {STATUS_BATCH} persons per request")
        with self._lock:
            return [self._status(self._people[bsn]) for bsn in bsns if bsn in self._people]

    def _status(self, person: Youth) -> PersonStatus:
        return PersonStatus(
            bsn=person.bsn,
            deceased=person.death_date is not None or person.suspension is RecordSuspension.DEATH,
            death_date=person.death_date,
            municipality=_municipality(person),
            registered_since=self._registered_since.get(person.bsn),
            suspension=person.suspension,
            # A record suspended for a death is suspended on the day of that death.
            suspended_on=person.death_date if person.suspension is RecordSuspension.DEATH else None,
        )

    def registered_since(self, bsn: str) -> date | None:
        """The day `add` moved the person to another municipality, if it did."""
        with self._lock:
            return self._registered_since.get(bsn)

    def follow(self, bsn: str, until: date) -> None:
        if not passes_elfproef(bsn):
            raise ValueError("not a valid BSN")
        with self._lock:
            self.follows[bsn] = until

    def changed_since(self, day: date) -> list[str]:
        """Followed persons changed on or after `day` whose volgindicatie has not ended."""
        with self._lock:
            today = self._today()
            return sorted(
                bsn
                for bsn, changed in self._changed_on.items()
                if changed >= day and bsn in self.follows and self.follows[bsn] > today
            )


_ABROAD = frozenset({RecordSuspension.EMIGRATION, RecordSuspension.NON_RESIDENT})


def _municipality(person: Youth) -> str:
    if person.suspension in _ABROAD:
        return NON_RESIDENTS  # the RNI: registered as living abroad
    return person.address.municipality_code if person.address else ""


def _answered(person: Youth) -> Youth:
    """What the person registry's answer makes of a recorded person (adapters/brp/haal_centraal.py):
    a partly known birth date is its earliest possible day; a death known only from the record's
    suspension is dated at the earliest safe day, the birth date; a person registered abroad has
    no Dutch address."""
    born = person.birth_date
    if person.birth_date_precision is BirthDatePrecision.YEAR:
        born = date(born.year, 1, 1)
    elif person.birth_date_precision is BirthDatePrecision.MONTH:
        born = date(born.year, born.month, 1)
    died = person.death_date
    if died is None and person.suspension is RecordSuspension.DEATH:
        died = born
    address = None if person.suspension in _ABROAD else person.address
    return person.model_copy(update={"birth_date": born, "death_date": died, "address": address})
