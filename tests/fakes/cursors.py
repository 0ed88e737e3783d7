"""The fakes' page cursors: where the next page starts, bound to the listing it was handed out for, so
a cursor opened elsewhere is refused as the table's sealed cursors are (adapters/dynamo/cursor.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, TypeVar

from verwijsindex.domain.errors import Unprocessable

T = TypeVar("T")


def seal(at: int | str, scope: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"at": at, "scope": scope}).encode()).decode()


def unseal(cursor: str, scope: str, read: Callable[[Any], T]) -> T:
    """Where the page starts (`read` from the cursor), if the cursor was handed out for `scope`."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        at, sealed_for = read(values["at"]), str(values["scope"])
    except (ValueError, KeyError, TypeError) as error:
        raise Unprocessable("cursor is not valid", field="cursor") from error
    if sealed_for != scope:
        raise Unprocessable("cursor is not valid", field="cursor")
    return at
