"""A record of the main table's DynamoDB stream, as Lambda delivers it (Powertools Parser)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parser.models import DynamoDBStreamChangedRecordModel, DynamoDBStreamRecordModel


class ChangedItem(DynamoDBStreamChangedRecordModel):
    # Images arrive deserialised to plain values by the parent model's validator.
    NewImage: dict[str, Any] | None = None
    OldImage: dict[str, Any] | None = None


class IndexStreamRecord(DynamoDBStreamRecordModel):
    """A record of the main table's stream (match function, national publisher)."""

    dynamodb: ChangedItem
