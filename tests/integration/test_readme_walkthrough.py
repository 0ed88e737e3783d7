"""The README's curl walk-through, run as written against `make run`'s server."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.test_local_server import base_url  # noqa: F401 - the running server fixture

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.smoke, pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")]


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Walk-through with curl", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_walkthrough_answers_as_the_readme_says(base_url: str) -> None:  # noqa: F811
    script = walkthrough()
    assert script.startswith("make run &")
    script = script.replace("make run &", "", 1).replace("B=http://127.0.0.1:8000", f"B=http://{base_url}", 1)
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
    assert re.search(r'"signal_id":"[^"]+","status":"active".* 200\n', out)  # the same signal again
    assert '"status":422' in out and '"field":"bsn"' in out and '"field":"why"' in out
    assert "123456789" not in out  # the rejected BSN is not echoed
    assert '"detail":"no such signal"} 404\n' in out  # another organisation cannot read the signal
    assert '"detail":"your organisation is suspended and cannot signal"} 403\n' in out
    assert '"status":"suspended"' in out and '"status":"active","machine_clients"' in out
    assert '"org_id":"veilig-thuis"' in out and '"user_id":"pro-vt"' in out
    assert '"kind":"client"' in out and '"kind":"family"' in out
    assert '"kind":"client","status":"coordinated"' in out
    assert "999990238" not in out.split("/_local/outbox", 1)[-1]
