"""The functions' asset carries the runtime's bytecode when the synth has the runtime's interpreter.

This machine's own interpreter stands in for the runtime's (its version names the runtime here)."""

from __future__ import annotations

import importlib.util
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from infra.constructs.bytecode import SourcesAndBytecode, compile_tree, runtime_python
from infra.constructs.function import FUNCTIONS_DIR

pytestmark = pytest.mark.infrastructure

HERE = f"python{sys.version_info.major}.{sys.version_info.minor}"  # this interpreter as a runtime name
TAG = sys.implementation.cache_tag


def test_the_interpreter_must_be_the_runtimes_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BYTECODE_PYTHON", sys.executable)
    assert runtime_python(HERE) == sys.executable
    assert runtime_python("python3.99") is None  # other bytecode than the runtime reads: none at all
    monkeypatch.delenv("BYTECODE_PYTHON")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert runtime_python(HERE) is None


def test_the_asset_carries_sources_and_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BYTECODE_PYTHON", sys.executable)
    assert SourcesAndBytecode(FUNCTIONS_DIR, HERE).try_bundle(str(tmp_path), image=None)  # type: ignore[arg-type]
    handler = tmp_path / "place_signal" / "handler.py"
    assert handler.is_file()
    assert (tmp_path / "place_signal" / "__pycache__" / f"handler.{TAG}.pyc").is_file()
    assert (tmp_path / "verwijsindex" / "wiring.py").is_file()
    assert (tmp_path / "verwijsindex" / "__pycache__" / f"wiring.{TAG}.pyc").is_file()
    sources = {p.relative_to(tmp_path).with_suffix("") for p in tmp_path.rglob("*.py")}
    compiled = {p.relative_to(tmp_path).parent.parent / p.name.split(".")[0] for p in tmp_path.rglob("*.pyc")}
    assert sources == compiled


def test_without_the_interpreter_the_asset_carries_the_sources_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BYTECODE_PYTHON", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert SourcesAndBytecode(FUNCTIONS_DIR, HERE).try_bundle(str(tmp_path), image=None)  # type: ignore[arg-type]
    assert (tmp_path / "place_signal" / "handler.py").is_file()
    assert not list(tmp_path.rglob("*.pyc")) and not list(tmp_path.rglob("__pycache__"))


def test_bytecode_is_run_while_its_source_is_unchanged_and_never_once_it_changed(tmp_path: Path) -> None:
    """Checked against a hash of the source, not its time (the asset's zip keeps no times): a source
    edited after the build is compiled afresh, never run from the stale bytecode."""
    module = tmp_path / "answer.py"
    module.write_text("VALUE = 'built'\n", encoding="utf-8")
    compile_tree(tmp_path, sys.executable)
    pyc = tmp_path / "__pycache__" / f"answer.{TAG}.pyc"
    flags = int.from_bytes(pyc.read_bytes()[4:8], "little")
    assert flags == 0b11  # hash-based, checked (PEP 552)

    def value() -> str:
        code = "import answer; print(answer.VALUE)"
        env = {"PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout

    assert value().strip() == "built"
    # The bytecode is what runs: bytecode that answers otherwise, stamped with the source's hash, is obeyed.
    other = compile("VALUE = 'from bytecode'\n", str(module), "exec")
    stamp = importlib.util.source_hash(module.read_bytes())
    pyc.write_bytes(importlib.util.MAGIC_NUMBER + (0b11).to_bytes(4, "little") + stamp + marshal.dumps(other))
    assert value().strip() == "from bytecode"
    module.write_text("VALUE = 'edited'\n", encoding="utf-8")  # another hash: compiled from the source
    assert value().strip() == "edited"
