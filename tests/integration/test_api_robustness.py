"""What a fuzzer tries on the API: media types, deep nesting, duplicates, wrong methods, messages,
and the order and opacity of the signal list's pages."""

from __future__ import annotations

import base64
import binascii
import contextlib
from datetime import timedelta

import pytest

from tests.conftest import CASE_SYSTEM_A, OPERATOR, PRO_A, PRO_B, Invoke
from tests.support import valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock


@pytest.fixture
def three_youths(persons: FakePersonRegistry, clock: FixedClock) -> list[str]:
    bsns = [valid_bsn(f"9999{n}5{n}0") for n in range(3)]
    for bsn in bsns:
        persons.add(youth(bsn, clock.now().date() - timedelta(days=365 * 10)))
    return bsns


def test_media_types_are_compared_case_insensitively(
    signals_api: Invoke, region: None, three_youths: list[str]
) -> None:
    placed = signals_api(
        "POST",
        "/signals",
        claims=PRO_A,
        body={"bsn": three_youths[0], "client_reference": "A-1"},
        headers={"Content-Type": "APPLICATION/JSON; Charset=UTF-8"},
    )
    assert placed.status == 201, placed.text


# Without an identity the access check answers first (403, nothing parsed); with one the depth
# bound does. Neither reaches the JSON parser's recursion.
@pytest.mark.parametrize(("claims", "status"), [(None, 403), (PRO_A, 400)], ids=["no token", "professional"])
def test_deeply_nested_json_is_refused_before_it_is_parsed(
    signals_api: Invoke, region: None, claims: dict[str, str] | None, status: int
) -> None:
    for body in ("[" * 1000 + "]" * 1000, '{"bsn":' * 600 + "1" + "}" * 600):
        refused = signals_api("POST", "/signals", claims=claims, body=body)
        assert refused.status == status, refused.text
        assert refused.headers["Content-Type"] == "application/problem+json"
        if status == 400:
            assert "nested" in refused.json["detail"]


def test_ordinary_nesting_is_still_parsed(signals_api: Invoke, region: None, three_youths: list[str]) -> None:
    body = {
        "bsn": three_youths[0],
        "client_reference": "A-1",
        "professional": {"name": "Dirk Dekker", "email": "dirk@org-a.example.org", "phone": "050-1234567"},
    }
    placed = signals_api("POST", "/signals", claims=CASE_SYSTEM_A, body=body)
    assert placed.status == 201, placed.text


def test_duplicate_case_systems_are_refused_and_nothing_is_stored(registry_api: Invoke, region: None) -> None:
    refused = registry_api(
        "POST",
        "/organisations",
        claims=OPERATOR,
        body={"org_id": "org-z", "name": "Organisatie Z", "machine_clients": ["cs-z", "cs-z"]},
    )
    assert refused.status == 422, refused.text
    assert [e["field"] for e in refused.json["errors"]] == ["machine_clients"]
    listed = registry_api("GET", "/organisations", claims=OPERATOR)
    assert "org-z" not in {o["org_id"] for o in listed.json}


def test_validation_messages_do_not_start_with_the_library_prefix(signals_api: Invoke, region: None) -> None:
    refused = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": "123456789", "client_reference": "X"})
    assert refused.status == 422
    (error,) = refused.json["errors"]
    assert error["field"] == "bsn"
    assert error["message"].startswith("not a valid BSN"), error


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/signals", "GET, POST"),
        ("DELETE", "/signals/abc-1", "GET"),
        ("PATCH", "/signals/abc-1/close", "POST"),
        ("GET", "/matches/m-1/coordinated", "POST"),
    ],
)
def test_another_method_on_a_known_path_is_405_with_allow(
    signals_api: Invoke, region: None, method: str, path: str, allow: str
) -> None:
    refused = signals_api(method, path, claims=PRO_A, body={} if method != "GET" else None)
    assert refused.status == 405, refused.text
    assert refused.headers["Allow"] == allow
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json["status"] == 405


def test_an_unknown_path_is_still_404(signals_api: Invoke, region: None) -> None:
    assert signals_api("GET", "/signals/abc-1/nothing", claims=PRO_A).status == 404


def _place_three(signals_api: Invoke, clock: FixedClock, bsns: list[str]) -> list[str]:
    ids = []
    for n, bsn in enumerate(bsns):
        placed = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": bsn, "client_reference": f"A-{n}"})
        assert placed.status == 201, placed.text
        ids.append(placed.json["signal_id"])
        clock.moment += timedelta(seconds=1)
    return ids


def test_signals_are_listed_newest_first_across_pages(
    signals_api: Invoke, region: None, clock: FixedClock, three_youths: list[str]
) -> None:
    ids = _place_three(signals_api, clock, three_youths)
    first = signals_api("GET", "/signals", claims=PRO_A, query={"limit": "2"}).json
    second = signals_api("GET", "/signals", claims=PRO_A, query={"limit": "2", "cursor": first["next_cursor"]}).json
    assert [s["signal_id"] for s in first["items"] + second["items"]] == list(reversed(ids))


def _decodings(cursor: str) -> list[bytes]:
    found = [cursor.encode()]
    for decode in (base64.urlsafe_b64decode, base64.b64decode):
        with contextlib.suppress(ValueError, binascii.Error):
            found.append(decode(cursor + "=" * (-len(cursor) % 4)))
    return found


def test_a_cursor_reveals_no_key_and_no_pseudonym(
    signals_api: Invoke, region: None, clock: FixedClock, three_youths: list[str], services: wiring.Services
) -> None:
    ids = _place_three(signals_api, clock, three_youths)
    cursor = signals_api("GET", "/signals", claims=PRO_A, query={"limit": "1"}).json["next_cursor"]
    secrets_ = [services.pseudonyms.regional(bsn) for bsn in three_youths] + ids + ["SIGNAL#", "YOUTH#", "org-a"]
    for decoded in _decodings(cursor):
        text = decoded.decode("latin-1")
        for secret in secrets_:
            assert secret not in text


def test_a_cursor_is_bound_to_its_organisation_and_cannot_be_altered(
    signals_api: Invoke, region: None, clock: FixedClock, three_youths: list[str]
) -> None:
    _place_three(signals_api, clock, three_youths)
    cursor = signals_api("GET", "/signals", claims=PRO_A, query={"limit": "1"}).json["next_cursor"]
    elsewhere = signals_api("GET", "/signals", claims=PRO_B, query={"cursor": cursor})
    assert elsewhere.status == 422
    assert [e["field"] for e in elsewhere.json["errors"]] == ["cursor"]
    flipped = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    altered = signals_api("GET", "/signals", claims=PRO_A, query={"cursor": flipped})
    assert altered.status == 422
    same = signals_api("GET", "/signals", claims=CASE_SYSTEM_A, query={"cursor": cursor})
    assert same.status == 200, same.text


def test_a_rights_cursor_is_opaque_too(services: wiring.Services) -> None:
    last_key = {"PK": {"S": "RIGHTS#r-1"}, "SK": {"S": "RIGHTS"}, "GSI1PK": {"S": "RIGHTS"}, "GSI1SK": {"S": "x#r-1"}}
    cursor = services.cursors.seal(last_key, scope="RIGHTS")
    assert cursor is not None
    assert all(b"RIGHTS" not in d and b"r-1" not in d for d in _decodings(cursor))
    assert services.cursors.open(cursor, scope="RIGHTS") == last_key
