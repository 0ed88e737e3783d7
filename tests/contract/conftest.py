"""One local run (`make run`'s server, as a process) for the contract tests with third-party tools."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.support import base_url_of, local_server

OPERATOR = {"sub": "operator-1", "groups": ["operator"]}
PROFESSIONAL = {"sub": "pro-noord", "org_id": "jeugdteam-noord", "groups": ["professional"]}
CASE_SYSTEM = {"sub": "casus-jtn", "client_id": "casus-jtn", "scopes": ["verwijsindex/signals"]}


@contextmanager
def local_run() -> Iterator[str]:
    """`make run`'s server in a process of its own, on a free port: its base URL."""
    with local_server() as (first_line,):
        yield "http://" + base_url_of(first_line)


@pytest.fixture(scope="package")
def base_url() -> Iterator[str]:
    with local_run() as url:
        yield url


def local_token(base_url: str, claims: dict[str, Any]) -> str:
    request = urllib.request.Request(
        f"{base_url}/_local/token",
        data=json.dumps(claims).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["token"])
