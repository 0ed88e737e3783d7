"""Test helpers shared by unit and integration tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.domain.models import Address, Youth


def valid_bsn(prefix: str) -> str:
    """A BSN passing the elfproef: 8 given digits, the 9th chosen to make it valid."""
    assert len(prefix) == 8 and prefix.isdigit()
    for last in "0123456789":
        if passes_elfproef(prefix + last):
            return prefix + last
    # Some prefixes have no valid last digit; step to the next one.
    return valid_bsn(f"{int(prefix) + 1:08d}")


def youth(
    bsn: str,
    birth_date: date,
    *,
    parents: tuple[str, ...] = (),
    death_date: date | None = None,
    name: str = "Test Jeugdige",
) -> Youth:
    return Youth(
        bsn=bsn,
        name=name,
        birth_date=birth_date,
        sex="O",
        address=Address(
            street="Teststraat", house_number="1", postcode="1234 AB", city="Teststad", municipality_code="0363"
        ),
        parents=parents,
        death_date=death_date,
    )


@dataclass
class HttpResult:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


def all_items(client: Any, table: str) -> list[dict[str, Any]]:
    """Every item of a table, decoded (tests may Scan; functions/ never do)."""
    from verwijsindex.adapters.dynamo.codec import from_item

    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table}
    while True:
        page = client.scan(**kwargs)
        items.extend(from_item(item) for item in page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@contextmanager
def local_server(*args: str, lines: int = 1, env: dict[str, str] | None = None) -> Iterator[list[str]]:
    """`python -m infra.local.server [args]` on free ports, with `env` added to the environment;
    yields its first `lines` lines of output (each names a base URL), and stops it afterwards."""
    env = {**os.environ, **(env or {}), "PORT": "0", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local.server", *args],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = [process.stdout.readline() for _ in range(lines)]
        # Keep reading what the server logs, or it blocks once the pipe is full.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield first
    finally:
        process.terminate()
        process.wait(timeout=10)


def base_url_of(line: str) -> str:
    assert "http://" in line, line
    return line.split("http://", 1)[1].split(maxsplit=1)[0].rstrip("/")


def call(base_url: str, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    """One JSON request to a local server started by `local_server` (status and decoded body)."""
    request = urllib.request.Request(
        f"http://{base_url}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def token(base_url: str, **claims: Any) -> str:
    """A token of the local run for `claims`."""
    status, body = call(base_url, "POST", "/_local/token", claims)
    assert status == 200
    return str(body["token"])
