"""The local run's changes to moto's DynamoDB: cancelled transactions leave no trace and keep
the live table; queries answer exactly as moto's own, starting from the partition."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from moto.dynamodb.models import dynamodb_backends

from infra.local import moto_dynamodb
from infra.local.streams import StreamPump
from tests.conftest import NAMES


@pytest.fixture
def patched(dynamodb: Any) -> Any:
    moto_dynamodb.install()  # the tests' conftest has done so already: every moto test runs on it
    return dynamodb


@contextmanager
def as_moto() -> Iterator[None]:
    """moto's DynamoDB as it comes, for a moment; the local run's changes are back afterwards."""
    moto_dynamodb.uninstall()
    try:
        yield
    finally:
        moto_dynamodb.install()


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _put(pk: str, sk: str, **attrs: str) -> dict[str, Any]:
    item = {"PK": _s(pk), "SK": _s(sk), **{k: _s(v) for k, v in attrs.items()}}
    return {"Put": {"TableName": NAMES.main, "Item": item}}


def _live_table() -> Any:
    return dynamodb_backends["123456789012"]["eu-west-1"].tables[NAMES.main]


def test_a_cancelled_transaction_leaves_the_live_table_unchanged_and_no_stream_records(patched: Any) -> None:
    client = patched
    client.put_item(TableName=NAMES.main, Item={"PK": _s("A"), "SK": _s("1"), "v": _s("before")})
    pump = StreamPump.for_table(NAMES.main, dynamodb=client)
    assert len(pump.poll()) == 1
    table = _live_table()

    refused = {
        "Put": {
            "TableName": NAMES.main,
            "Item": {"PK": _s("A"), "SK": _s("1"), "v": _s("overwritten")},
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }
    update = {
        "Update": {
            "TableName": NAMES.main,
            "Key": {"PK": _s("A"), "SK": _s("1")},
            "UpdateExpression": "SET v = :v",
            "ExpressionAttributeValues": {":v": _s("changed")},
        }
    }
    for items in ([_put("B", "1"), refused], [update, _put("A", "1")]):  # a failed condition; one key twice
        with pytest.raises(client.exceptions.ClientError):
            client.transact_write_items(TransactItems=items)

    assert _live_table() is table  # a reader holding the table still sees every change
    assert client.get_item(TableName=NAMES.main, Key={"PK": _s("A"), "SK": _s("1")})["Item"]["v"] == _s("before")
    assert "Item" not in client.get_item(TableName=NAMES.main, Key={"PK": _s("B"), "SK": _s("1")})
    assert pump.poll() == []  # nothing of the cancelled transactions reached the stream

    client.transact_write_items(TransactItems=[_put("C", "1")])
    assert [r["dynamodb"]["Keys"]["PK"] for r in pump.poll()] == [_s("C")]


def _queries(client: Any) -> list[Any]:
    asks: list[dict[str, Any]] = [
        {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": _s("P1")}},
        {
            "KeyConditionExpression": "PK = :p AND begins_with(SK, :s)",
            "ExpressionAttributeValues": {":p": _s("P1"), ":s": _s("SIGNAL#")},
            "ScanIndexForward": False,
            "Limit": 2,
        },
        {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :p AND GSI1SK = :s",
            "ExpressionAttributeValues": {":p": _s("ORG#a"), ":s": _s("SIGNAL#3")},
        },
        {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :p AND begins_with(GSI1SK, :s)",
            "ExpressionAttributeValues": {":p": _s("ORG#a"), ":s": _s("SIGNAL#")},
            "Limit": 3,
        },
        {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :p",
            "FilterExpression": "v = :v",
            "ExpressionAttributeValues": {":p": _s("ORG#a"), ":v": _s("x")},
        },
    ]
    answers: list[tuple[Any, ...]] = []
    for ask in asks:
        page = client.query(TableName=NAMES.main, **ask)
        answers.append((page["Items"], page.get("LastEvaluatedKey"), page["Count"]))
        if "LastEvaluatedKey" in page:
            rest = client.query(TableName=NAMES.main, ExclusiveStartKey=page["LastEvaluatedKey"], **ask)
            answers.append((rest["Items"], rest.get("LastEvaluatedKey")))
    return answers


def test_queries_answer_as_moto_does(dynamodb: Any) -> None:
    for n in range(6):
        org = "a" if n % 2 == 0 else "b"
        attrs = {"GSI1PK": f"ORG#{org}", "GSI1SK": f"SIGNAL#{n}", "v": "x" if n < 3 else "y"}
        dynamodb.transact_write_items(TransactItems=[_put(f"P{n % 2}", f"SIGNAL#{n}", **attrs)])
        dynamodb.put_item(TableName=NAMES.main, Item={"PK": _s(f"P{n % 2}"), "SK": _s(f"MATCH#{n}")})
    with as_moto():
        answers_of_moto = _queries(dynamodb)
    assert _queries(dynamodb) == answers_of_moto
