"""The README's curl walk-through, run as written against `make run`'s server."""

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import base_url_of, local_server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.smoke, pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")]


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Walk-through with curl", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def start_command(script: str) -> tuple[dict[str, str], str]:
    """The settings and the rest of the walk-through's first line, `[NAME=value ...] make run &`."""
    first = script.split("\n", 1)[0].split("#", 1)[0].strip()
    words = shlex.split(first)
    settings = dict(word.split("=", 1) for word in words if "=" in word)
    assert words[len(settings) :] == ["make", "run", "&"], first
    return settings, script.split("\n", 1)[1]


@pytest.fixture(scope="module")
def started() -> Iterator[tuple[str, str]]:
    """The server started as the walk-through's first line says; its base URL and the rest."""
    settings, rest = start_command(walkthrough())
    with local_server(env=settings) as (first_line,):
        yield base_url_of(first_line), rest


def test_the_walkthrough_pins_the_day_so_its_answers_hold_on_any_date() -> None:
    settings, _ = start_command(walkthrough())
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", settings.get("VI_TODAY", "")), settings


def test_the_walkthrough_answers_as_the_readme_says(started: tuple[str, str]) -> None:
    base_url, script = started
    script = script.replace("B=http://127.0.0.1:8000", f"B=http://{base_url}", 1)
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr + out
    assert '"inform":["parents","youth"]' in out  # Lotte, 13
    today = start_command(walkthrough())[0]["VI_TODAY"]
    assert f'"active_from":"{today}"' in out  # the run's clock, not the machine's
    assert re.search(r'"signal_id":"[^"]+","status":"active".* 200\n', out)  # the same signal again
    assert '"status":422' in out and '"field":"bsn"' in out and '"field":"why"' in out
    assert "123456789" not in out  # the rejected BSN is not echoed
    assert '"detail":"no such signal"} 404\n' in out  # another organisation cannot read the signal
    assert '"detail":"You are not allowed to do this."} 403\n' in out  # the suspended organisation
    assert '"status":"suspended"' in out and '"status":"active","machine_clients"' in out
    assert '"org_id":"veilig-thuis"' in out and '"user_id":"pro-vt"' in out
    assert '"kind":"client"' in out and '"kind":"family"' in out
    assert '"kind":"client","status":"coordinated"' in out
    assert "999990238" not in out.split("/_local/outbox", 1)[-1]
    # Jesse, 22, was accepted; once the run's clock reaches his 23rd birthday he is refused.
    assert '"today":"2026-11-24"' in out and out.rstrip().endswith(" 422")
