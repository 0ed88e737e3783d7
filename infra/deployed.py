"""The handler modules the stacks deploy, read from the constructs' source without running CDK.

Every construct names its function's entry point as a `"<module>.lambda_handler"` string; this is
the one list the cold-start import check and the cold-start bench go through, so a function a
construct starts to deploy is checked and measured without anyone adding it by hand.
"""

from __future__ import annotations

import ast
from pathlib import Path

CONSTRUCTS = Path(__file__).resolve().parent / "constructs"
ENTRY = ".lambda_handler"


def deployed_handlers(constructs: Path = CONSTRUCTS) -> list[str]:
    """The handler modules (`place_signal.handler`, `expire.purge`, ...) named by the constructs."""
    found: set[str] = set()
    for path in sorted(constructs.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and value.endswith(ENTRY):
                found.add(value.removesuffix(ENTRY))
    return sorted(found)
