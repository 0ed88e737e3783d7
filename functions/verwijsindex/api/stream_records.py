"""A record of the main table's DynamoDB stream, as Lambda delivers it.

Our own envelope, not Powertools Parser's: importing its models package (and with it the parser)
cost the stream functions more at every cold start than the whole of their record parsing. It
checks what the functions rely on (the event name, the source, the sequence number Lambda retries
by, the images) and ignores the rest. The images arrive as DynamoDB attribute values and are
deserialised here, as Powertools' model does (numbers as Decimal), so the work recognisers see
plain values.
"""

from __future__ import annotations

from typing import Any, Literal

from aws_lambda_powertools.shared.dynamodb_deserializer import TypeDeserializer
from pydantic import BaseModel, ConfigDict, Field, field_validator

_DESERIALIZER = TypeDeserializer()


class ChangedItem(BaseModel):
    """The record's `dynamodb` part: the key, the images (as the stream's view type keeps them)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    Keys: dict[str, Any]
    NewImage: dict[str, Any] | None = None
    OldImage: dict[str, Any] | None = None
    SequenceNumber: str = Field(min_length=1)

    @field_validator("Keys", "NewImage", "OldImage", mode="before")
    @classmethod
    def _plain_values(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value  # the field's own type check names it
        try:
            return {name: _DESERIALIZER.deserialize(attribute) for name, attribute in value.items()}
        except (TypeError, AttributeError, IndexError, ValueError, ArithmeticError):
            # A value that is no DynamoDB attribute value: say so without quoting it.
            raise ValueError("not a DynamoDB item image") from None


class IndexStreamRecord(BaseModel):
    """A record of the main table's stream (match function, national publisher)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    eventID: str
    eventName: Literal["INSERT", "MODIFY", "REMOVE"]
    eventSource: Literal["aws:dynamodb"]
    dynamodb: ChangedItem
