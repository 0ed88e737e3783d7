"""`make run`'s speed over a long run: signals placed one after another through the local HTTP server.

Requests per second in the first and in the last tenth of the placements, and their ratio
(target at least 0.8: the cost per request stays flat as the tables, the stream and the outbox
grow). Every tenth youth is signalled by a second organisation too, so matches are made and
e-mailed along the way. Prints figures; asserts nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from tests.support import base_url_of, local_server, valid_bsn  # noqa: E402

PLACEMENTS = int(os.environ.get("BENCH_LOCAL_PLACEMENTS", "2000"))
MATCH_EVERY = 10
TARGET = 0.8


class Client:
    """One kept-alive HTTP connection, as a case system syncing its signals would use."""

    def __init__(self, base_url: str) -> None:
        host, port = base_url.rsplit(":", 1)
        self._connection = http.client.HTTPConnection(host, int(port), timeout=60)

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        self._connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = self._connection.getresponse()
        return response.status, json.loads(response.read() or b"null")


def bsns(count: int) -> list[str]:
    found: list[str] = []
    prefix = 99_950_000
    while len(found) < count:
        bsn = valid_bsn(f"{prefix:08d}")
        if bsn not in found:
            found.append(bsn)
        prefix += 1
    return found


def main() -> None:
    with local_server() as (first_line,):
        client = Client(base_url_of(first_line))
        tokens = {
            org: client.call("POST", "/_local/token", {"sub": sub, "org_id": org, "groups": ["professional"]})[1][
                "token"
            ]
            for org, sub in (("jeugdteam-noord", "pro-noord"), ("ggz-jeugd-west", "pro-west"))
        }
        people = bsns(PLACEMENTS)
        for number, bsn in enumerate(people):
            person = {"bsn": bsn, "name": f"Kind {number}", "birth_date": "2015-06-01", "sex": "O"}
            assert client.call("POST", "/_local/brp/persons", person)[0] == 201

        latencies: list[float] = []
        started = time.perf_counter()
        for number, bsn in enumerate(people):
            begin = time.perf_counter()
            status, body = client.call(
                "POST", "/signals", {"bsn": bsn, "client_reference": f"N-{number}"}, tokens["jeugdteam-noord"]
            )
            latencies.append(time.perf_counter() - begin)
            assert status == 201, body
            if number % MATCH_EVERY == 0:
                body = {"bsn": bsn, "client_reference": f"W-{number}"}
                assert client.call("POST", "/signals", body, tokens["ggz-jeugd-west"])[0] == 201
        elapsed = time.perf_counter() - started
        mails = len(client.call("GET", "/_local/outbox")[1])

    tenth = max(1, PLACEMENTS // 10)
    first, last = latencies[:tenth], latencies[-tenth:]
    first_rate, last_rate = len(first) / sum(first), len(last) / sum(last)
    print(f"{PLACEMENTS} placements through the local HTTP server in {elapsed:.1f} s ({mails} e-mails sent)")
    print(f"  first tenth: {first_rate:6.1f} placements/s, median {statistics.median(first) * 1000:6.1f} ms")
    print(f"  last tenth:  {last_rate:6.1f} placements/s, median {statistics.median(last) * 1000:6.1f} ms")
    p99 = sorted(latencies)[int(len(latencies) * 0.99) - 1]
    print(f"  p99 over the run: {p99 * 1000:.1f} ms")
    print(f"  ratio last / first tenth: {last_rate / first_rate:.2f} (target at least {TARGET})")


if __name__ == "__main__":
    main()
