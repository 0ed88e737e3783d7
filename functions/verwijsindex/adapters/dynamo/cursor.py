"""Opaque paging cursors: an organisation's signals and the rights requests (GSI1), audit trails.

A cursor is the Query's LastEvaluatedKey, base64url JSON. It is honoured only for the
partition that produced it, so a cursor of one organisation cannot page through another's.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.domain.errors import Unprocessable

_KEY_ATTRIBUTES = frozenset({keys.PK, keys.SK, keys.GSI1PK, keys.GSI1SK})


@dataclass(frozen=True)
class CursorShape:
    """The key attributes a cursor of one Query carries, and which of them is its partition."""

    attributes: frozenset[str]
    partition: str


_GSI1_CURSOR = CursorShape(attributes=_KEY_ATTRIBUTES, partition=keys.GSI1PK)
GSI2_CURSOR = CursorShape(attributes=frozenset({keys.PK, keys.SK, keys.GSI2PK, keys.GSI2SK}), partition=keys.GSI2PK)


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(from_item(last_key)).encode()).decode() if last_key else None


def decode_cursor(cursor: str, expected_gsi1pk: str) -> dict[str, Any]:
    """The ExclusiveStartKey of a cursor from `expected_gsi1pk`'s partition, or a 422."""
    return decode_key(cursor, _GSI1_CURSOR, expected_gsi1pk)


def decode_key(cursor: str, shape: CursorShape, expected_partition: str) -> dict[str, Any]:
    """The ExclusiveStartKey of a cursor of `shape` from `expected_partition`, or a 422."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as error:
        raise Unprocessable("cursor is not valid", field="cursor") from error
    if (
        not isinstance(values, dict)
        or set(values) != shape.attributes
        or not all(isinstance(v, str) for v in values.values())
        or values[shape.partition] != expected_partition
    ):
        raise Unprocessable("cursor is not valid", field="cursor")
    return to_item(values)
