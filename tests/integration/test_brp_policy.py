"""The BRP policy through the API: partly unknown birth dates, suspended records, investigation,
the BRP's failures as problems, following a youth, and the change poller applying what changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import NAMES, NOW, OPERATOR, PRO_A, PRO_B, Invoke
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.birth_dates import BirthDatePrecision
from verwijsindex.domain.clock import FixedClock
from verwijsindex.domain.models import Address, InvestigatedData, RecordSuspension, Youth
from verwijsindex.logic.brp_changes import POLL_JOB
from verwijsindex.ports.person_registry import (
    InvalidParam,
    PersonNotUsable,
    RegistryMisconfigured,
    RegistryUnavailable,
)

pytestmark = pytest.mark.usefixtures("region")

BSN = valid_bsn("11122233")
SISTER = valid_bsn("11122244")
TODAY = NOW.date()


@pytest.fixture
def rights_api(services: wiring.Services) -> Invoke:
    from rights_request.handler import lambda_handler
    from tests.conftest import _invoker

    return _invoker(lambda_handler)


def place(api: Invoke, claims: dict[str, str], bsn: str = BSN) -> Any:
    return api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": "CL-17"})


def partial(birth: date, precision: BirthDatePrecision, **changes: Any) -> Youth:
    return youth(BSN, birth).model_copy(update={"birth_date_precision": precision, **changes})


# --- partly unknown birth dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("earliest", "precision", "inform", "destroy_on"),
    [
        # Born some day in 2014: 11 or 12 today; parents (may be under 16) and youth (may be 12).
        (date(2014, 1, 1), BirthDatePrecision.YEAR, ["parents", "youth"], "2037-01-01"),
        # Born in November 2010: 15 or 16 today; both again, while the youth may be under 16.
        (date(2010, 11, 1), BirthDatePrecision.MONTH, ["parents", "youth"], "2033-11-01"),
        # Born in 2009: certainly 16 or older today; the youth alone.
        (date(2009, 1, 1), BirthDatePrecision.YEAR, ["youth"], "2032-01-01"),
        # Born in December 2016: certainly under 12; the parents alone.
        (date(2016, 12, 1), BirthDatePrecision.MONTH, ["parents"], "2039-12-01"),
    ],
)
def test_partial_birth_dates_inform_the_safe_side_and_destroy_at_the_earliest_23rd_birthday(
    signals_api: Invoke,
    persons: FakePersonRegistry,
    dynamodb: Any,
    earliest: date,
    precision: BirthDatePrecision,
    inform: list[str],
    destroy_on: str,
) -> None:
    persons.add(partial(earliest, precision))
    response = place(signals_api, PRO_A)
    assert response.status == 201, response.text
    assert response.json["inform"] == inform
    [signal] = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"]
    assert signal["destroy_on"] == destroy_on


def test_a_youth_who_may_be_23_already_is_refused_saying_why(signals_api: Invoke, persons: FakePersonRegistry) -> None:
    # Born in 2003: 22 or 23 today. The earliest 23rd birthday (1 January 2026) has passed.
    persons.add(partial(date(2003, 1, 1), BirthDatePrecision.YEAR))
    response = place(signals_api, PRO_A)
    assert response.status == 422
    assert "may be 23 or older" in response.json["detail"]
    assert "only the year of birth" in response.json["detail"]


class _Refusing(FakePersonRegistry):
    """A registry whose every lookup fails the given way."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def lookup(self, bsn: str) -> Youth | None:
        raise self.error


@pytest.fixture
def refusing(services: wiring.Services) -> Iterator[_Refusing]:
    registry = _Refusing(RuntimeError("set by the test"))
    original = services.persons
    services.persons = registry
    for name in ("signals", "rights", "change_feed", "person_statuses"):
        services.__dict__.pop(name, None)
    yield registry
    services.persons = original


def test_an_unknown_birth_date_is_refused_with_422_saying_why(signals_api: Invoke, refusing: _Refusing) -> None:
    refusing.error = PersonNotUsable(
        "the BRP records this person's birth date as unknown, so the age rules cannot be applied"
    )
    response = place(signals_api, PRO_A)
    assert response.status == 422
    assert response.json["errors"] == [{"field": "bsn", "message": refusing.error.reason}]


def test_a_misconfigured_link_is_a_502_that_names_no_bsn(
    signals_api: Invoke, refusing: _Refusing, dynamodb: Any, caplog: pytest.LogCaptureFixture
) -> None:
    refusing.error = RegistryMisconfigured(
        "BRP answered HTTP 400 (paramsValidation)",
        status=400,
        code="paramsValidation",
        invalid_params=[InvalidParam(name="fields[4]", code="fields", reason="niet bestaande veldnaam")],
    )
    response = place(signals_api, PRO_A)
    assert response.status == 502
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "operator has been alerted" in response.json["detail"]
    assert BSN not in response.text
    # The operator's log keeps what the BRP said was wrong.
    [record] = [r for r in caplog.records if r.getMessage() == "person registry link misconfigured"]
    assert record.__dict__["invalid_params"] == [
        {"name": "fields[4]", "code": "fields", "reason": "niet bestaande veldnaam"}
    ]
    assert not [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"]


def test_an_unavailable_brp_is_a_503_with_retry_after(signals_api: Invoke, refusing: _Refusing) -> None:
    refusing.error = RegistryUnavailable("BRP answered HTTP 429; gave up after 1 attempt(s)", retry_after=42.5)
    response = place(signals_api, PRO_A)
    assert response.status == 503
    assert response.headers["Retry-After"] == "43"


# --- suspended records --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suspension", "words"),
    [
        (RecordSuspension.DEATH, "deceased"),
        (RecordSuspension.EMIGRATION, "emigrated"),
        (RecordSuspension.NON_RESIDENT, "non-resident"),
        (RecordSuspension.MINISTERIAL_DECISION, "ministerial decision"),
        (RecordSuspension.UNKNOWN, "no longer keeps"),
    ],
)
def test_a_suspended_record_gets_no_signal(
    signals_api: Invoke, persons: FakePersonRegistry, suspension: RecordSuspension, words: str
) -> None:
    persons.add(youth(BSN, date(2014, 5, 1)).model_copy(update={"suspension": suspension}))
    response = place(signals_api, PRO_A)
    assert response.status == 422
    assert words in response.json["detail"]


# --- investigation in the dossier ----------------------------------------------------------------


def test_the_dossier_shows_data_under_investigation_and_confidentiality(
    signals_api: Invoke, rights_api: Invoke, persons: FakePersonRegistry
) -> None:
    persons.add(
        partial(
            date(2014, 5, 1),
            BirthDatePrecision.MONTH,
            under_investigation=(InvestigatedData.BIRTH_DATE, InvestigatedData.ADDRESS),
            confidential=True,
        )
    )
    assert place(signals_api, PRO_A).status == 201
    created = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"bsn": BSN, "kind": "inzage", "requested_by": "both", "received_on": "2026-11-20"},
    )
    assert created.status == 201, created.text
    request_id = created.json["request_id"]
    granted = rights_api(
        "POST",
        f"/rights-requests/{request_id}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "bsn": BSN, "format": "html"},
    )
    assert granted.status == 200, granted.text
    page = granted.text
    assert "In onderzoek bij de BRP" in page and "geboortedatum, adres" in page
    assert "2014-05 (dag onbekend)" in page
    assert "Geheimhouding" in page


# --- following and the change poller ------------------------------------------------------------


def test_the_first_signal_follows_the_youth_until_its_23rd_birthday(
    signals_api: Invoke, persons: FakePersonRegistry
) -> None:
    persons.add(youth(BSN, date(2014, 5, 1)))
    assert place(signals_api, PRO_A).status == 201
    assert persons.follows == {BSN: date(2037, 5, 1)}
    persons.follows.clear()
    assert place(signals_api, PRO_B).status == 201
    assert persons.follows == {}  # a second signal: the youth is followed already


def test_the_poller_applies_a_death_a_move_and_an_emigration(
    signals_api: Invoke, persons: FakePersonRegistry, services: wiring.Services, clock: FixedClock, dynamodb: Any
) -> None:
    moving, leaving, unheld = valid_bsn("11122255"), valid_bsn("11122266"), valid_bsn("11122277")
    for bsn in (BSN, moving, leaving, unheld):
        persons.add(youth(bsn, date(2014, 5, 1)))
    for bsn in (BSN, moving, leaving):
        assert place(signals_api, PRO_A, bsn).status == 201
    persons.follow(unheld, date(2037, 5, 1))  # followed, but the index holds nothing about it
    poller = services.brp_changes
    assert poller is not None
    first = poller.run(clock.now())
    assert (first.changed, first.deaths, first.moves) == (4, 0, 0)

    clock.moment = NOW + timedelta(days=1)
    persons.add(youth(BSN, date(2014, 5, 1), death_date=date(2026, 11, 23)))
    rotterdam = Address(
        street="Coolsingel", house_number="1", postcode="3011AA", city="Rotterdam", municipality_code="0599"
    )
    persons.add(youth(moving, date(2014, 5, 1)).model_copy(update={"address": rotterdam}))
    persons.add(
        youth(leaving, date(2014, 5, 1)).model_copy(update={"suspension": RecordSuspension.EMIGRATION, "address": None})
    )
    persons.add(youth(unheld, date(2014, 5, 1), death_date=date(2026, 11, 24)))
    report = poller.run(clock.now())
    assert report.since == TODAY - timedelta(days=1)  # the last run's day, and one before it
    assert (report.changed, report.held, report.read) == (4, 3, 3)
    assert (report.deaths, report.moves, report.emigrations) == (1, 1, 1)

    items = all_items(dynamodb, NAMES.main)
    pseudonyms = services.pseudonyms
    assert not [i for i in items if i["PK"] == f"YOUTH#{pseudonyms.regional(BSN)}"]  # destroyed
    markers = {i["youth_key"]: i for i in items if i.get("SK") == "YOUTH"}
    assert markers[pseudonyms.regional(moving)]["municipality"] == "0599"
    assert markers[pseudonyms.regional(leaving)]["municipality"] == "1999"
    assert {i["action"] for i in all_items(dynamodb, NAMES.audit) if i["actor"] == "brp.changes"} == {
        "youth.destroyed",
        "signal.destroyed",
        "youth.moved",
    }

    again = poller.run(clock.now())  # the overlap reads the same changes again: nothing new happens
    assert (again.deaths, again.moves, again.emigrations, again.unchanged) == (0, 0, 0, 2)
    assert [i for i in all_items(dynamodb, NAMES.main) if i.get("PK") == f"JOB#{POLL_JOB}"] != []


def test_a_failing_brp_leaves_the_poller_marker_where_it_was(
    persons: FakePersonRegistry, services: wiring.Services, clock: FixedClock
) -> None:
    poller = services.brp_changes
    assert poller is not None
    poller.run(clock.now())
    before = services.lifecycle_store.last_run(POLL_JOB)

    def down(bsns: Any) -> Any:
        raise RegistryUnavailable("BRP answered HTTP 503; gave up after 3 attempt(s)")

    persons.add(youth(BSN, date(2014, 5, 1)))
    persons.follow(BSN, date(2037, 5, 1))

    def all_held(youth_keys: list[str]) -> set[str]:
        return set(youth_keys)

    services.lifecycle_store.held_youths = all_held  # type: ignore[method-assign]
    persons.statuses = down  # type: ignore[method-assign]
    clock.moment = NOW + timedelta(days=3)
    with pytest.raises(RegistryUnavailable):
        poller.run(clock.now())
    assert services.lifecycle_store.last_run(POLL_JOB) == before
