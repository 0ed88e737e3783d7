"""Plain dicts <-> DynamoDB attribute values (the low-level client is needed for transactions)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _normalise(_deserializer.deserialize(value)) for key, value in item.items()}


def _normalise(value: Any) -> Any:
    # DynamoDB numbers come back as Decimal; our items only hold integers.
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value
