"""The functions' code asset with the bytecode of the runtime's Python, built at synth time (no Docker).

Lambda's task directory is read-only: without bytecode in the asset, every new environment compiles
each of the project's modules it imports before running it (bench/bench_cold_start.py measures what
that costs). Bytecode is specific to one Python version, so it can only be made by the runtime's own
interpreter (`python3.14` for the runtime python3.14): when the machine that synthesizes has it on
its PATH (or names it in BYTECODE_PYTHON), the asset carries `__pycache__/*.cpython-314.pyc` beside
the sources; when it has not, the asset carries the sources only, as before, and Lambda compiles.

The bytecode is checked against a hash of its source (PEP 552), not the source's modification time:
the asset's zip does not keep the times, and a source changed after the build is then compiled
rather than run from stale bytecode.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

TASK_ROOT = "/var/task"  # where Lambda unpacks the asset: the path tracebacks name
SKIP = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.so", "*.pyd", "*.c", "tests", ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.md"
)


def runtime_python(runtime: str) -> str | None:
    """The interpreter of `runtime` ("python3.14") on this machine, or None: BYTECODE_PYTHON if set,
    else `python3.14` on the PATH, and only if its bytecode is the runtime's (cache tag cpython-314)."""
    candidate = os.environ.get("BYTECODE_PYTHON") or shutil.which(runtime)
    if not candidate:
        return None
    wanted = "cpython-" + runtime.removeprefix("python").replace(".", "")
    try:
        tag = subprocess.run(  # noqa: S603  (the runtime's interpreter, as the PATH or BYTECODE_PYTHON names it)
            [candidate, "-c", "import sys; print(sys.implementation.cache_tag)"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return candidate if tag == wanted else None


def compile_tree(root: Path, python: str) -> None:
    """Writes the bytecode of every module under `root` beside it, as `python` would at import."""
    options = ["-q", "-j", "0", "--invalidation-mode", "checked-hash", "-s", str(root), "-p", TASK_ROOT]
    subprocess.run(  # noqa: S603  (the interpreter runtime_python() checked)
        [python, "-m", "compileall", *options, str(root)],
        check=True,
        timeout=600,
    )


def add_bytecode(root: Path, runtime: str) -> bool:
    """Compiles `root` with the runtime's interpreter when there is one; says whether it did."""
    python = runtime_python(runtime)
    if python is None:
        print(
            f"note: no {runtime} interpreter here (BYTECODE_PYTHON): the functions' asset carries no bytecode",
            file=sys.stderr,
        )
        return False
    compile_tree(root, python)
    return True


@jsii.implements(ILocalBundling)
class SourcesAndBytecode:
    """Copies `functions/` into the asset and adds the runtime's bytecode when it can."""

    def __init__(self, source: Path, runtime: str) -> None:
        self.source = source
        self.runtime = runtime

    def try_bundle(self, output_dir: str, *, image: DockerImage, **_: Any) -> bool:
        out = Path(output_dir)
        shutil.copytree(self.source, out, dirs_exist_ok=True, ignore=SKIP)
        add_bytecode(out, self.runtime)
        return True


def code_with_bytecode(source: Path, runtime: str, bundling: ILocalBundling | None = None) -> lambda_.Code:
    """An asset of `source` built by `bundling` (default: the sources and their bytecode). Its hash
    is the output's, so an asset with bytecode is never taken for one without."""
    return lambda_.Code.from_asset(
        str(source),
        asset_hash_type=AssetHashType.OUTPUT,
        bundling=BundlingOptions(
            # Never pulled: local bundling always succeeds, and the synth has no Docker.
            image=DockerImage.from_registry("local-bundling-only"),
            local=bundling or SourcesAndBytecode(source, runtime),
        ),
    )
