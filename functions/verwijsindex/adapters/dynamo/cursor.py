"""Opaque paging cursors for Queries on GSI1 (an organisation's signals, the rights requests).

A cursor is the Query's LastEvaluatedKey, base64url JSON. It is honoured only for the index
partition that produced it, so a cursor of one organisation cannot page through another's.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.domain.errors import Unprocessable

_KEY_ATTRIBUTES = frozenset({keys.PK, keys.SK, keys.GSI1PK, keys.GSI1SK})


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(from_item(last_key)).encode()).decode() if last_key else None


def decode_cursor(cursor: str, expected_gsi1pk: str) -> dict[str, Any]:
    """The ExclusiveStartKey of a cursor from `expected_gsi1pk`'s partition, or a 422."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as error:
        raise Unprocessable("cursor is not valid", field="cursor") from error
    if (
        not isinstance(values, dict)
        or set(values) != _KEY_ATTRIBUTES
        or not all(isinstance(v, str) for v in values.values())
        or values[keys.GSI1PK] != expected_gsi1pk
    ):
        raise Unprocessable("cursor is not valid", field="cursor")
    return to_item(values)
