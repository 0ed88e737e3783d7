"""`make run`: a file on this machine imported through `POST /_local/import` (silently matched, no
e-mail), and the region exported again through `POST /_local/export`."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support import base_url_of, local_server

LOTTE = "999990196"  # a sample youth of the local run (13)
ROWS = (
    ("jeugdteam-noord", "Sanne Smit", "sanne.smit@jeugdteam-noord.example.org", "JTN-OUD-1"),
    ("ggz-jeugd-west", "Bas Bakker", "bas.bakker@ggz-jeugd-west.example.org", "W-OUD-1"),
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with local_server() as (first_line,):
        yield base_url_of(first_line)


def call(base_url: str, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://{base_url}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_a_local_file_is_imported_silently_and_exported_again(base_url: str, tmp_path: Path) -> None:
    today = date.fromisoformat(call(base_url, "GET", "/_local/clock")[1]["today"])
    placed = today - timedelta(days=100)
    lines = [
        json.dumps(
            {
                "source_id": reference,
                "bsn": LOTTE,
                "org_id": org,
                "professional_name": name,
                "professional_email": email,
                "professional_phone": "050 123 4567",
                "client_reference": reference,
                "placed_on": placed.isoformat(),
                "active_until": (placed + timedelta(days=365)).isoformat(),
                "status": "active",
            }
        )
        for org, name, email, reference in ROWS
    ]
    source = tmp_path / "signalen.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    status, dry = call(base_url, "POST", "/_local/import", {"path": str(source), "source": "oud", "dry_run": True})
    assert status == 200 and dry["counts"]["valid"] == 2
    status, report = call(base_url, "POST", "/_local/import", {"path": str(source), "source": "oud"})
    assert status == 200 and report["counts"]["imported"] == 2, report
    assert call(base_url, "GET", "/_local/outbox")[1] == []  # matched silently

    claims = {"sub": "pro-west", "org_id": "ggz-jeugd-west", "groups": ["professional"]}
    token = call(base_url, "POST", "/_local/token", claims)[1]["token"]
    west = report["rows"][1]["signal_id"]
    status, matches = call(base_url, "GET", f"/signals/{west}/matches", token=token)
    assert status == 200
    assert [(m["kind"], m["other"]["professional"]["name"]) for m in matches["items"]] == [("client", "Sanne Smit")]

    status, summary = call(base_url, "POST", "/_local/export", {"folder": str(tmp_path / "uit"), "bsns": [LOTTE]})
    assert status == 200 and (summary["signals"], summary["matches"], summary["named_by_bsn"]) == (2, 1, 2)
    exported = [json.loads(line) for line in (tmp_path / "uit" / "signals.jsonl").read_text().splitlines()]
    assert sorted(row["client_reference"] for row in exported) == ["JTN-OUD-1", "W-OUD-1"]
    assert {row["bsn"] for row in exported} == {LOTTE}
