"""The person registry ports (lookup, statuses, the change feed): the same cases against the in-memory
BRP of the tests and the local run (adapters/brp/fake.py) and against the Haal Centraal adapters,
which ask the BRP served in the specifications' shapes over HTTP (infra/local/haal_centraal.py, the
local run's BRP, holding what each case records). Both answer a recorded person alike, refuse alike,
and list the followed persons who changed alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.support import valid_bsn
from verwijsindex.adapters.brp.fake import FakePersonRegistry, load_sample_families
from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.models import Address, InvestigatedData, RecordSuspension, Youth
from verwijsindex.ports.person_registry import (
    NON_RESIDENTS,
    STATUS_BATCH,
    ChangeFeed,
    PersonRegistry,
    PersonStatus,
    PersonStatuses,
)

TODAY = date(2026, 11, 23)
CHILD, SISTER, FATHER, MOTHER, STRANGER = (valid_bsn(f"9999{n:04d}") for n in (1010, 1020, 1030, 1040, 1050))
AMSTERDAM = Address(
    street="Tulpstraat", house_number="12A-2", postcode="1015AB", city="Amsterdam", municipality_code="0363"
)
ROTTERDAM = Address(
    street="Coolsingel", house_number="40", postcode="3011AD", city="Rotterdam", municipality_code="0599"
)


@dataclass
class Brp:
    persons: PersonRegistry
    statuses: PersonStatuses
    changes: ChangeFeed
    record: Callable[[Youth], None]  # a change in the BRP itself (a birth, a move, a death), made today
    calendar: list[date]  # [today] of the BRP

    def next_day(self) -> date:
        self.calendar[0] += timedelta(days=1)
        return self.calendar[0]


@pytest.fixture(params=["fake", "haal_centraal"])
def brp(request: pytest.FixtureRequest) -> Iterator[Brp]:
    calendar = [TODAY]
    held = FakePersonRegistry(current_day=lambda: calendar[0])
    if request.param == "fake":
        yield Brp(held, held, held, held.add, calendar)
        return
    from infra.local.haal_centraal import BEVRAGEN_PATH, UPDATE_PATH, FakeHaalCentraal
    from verwijsindex.adapters.brp.haal_centraal import HaalCentraalPersonRegistry
    from verwijsindex.adapters.brp.http import ApiKeyAuth, BrpHttp
    from verwijsindex.adapters.brp.update_api import UpdateApiChangeFeed

    served = FakeHaalCentraal(held)
    root = served.start()
    # A patient budget: a loaded machine's slow answer must not become a retry or a failure here.
    http = BrpHttp(auth=ApiKeyAuth(served.api_key), budget_seconds=30.0, attempt_timeout_seconds=15.0)
    registry = HaalCentraalPersonRegistry(root + BEVRAGEN_PATH, http)
    try:
        yield Brp(registry, registry, UpdateApiChangeFeed(root + UPDATE_PATH, http), held.add, calendar)
    finally:
        served.stop()


def person(bsn: str = CHILD, **changes: object) -> Youth:
    values: dict[str, object] = {
        "bsn": bsn,
        "name": "Sem Pieter de Vries",
        "birth_date": date(2012, 8, 30),
        "sex": "M",
        "address": AMSTERDAM,
        "parents": (FATHER, MOTHER),
    }
    return Youth.model_validate({**values, **changes})


def test_a_recorded_person_is_answered_as_recorded_and_an_unknown_one_is_none(brp: Brp) -> None:
    child = person(
        confidential=True,
        under_investigation=(InvestigatedData.BIRTH_DATE, InvestigatedData.ADDRESS),
    )
    brp.record(child)
    brp.record(person(FATHER, name="Pieter de Vries", birth_date=date(1980, 1, 2), parents=()))
    assert brp.persons.lookup(CHILD) == child
    assert brp.persons.lookup(FATHER) == person(FATHER, name="Pieter de Vries", birth_date=date(1980, 1, 2), parents=())
    assert brp.persons.lookup(STRANGER) is None


def test_every_sample_person_of_the_local_run_is_answered_as_described(brp: Brp) -> None:
    sample = [one.person for family in load_sample_families(TODAY) for one in family.people]
    for one in sample:
        brp.record(one)
    assert [brp.persons.lookup(one.bsn) for one in sample] == sample


@pytest.mark.parametrize(
    ("precision", "earliest", "latest"),
    [
        (BirthDatePrecision.MONTH, date(2012, 8, 1), date(2012, 8, 31)),
        (BirthDatePrecision.YEAR, date(2012, 1, 1), date(2012, 12, 31)),
    ],
)
def test_a_partly_known_birth_date_is_answered_as_its_earliest_possible_day(
    brp: Brp, precision: BirthDatePrecision, earliest: date, latest: date
) -> None:
    brp.record(person(birth_date=date(2012, 8, 30), birth_date_precision=precision))
    found = brp.persons.lookup(CHILD)
    assert found is not None
    assert (found.birth_date, found.birth_date_precision, found.latest_birth_date) == (earliest, precision, latest)


def test_a_death_is_answered_as_a_death_dated_safely_when_the_brp_has_no_date(brp: Brp) -> None:
    brp.record(person(death_date=date(2026, 9, 1), suspension=RecordSuspension.DEATH))
    brp.record(person(SISTER, suspension=RecordSuspension.DEATH))  # suspended for death, undated
    dead, undated = brp.persons.lookup(CHILD), brp.persons.lookup(SISTER)
    assert dead is not None and dead.death_date == date(2026, 9, 1)
    assert undated is not None and undated.death_date == undated.birth_date  # the earliest safe day
    statuses = {status.bsn: status for status in brp.statuses.statuses([CHILD, SISTER])}
    assert statuses[CHILD] == PersonStatus(
        bsn=CHILD,
        deceased=True,
        death_date=date(2026, 9, 1),
        municipality="0363",
        suspension=RecordSuspension.DEATH,
        suspended_on=date(2026, 9, 1),
    )
    assert statuses[SISTER].deceased and statuses[SISTER].death_date is None


@pytest.mark.parametrize("suspension", [RecordSuspension.EMIGRATION, RecordSuspension.NON_RESIDENT])
def test_a_person_registered_abroad_has_no_dutch_address_and_the_rni_as_municipality(
    brp: Brp, suspension: RecordSuspension
) -> None:
    brp.record(person(suspension=suspension))
    found = brp.persons.lookup(CHILD)
    assert found is not None and found.address is None and found.suspension is suspension
    (status,) = brp.statuses.statuses([CHILD])
    assert (status.municipality, status.deceased) == (NON_RESIDENTS, False)


def test_statuses_name_where_each_known_person_is_registered_since_when(brp: Brp) -> None:
    brp.record(person())
    brp.record(person(SISTER, address=None))
    assert brp.statuses.statuses([]) == []
    moved_on = brp.next_day()
    brp.record(person(address=ROTTERDAM))  # a move to another municipality
    statuses = {status.bsn: status for status in brp.statuses.statuses([CHILD, STRANGER, SISTER])}
    assert statuses == {
        CHILD: PersonStatus(bsn=CHILD, municipality="0599", registered_since=moved_on),
        SISTER: PersonStatus(bsn=SISTER, municipality=""),
    }
    with pytest.raises(ValueError, match=f"at most {STATUS_BATCH}"):
        brp.statuses.statuses([CHILD] * (STATUS_BATCH + 1))


def test_only_followed_persons_who_changed_are_listed_until_their_follow_ends(brp: Brp) -> None:
    brp.changes.follow(CHILD, TODAY + timedelta(days=3650))
    brp.changes.follow(SISTER, TODAY + timedelta(days=2))
    brp.changes.follow(CHILD, TODAY + timedelta(days=3650))  # placing it again is harmless
    with pytest.raises(ValueError, match="not a valid BSN"):
        brp.changes.follow(CHILD[:-1] + str((int(CHILD[-1]) + 1) % 10), TODAY)
    assert brp.changes.changed_since(TODAY) == []

    changed_on = brp.next_day()
    for bsn in (CHILD, SISTER, STRANGER):  # the stranger is not followed
        brp.record(person(bsn, address=ROTTERDAM))
    assert brp.changes.changed_since(TODAY) == sorted([CHILD, SISTER])
    assert brp.changes.changed_since(changed_on + timedelta(days=1)) == []
    brp.next_day()  # the sister's follow has ended: her change is no longer listed
    assert brp.changes.changed_since(changed_on) == [CHILD]
