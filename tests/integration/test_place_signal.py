"""POST /signals through API Gateway events on moto: stored items, audit entries, responses."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import CASE_SYSTEM_A, NAMES, NOW, OPERATOR, PRO_A, PRO_A2, PRO_B, Invoke
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import AMSTERDAM, FixedClock

pytestmark = pytest.mark.usefixtures("region")

BSN = valid_bsn("11122233")


def place(api: Invoke, claims: dict[str, str], bsn: str = BSN, **extra: Any) -> Any:
    return api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": "CL-17", **extra})


def signal_items(dynamodb: Any) -> list[dict[str, Any]]:
    return [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"]


@pytest.fixture
def known(persons: FakePersonRegistry) -> None:
    persons.add(youth(BSN, date(2014, 5, 1), parents=(valid_bsn("20000001"),)))


@pytest.mark.usefixtures("known")
def test_a_placed_signal_is_stored_under_a_pseudonym_with_its_audit_entry(signals_api: Invoke, dynamodb: Any) -> None:
    response = place(signals_api, PRO_A)

    assert response.status == 201, response.text
    body = response.json
    assert body["status"] == "active"
    assert body["active_from"] == "2026-11-23"
    assert body["active_until"] == "2028-11-23"
    assert body["inform"] == ["parents", "youth"]  # the youth is 12

    [signal] = signal_items(dynamodb)
    assert signal["signal_id"] == body["signal_id"]
    assert signal["org_id"] == "org-a"
    assert signal["professional"] == {
        "name": "Anna Aalders",
        "email": "sub-a@org-a.example.org",
        "phone": "+31201234567",
    }
    assert signal["client_reference"] == "CL-17"
    assert signal["destroy_on"] == "2037-05-01"
    assert signal["PK"].startswith("YOUTH#") and len(signal["youth_key"]) == 64
    # Nothing the BRP said is stored: no BSN, name, birth date or parents anywhere.
    everything = repr(all_items(dynamodb, NAMES.main)) + repr(all_items(dynamodb, NAMES.audit))
    for secret in (BSN, "Test Jeugdige", "2014-05-01", valid_bsn("20000001"), "Teststraat"):
        assert secret not in everything

    [entry] = [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.placed"]
    assert entry["actor"] == "sub-a"
    assert entry["actor_org"] == "org-a"
    assert entry["target"] == body["signal_id"]
    assert entry["PK"] == signal["PK"]
    assert entry["at"].startswith("2026-11-23T10:00:00")


@pytest.mark.parametrize(
    ("birth_date", "inform"),
    [
        (date(2014, 11, 24), ["parents"]),  # 11 years, 364 days
        (date(2014, 11, 23), ["parents", "youth"]),  # 12 today
        (date(2010, 11, 24), ["parents", "youth"]),  # 15 years, 364 days
        (date(2010, 11, 23), ["youth"]),  # 16 today
    ],
)
def test_the_response_says_whom_to_inform(
    signals_api: Invoke, persons: FakePersonRegistry, birth_date: date, inform: list[str]
) -> None:
    persons.add(youth(BSN, birth_date))
    assert place(signals_api, PRO_A).json["inform"] == inform


def test_a_youth_of_22_years_and_364_days_can_be_signalled(signals_api: Invoke, persons: FakePersonRegistry) -> None:
    persons.add(youth(BSN, date(2003, 11, 24)))
    response = place(signals_api, PRO_A)
    assert response.status == 201
    assert response.json["inform"] == ["youth"]


def test_on_the_23rd_birthday_nothing_is_stored(
    signals_api: Invoke, persons: FakePersonRegistry, dynamodb: Any
) -> None:
    persons.add(youth(BSN, date(2003, 11, 23)))
    response = place(signals_api, PRO_A)
    assert response.status == 422
    assert response.json["errors"] == [{"field": "bsn", "message": response.json["detail"]}]
    assert "23" in response.json["detail"]
    assert all_items(dynamodb, NAMES.main) == [i for i in all_items(dynamodb, NAMES.main) if i["entity"] != "signal"]
    assert signal_items(dynamodb) == []


@pytest.mark.parametrize(("today", "status"), [(date(2027, 2, 28), 201), (date(2027, 3, 1), 422)])
def test_a_leap_day_child_turns_23_on_1_march(
    signals_api: Invoke, persons: FakePersonRegistry, clock: FixedClock, today: date, status: int
) -> None:
    persons.add(youth(BSN, date(2004, 2, 29)))
    clock.moment = datetime(today.year, today.month, today.day, 9, tzinfo=AMSTERDAM)
    assert place(signals_api, PRO_A).status == status


def test_just_after_midnight_in_amsterdam_is_already_the_next_day(
    signals_api: Invoke, persons: FakePersonRegistry, clock: FixedClock
) -> None:
    # 23:30 UTC on the 23rd is 00:30 on the 24th in Amsterdam: the 23rd birthday has begun.
    persons.add(youth(BSN, date(2003, 11, 24)))
    clock.moment = datetime.fromisoformat("2026-11-23T23:30:00+00:00")
    assert place(signals_api, PRO_A).status == 422


@pytest.mark.usefixtures("known")
@pytest.mark.parametrize(
    ("active_until", "status"),
    [
        ("2028-11-23", 201),  # exactly two years
        ("2027-01-31", 201),  # shorter, the professional's choice
        ("2026-11-23", 201),  # today is the shortest
        ("2028-11-24", 422),  # one day too long
        ("2026-11-22", 422),  # in the past
    ],
)
def test_the_active_period_is_at_most_two_years(
    signals_api: Invoke, dynamodb: Any, active_until: str, status: int
) -> None:
    response = place(signals_api, PRO_A, active_until=active_until)
    assert response.status == status, response.text
    if status == 201:
        assert response.json["active_until"] == active_until
        assert [s["active_until"] for s in signal_items(dynamodb)] == [active_until]
    else:
        assert response.json["errors"][0]["field"] == "active_until"
        assert signal_items(dynamodb) == []


def test_an_unknown_bsn_gives_422_and_stores_nothing(signals_api: Invoke, dynamodb: Any) -> None:
    before = all_items(dynamodb, NAMES.main)
    response = place(signals_api, PRO_A, bsn=valid_bsn("55566677"))
    assert response.status == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json["errors"][0]["field"] == "bsn"
    assert valid_bsn("55566677") not in response.text
    # Only the caller's count of refusals today changed (see test_refusals).
    assert [i for i in all_items(dynamodb, NAMES.main) if i["entity"] != "refusal_count"] == before


@pytest.mark.usefixtures("known")
def test_a_matching_birth_date_is_accepted(signals_api: Invoke, dynamodb: Any) -> None:
    response = place(signals_api, PRO_A, birth_date="2014-05-01")

    assert response.status == 201, response.text
    assert len(signal_items(dynamodb)) == 1
    assert "2014-05-01" not in repr(all_items(dynamodb, NAMES.main))


@pytest.mark.usefixtures("known")
def test_a_wrong_birth_date_and_a_wrong_bsn_get_the_same_answer_and_store_nothing(
    signals_api: Invoke, dynamodb: Any
) -> None:
    wrong_date = place(signals_api, PRO_A, birth_date="2014-05-02")
    wrong_bsn = place(signals_api, PRO_A, bsn=valid_bsn("11122244"), birth_date="2014-05-01")

    assert wrong_date.status == wrong_bsn.status == 422
    assert wrong_date.json == wrong_bsn.json
    assert {e["field"] for e in wrong_date.json["errors"]} == {"bsn", "birth_date"}
    assert signal_items(dynamodb) == []
    assert [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.placed"] == []


@pytest.mark.usefixtures("known")
def test_a_wrong_birth_date_does_not_return_an_existing_signal(signals_api: Invoke) -> None:
    assert place(signals_api, PRO_A).status == 201

    again = place(signals_api, PRO_A, birth_date="2015-05-01")

    assert again.status == 422
    assert "signal_id" not in again.text


def test_a_deceased_youth_cannot_be_signalled(signals_api: Invoke, persons: FakePersonRegistry, dynamodb: Any) -> None:
    persons.add(youth(BSN, date(2012, 1, 1), death_date=date(2026, 11, 1)))
    response = place(signals_api, PRO_A)
    assert response.status == 422
    assert signal_items(dynamodb) == []


@pytest.mark.usefixtures("known")
def test_the_same_professional_gets_the_existing_signal_back(signals_api: Invoke, dynamodb: Any) -> None:
    first = place(signals_api, PRO_A)
    again = place(signals_api, PRO_A)
    assert (first.status, again.status) == (201, 200)
    assert again.json == first.json
    assert len(signal_items(dynamodb)) == 1
    replays = [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.replayed"]
    assert [e["target"] for e in replays] == [first.json["signal_id"]]


@pytest.mark.usefixtures("known")
def test_a_colleague_or_another_organisation_places_a_signal_of_their_own(signals_api: Invoke, dynamodb: Any) -> None:
    ids = {place(signals_api, claims).json["signal_id"] for claims in (PRO_A, PRO_A2, PRO_B)}
    assert len(ids) == 3
    assert {s["org_id"] for s in signal_items(dynamodb)} == {"org-a", "org-b"}


@pytest.mark.usefixtures("known")
def test_a_lost_race_returns_the_winning_signal(
    services: Any, signals_api: Invoke, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second request looked for its active signal before the first one wrote: the guard's
    # conditional write decides.
    first = place(signals_api, PRO_A).json
    store = services.signal_store
    original = store.active_signal_of
    stale: list[None] = [None]

    def first_read_is_stale(youth_key: str, org_id: str, professional_id: str) -> Any:
        return stale.pop() if stale else original(youth_key, org_id, professional_id)

    monkeypatch.setattr(store, "active_signal_of", first_read_is_stale)
    second = place(signals_api, PRO_A)
    assert stale == []  # the stale read happened, so the write met the guard
    assert second.status == 200
    assert second.json["signal_id"] == first["signal_id"]
    assert len(signal_items(dynamodb)) == 1
    assert len([e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.placed"]) == 1


@pytest.mark.usefixtures("known")
def test_an_idempotency_key_replays_the_first_answer(signals_api: Invoke, dynamodb: Any) -> None:
    headers = {"Idempotency-Key": "sync-2026-11-23-0001"}
    first = signals_api(
        "POST", "/signals", claims=PRO_A, headers=headers, body={"bsn": BSN, "client_reference": "CL-17"}
    )
    second = signals_api(
        "POST", "/signals", claims=PRO_A, headers=headers, body={"bsn": BSN, "client_reference": "CL-17"}
    )
    assert (first.status, second.status) == (201, 201)
    assert second.json == first.json
    assert len(signal_items(dynamodb)) == 1
    assert len(all_items(dynamodb, NAMES.idempotency)) == 1
    assert BSN not in repr(all_items(dynamodb, NAMES.idempotency))


@pytest.mark.usefixtures("known")
def test_an_idempotency_key_reused_for_another_request_is_refused(signals_api: Invoke, dynamodb: Any) -> None:
    headers = {"Idempotency-Key": "k-1"}
    assert (
        signals_api(
            "POST", "/signals", claims=PRO_A, headers=headers, body={"bsn": BSN, "client_reference": "CL-17"}
        ).status
        == 201
    )
    reused = signals_api(
        "POST", "/signals", claims=PRO_A, headers=headers, body={"bsn": BSN, "client_reference": "CL-99"}
    )
    assert reused.status == 422
    assert reused.json["errors"][0]["field"] == "Idempotency-Key"
    assert [s["client_reference"] for s in signal_items(dynamodb)] == ["CL-17"]


@pytest.mark.usefixtures("known")
def test_a_case_system_names_the_professional(signals_api: Invoke, dynamodb: Any) -> None:
    professional = {"name": "Dirk Dekker", "email": "Dirk.Dekker@org-a.example.org", "phone": "020-7654321"}
    response = place(signals_api, CASE_SYSTEM_A, professional=professional)
    assert response.status == 201, response.text
    [signal] = signal_items(dynamodb)
    assert signal["org_id"] == "org-a"
    assert signal["professional"]["name"] == "Dirk Dekker"
    assert signal["professional_id"] == "dirk.dekker@org-a.example.org"


@pytest.mark.usefixtures("known")
def test_a_case_system_without_a_professional_is_refused(signals_api: Invoke) -> None:
    response = place(signals_api, CASE_SYSTEM_A)
    assert response.status == 422
    assert response.json["errors"][0]["field"] == "professional"


@pytest.mark.usefixtures("known")
def test_a_user_cannot_claim_to_be_another_professional(signals_api: Invoke, dynamodb: Any) -> None:
    response = place(signals_api, PRO_A, professional={"name": "X", "email": "x@example.org", "phone": "0201234567"})
    assert response.status == 422
    assert response.json["errors"][0]["field"] == "professional"
    assert signal_items(dynamodb) == []


CASE_SYSTEM_PROFESSIONAL = {"name": "D", "email": "d@org-a.example.org", "phone": "0201234567"}


@pytest.mark.usefixtures("known")
@pytest.mark.parametrize(
    ("claims", "professional"),
    [
        (OPERATOR, None),  # the operator manages the region but never signals
        ({"sub": "sub-x", "custom:org_id": "org-x", "cognito:groups": "professional"}, None),  # unregistered org
        ({"sub": "sub-unknown", "custom:org_id": "org-a", "cognito:groups": "professional"}, None),  # unregistered
        (
            {"sub": "cs-x", "client_id": "cs-x", "token_use": "access", "scope": "verwijsindex/signals"},
            CASE_SYSTEM_PROFESSIONAL,
        ),  # a client id no organisation registered
        (
            {"sub": "case-system-a", "client_id": "case-system-a", "token_use": "access", "scope": "other/scope"},
            CASE_SYSTEM_PROFESSIONAL,
        ),  # a registered case system without the signals scope
        (None, None),  # no authorizer context at all
    ],
)
def test_only_registered_professionals_and_case_systems_may_signal(
    signals_api: Invoke, dynamodb: Any, claims: dict[str, str] | None, professional: dict[str, str] | None
) -> None:
    body: dict[str, Any] = {"bsn": BSN, "client_reference": "CL-17"}
    if professional:
        body["professional"] = professional
    response = signals_api("POST", "/signals", claims=claims, body=body)
    assert response.status == 403, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert signal_items(dynamodb) == []


@pytest.mark.usefixtures("known")
def test_a_suspended_organisation_cannot_signal_until_reactivated(signals_api: Invoke, registry_api: Invoke) -> None:
    assert registry_api("POST", "/organisations/org-a/suspend", claims=OPERATOR).json["status"] == "suspended"
    assert place(signals_api, PRO_A).status == 403
    assert registry_api("POST", "/organisations/org-a/reactivate", claims=OPERATOR).json["status"] == "active"
    assert place(signals_api, PRO_A).status == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bsn": BSN, "client_reference": "CL", "reason": "zorgen thuis"}, "reason"),  # no content, ever
        ({"bsn": "123456789", "client_reference": "CL"}, "bsn"),  # fails the elfproef
        ({"client_reference": "CL"}, "bsn"),
        ({"bsn": BSN}, "client_reference"),
        ({"bsn": BSN, "client_reference": "x" * 65}, "client_reference"),
        ({"bsn": BSN, "client_reference": "CL", "active_until": "next year"}, "active_until"),
        (
            {"bsn": BSN, "client_reference": "CL", "professional": {"name": "D", "email": "nope", "phone": "1"}},
            "professional.email",
        ),
    ],
)
@pytest.mark.usefixtures("known")
def test_bad_input_names_the_field_and_changes_nothing(
    signals_api: Invoke, dynamodb: Any, body: dict[str, Any], field: str
) -> None:
    before = all_items(dynamodb, NAMES.main)
    response = signals_api("POST", "/signals", claims=PRO_A, body=body)
    assert response.status == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json
    assert problem["status"] == 422 and problem["title"] and problem["type"] == "about:blank"
    assert field in {e["field"] for e in problem["errors"]}
    assert BSN not in response.text and "123456789" not in response.text
    assert all_items(dynamodb, NAMES.main) == before


def test_a_body_that_is_too_large_is_refused(signals_api: Invoke) -> None:
    response = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": BSN, "client_reference": "x" * 9000})
    assert response.status == 413
    assert response.headers["Content-Type"] == "application/problem+json"


def test_malformed_json_is_a_problem_not_a_crash(signals_api: Invoke) -> None:
    response = signals_api("POST", "/signals", claims=PRO_A, body="{not json")
    assert response.status == 422
    assert response.headers["Content-Type"] == "application/problem+json"


def test_the_clock_decides_the_day(signals_api: Invoke, persons: FakePersonRegistry, clock: FixedClock) -> None:
    persons.add(youth(BSN, date(2014, 5, 1)))
    clock.moment = NOW + timedelta(days=400)
    assert place(signals_api, PRO_A).json["active_from"] == "2027-12-28"


def test_an_unreachable_brp_gives_503_and_stores_nothing(
    signals_api: Invoke, persons: FakePersonRegistry, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verwijsindex.ports.person_registry import PersonRegistryError

    def unreachable(bsn: str) -> None:
        raise PersonRegistryError("BRP answered HTTP 502")

    monkeypatch.setattr(persons, "lookup", unreachable)
    response = place(signals_api, PRO_A)
    assert response.status == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert BSN not in response.text
    assert signal_items(dynamodb) == []


def test_a_form_body_is_refused_without_echoing_it(signals_api: Invoke, dynamodb: Any) -> None:
    response = signals_api(
        "POST",
        "/signals",
        claims=PRO_A,
        body=f"bsn={BSN}&client_reference=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 415
    assert BSN not in response.text
    assert signal_items(dynamodb) == []


def test_an_unknown_key_is_named_only_when_it_is_a_plain_name(signals_api: Invoke) -> None:
    response = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": BSN, "client_reference": "x", BSN: 1})
    assert response.status == 422
    assert BSN not in response.text.replace('"bsn"', "")
    assert "<unknown field>" in {e["field"] for e in response.json["errors"]}
