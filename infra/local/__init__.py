"""Local emulation of the stack's wiring on an embedded moto (never deployed).

`functions/` is the Lambda asset root, so it goes on the path here as it is in Lambda.
"""

import sys
from pathlib import Path

_FUNCTIONS = str(Path(__file__).resolve().parents[2] / "functions")
if _FUNCTIONS not in sys.path:
    sys.path.insert(0, _FUNCTIONS)
