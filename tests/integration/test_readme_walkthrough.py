"""The README's curl walk-through, run as written against `make run`'s server."""

import json
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


def walkthrough(heading: str = "### Walk-through with curl") -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(heading + "\n", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def start_command(script: str, target: str = "run") -> tuple[dict[str, str], str]:
    """The settings and the rest of the walk-through's first line, `[NAME=value ...] make <target> &`."""
    first = script.split("\n", 1)[0].split("#", 1)[0].strip()
    words = shlex.split(first)
    settings = dict(word.split("=", 1) for word in words if "=" in word)
    assert words[len(settings) :] == ["make", target, "&"], first
    return settings, script.split("\n", 1)[1]


def run_script(script: str) -> str:
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


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
    out = run_script(script.replace("B=http://127.0.0.1:8000", f"B=http://{base_url}", 1))
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


NATION = "### Walk-through of two regions with curl"


@pytest.fixture(scope="module")
def nation_started() -> Iterator[tuple[dict[str, str], str]]:
    """`make run-nation` started as that walk-through's first line says; North's and South's URLs."""
    settings, rest = start_command(walkthrough(NATION), "run-nation")
    with local_server("--nation", lines=2, env=settings) as lines:
        yield {line.split()[1]: base_url_of(line) for line in lines}, rest


def test_the_two_region_walkthrough_answers_as_the_readme_says(nation_started: tuple[dict[str, str], str]) -> None:
    urls, script = nation_started
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", start_command(walkthrough(NATION), "run-nation")[0]["VI_TODAY"])
    script = script.replace("N=http://127.0.0.1:8000", f"N=http://{urls['Noord']}", 1)
    out = run_script(script.replace("S=http://127.0.0.1:8001", f"S=http://{urls['Zuid']}", 1))
    north_outbox, south_before, south_after = (json.loads(line) for line in out.splitlines() if line.startswith("[{"))

    (to_sanne,) = north_outbox
    (to_rik,) = south_before
    assert to_sanne["to"] == ["sanne.smit@jeugdteam-noord.example.org"] and "JTN-11" in to_sanne["text"]
    assert "Rik de Groot" in to_sanne["text"] and re.search(r"Regio:\s+Zuid", to_sanne["text"])
    assert to_rik["to"] == ["rik.degroot@wijkteam-zuid.example.org"] and "WTZ-11" in to_rik["text"]
    assert "Sanne Smit" in to_rik["text"] and re.search(r"Regio:\s+Noord", to_rik["text"])

    assert " 202\n" in out  # the BRP's move notice is accepted
    (to_operator,) = [m for m in south_after if m["to"] == ["regievoerder@south.regio.example.org"]]
    assert "0772" in to_operator["subject"] and "Sanne Smit" in to_operator["text"]
    for mail in [*north_outbox, *south_after]:
        for secret in ("999990147", "999990378", "Sem", "Fleur"):
            assert secret not in mail["text"] and secret not in mail["html"] and secret not in mail["subject"]
