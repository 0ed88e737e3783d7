"""The tables as the CDK stack defines them, created in moto for tests and the local run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import GlobalSecondaryIndexTypeDef


@dataclass(frozen=True)
class TableNames:
    main: str = "verwijsindex-local"
    audit: str = "verwijsindex-local-audit"
    idempotency: str = "verwijsindex-local-idempotency"


def _gsi(name: str, pk: str, sk: str) -> GlobalSecondaryIndexTypeDef:
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"}, {"AttributeName": sk, "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "ALL"},
    }


def create_tables(client: DynamoDBClient, names: TableNames) -> str:
    """Creates the three tables; returns the main table's stream ARN."""
    attributes = ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK"]
    main = client.create_table(
        TableName=names.main,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            _gsi("GSI1", "GSI1PK", "GSI1SK"),
            _gsi("GSI2", "GSI2PK", "GSI2SK"),
            _gsi("GSI3", "GSI3PK", "GSI3SK"),  # outstanding work (reconciliation)
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    client.create_table(
        TableName=names.audit,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ["PK", "SK", "actor", "at"]],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[_gsi("GSI1", "actor", "at")],
    )
    client.create_table(
        TableName=names.idempotency,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
    return main["TableDescription"].get("LatestStreamArn", "")


def create_session_table(client: DynamoDBClient, name: str) -> None:
    """The portal's sessions: key `id` (hash of the cookie), index `by_user` for sign-out everywhere."""
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ["id", "user_id"]],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_user",
                "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
