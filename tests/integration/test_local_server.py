"""Smoke test: `make run`'s server, started as a process, places a signal over HTTP."""

import concurrent.futures
import http.client
import json
import re
import threading
from collections.abc import Iterator

import pytest

from tests.support import base_url_of, call, local_server, token

pytestmark = pytest.mark.smoke


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with local_server() as (first_line,):
        yield base_url_of(first_line)


def test_a_professional_places_a_signal_over_http(base_url: str) -> None:
    pro = token(base_url, sub="pro-noord", org_id="jeugdteam-noord", groups=["professional"])
    status, body = call(base_url, "POST", "/signals", {"bsn": "999990196", "client_reference": "JTN-1"}, pro)
    assert status == 201, body
    assert body["inform"] == ["parents", "youth"]
    status, page = call(base_url, "GET", "/signals", token=pro)
    assert [item["signal_id"] for item in page["items"]] == [body["signal_id"]]


def test_people_added_to_the_fake_brp_can_be_signalled(base_url: str) -> None:
    person = {"bsn": "999991188", "name": "Nieuw Kind", "birth_date": "2020-01-01", "sex": "V"}
    status, _ = call(base_url, "POST", "/_local/brp/persons", person)
    assert status == 201
    pro = token(base_url, sub="pro-west", org_id="ggz-jeugd-west", groups=["professional"])
    status, body = call(base_url, "POST", "/signals", {"bsn": "999991188", "client_reference": "W-1"}, pro)
    assert status == 201, body


def test_without_a_token_nothing_is_served(base_url: str) -> None:
    status, body = call(base_url, "POST", "/signals", {"bsn": "999990196", "client_reference": "JTN-1"})
    assert status == 401
    assert body["status"] == 401


def test_a_match_is_e_mailed_to_both_professionals(base_url: str) -> None:
    noord = token(base_url, sub="pro-noord", org_id="jeugdteam-noord", groups=["professional"])
    west = token(base_url, sub="pro-west", org_id="ggz-jeugd-west", groups=["professional"])
    assert call(base_url, "POST", "/signals", {"bsn": "999990469", "client_reference": "N-6"}, noord)[0] == 201
    status, body = call(base_url, "POST", "/signals", {"bsn": "999990469", "client_reference": "W-6"}, west)
    assert status == 201, body
    _, outbox = call(base_url, "GET", "/_local/outbox")
    to_noord = [m for m in outbox if m["to"] == ["sanne.smit@jeugdteam-noord.example.org"]]
    to_west = [m for m in outbox if m["to"] == ["bas.bakker@ggz-jeugd-west.example.org"]]
    assert len(to_noord) == len(to_west) == 1
    # The text part as sent, line by line, and the HTML part beside it.
    assert re.search(r"^\s*Naam:\s+Bas Bakker$", to_noord[0]["text"], re.MULTILINE) and "N-6" in to_noord[0]["text"]
    assert "<" not in to_noord[0]["text"] and "Bas Bakker" in to_noord[0]["html"] and "<" in to_noord[0]["html"]
    assert "Sanne Smit" in to_west[0]["text"] and "W-6" in to_west[0]["text"]
    assert all("999990469" not in m["text"] and "Jesse" not in m["text"] for m in outbox)
    _, matches = call(base_url, "GET", f"/signals/{body['signal_id']}/matches", token=west)
    assert matches


def test_after_a_cancelled_transaction_matching_and_e_mail_go_on(base_url: str) -> None:
    # Registering an organisation that exists is a cancelled transaction (409); moto swaps
    # its table for a copy then, and the stream must still be read from the live table.
    operator = token(base_url, sub="operator-1", groups=["operator"])
    organisation = {"org_id": "jeugdteam-noord", "name": "Jeugdteam Noord"}
    assert call(base_url, "POST", "/organisations", organisation, operator)[0] == 409
    noord = token(base_url, sub="pro-noord", org_id="jeugdteam-noord", groups=["professional"])
    west = token(base_url, sub="pro-west", org_id="ggz-jeugd-west", groups=["professional"])
    assert call(base_url, "POST", "/signals", {"bsn": "999990378", "client_reference": "N-409"}, noord)[0] == 201
    assert call(base_url, "POST", "/signals", {"bsn": "999990378", "client_reference": "W-409"}, west)[0] == 201
    _, outbox = call(base_url, "GET", "/_local/outbox")
    assert [m["to"] for m in outbox if "N-409" in m["text"]] == [["sanne.smit@jeugdteam-noord.example.org"]]
    assert [m["to"] for m in outbox if "W-409" in m["text"]] == [["bas.bakker@ggz-jeugd-west.example.org"]]


def test_a_deactivated_professional_gets_no_token_and_their_token_stops_working(base_url: str) -> None:
    operator = token(base_url, sub="operator-1", groups=["operator"])
    contact = {"name": "Lars Leaver", "email": "lars@jeugdteam-noord.example.org", "phone": "050 765 4321"}
    status, _ = call(
        base_url, "POST", "/organisations/jeugdteam-noord/professionals", {"user_id": "pro-lars", **contact}, operator
    )
    assert status == 201
    lars = token(base_url, sub="pro-lars", org_id="jeugdteam-noord", groups=["professional"])
    assert call(base_url, "GET", "/signals", token=lars)[0] == 200
    status, body = call(
        base_url, "POST", "/organisations/jeugdteam-noord/professionals/pro-lars/deactivate", {}, operator
    )
    assert (status, body["professional"]["status"]) == (200, "deactivated")
    assert call(base_url, "GET", "/signals", token=lars)[0] == 403
    status, _ = call(
        base_url, "POST", "/_local/token", {"sub": "pro-lars", "org_id": "jeugdteam-noord", "groups": ["professional"]}
    )
    assert status == 403


def raw(base_url: str, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, str, bytes]:
    """One request as sent, without a client library adding or fixing anything."""
    host, port = base_url.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b'{"bsn": "999990196", "client_reference": "T-1"}'),
        ("application/x-www-form-urlencoded", b"bsn=999990196&client_reference=T-2"),
    ],
)
def test_a_body_that_is_not_json_gets_415_and_places_nothing(base_url: str, content_type: str, body: bytes) -> None:
    pro = token(base_url, sub="pro-west", org_id="ggz-jeugd-west", groups=["professional"])
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {pro}"}
    status, media_type, answer = raw(base_url, "POST", "/signals", body, headers)
    assert status == 415, answer
    assert media_type == "application/problem+json" and json.loads(answer)["status"] == 415
    _, page = call(base_url, "GET", "/signals", token=pro)
    assert all(item["client_reference"] not in {"T-1", "T-2"} for item in page["items"])


def test_a_body_that_is_not_utf_8_gets_a_400_problem(base_url: str) -> None:
    pro = token(base_url, sub="pro-west", org_id="ggz-jeugd-west", groups=["professional"])
    body = '{"bsn": "999990196", "client_reference": "Ä-1"}'.encode("latin-1")
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {pro}"}
    status, media_type, answer = raw(base_url, "POST", "/signals", body, headers)
    assert (status, media_type) == (400, "application/problem+json")
    assert json.loads(answer)["status"] == 400


def test_twenty_parallel_connections_are_all_answered(base_url: str) -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        barrier = threading.Barrier(20)

        def outbox(_: int) -> int:
            barrier.wait()
            return raw(base_url, "GET", "/_local/outbox", None, {})[0]

        assert list(pool.map(outbox, range(20))) == [200] * 20


def test_a_url_of_70_kb_gets_414(base_url: str) -> None:
    status, _, _ = raw(base_url, "GET", "/signals?limit=1&x=" + "a" * 70_000, None, {})
    assert status == 414
