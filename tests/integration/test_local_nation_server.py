"""Smoke test: `make run-nation` starts North and South with the national index in one process."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_local_server import call, token

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.smoke


@pytest.fixture(scope="module")
def regions() -> Iterator[dict[str, str]]:
    env = {**os.environ, "PORT": "0", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local.server", "--nation"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        urls: dict[str, str] = {}
        for _ in range(2):
            line = process.stdout.readline()
            assert "http://" in line, line
            urls[line.split()[1]] = line.split("http://", 1)[1].split()[0].rstrip("/")
        yield urls
    finally:
        process.terminate()
        process.wait(timeout=10)


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
