"""Smoke test: `make run-nation` starts North and South with the national index in one process."""

from collections.abc import Iterator

import pytest

from tests.support import base_url_of, call, local_server, token

pytestmark = pytest.mark.smoke


@pytest.fixture(scope="module")
def regions() -> Iterator[dict[str, str]]:
    with local_server("--nation", lines=2) as lines:
        yield {line.split()[1]: base_url_of(line) for line in lines}  # "Verwijsindex Noord (...) on http://..."


def test_a_youth_signalled_in_north_and_south_is_a_match_in_both(regions: dict[str, str]) -> None:
    north, south = regions["Noord"], regions["Zuid"]
    noord = token(north, sub="pro-noord", org_id="jeugdteam-noord", groups=["professional"])
    zuid = token(south, sub="pro-zuid", org_id="wijkteam-zuid", groups=["professional"])
    assert call(north, "POST", "/signals", {"bsn": "999990147", "client_reference": "N-1"}, noord)[0] == 201
    status, body = call(south, "POST", "/signals", {"bsn": "999990147", "client_reference": "Z-1"}, zuid)
    assert status == 201, body

    _, north_outbox = call(north, "GET", "/_local/outbox")
    _, south_outbox = call(south, "GET", "/_local/outbox")
    assert [m["to"] for m in north_outbox] == [["sanne.smit@jeugdteam-noord.example.org"]]
    assert [m["to"] for m in south_outbox] == [["rik.degroot@wijkteam-zuid.example.org"]]
    assert "Rik de Groot" in north_outbox[0]["text"] and "Zuid" in north_outbox[0]["text"]
    assert "Sanne Smit" in south_outbox[0]["text"] and "Noord" in south_outbox[0]["text"]
    assert all("999990147" not in m["text"] for m in north_outbox + south_outbox)
