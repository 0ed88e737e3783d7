"""Pseudonymous parent links: which signalled youths share a parent (key layout in keys.py).

Written at placement, when the BRP has just given the youth's parents; read by the match
function to find brothers and sisters. Nothing here names a person: only pseudonyms.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import to_item
from verwijsindex.adapters.dynamo.items import PARENT_LINK_ENTITY, PARENTS_ENTITY
from verwijsindex.adapters.dynamo.requests import query_all
from verwijsindex.adapters.parent_pseudonym import ParentPseudonymiser
from verwijsindex.ports.families import ParentLinks

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class FamilyStore:
    def __init__(self, client: DynamoDBClient, table_name: str, pseudonyms: ParentPseudonymiser) -> None:
        self._client = client
        self._table = table_name
        self._pseudonyms = pseudonyms

    def parent_keys(self, parent_bsns: Iterable[str]) -> list[str]:
        return sorted({self._pseudonyms.parent(bsn) for bsn in parent_bsns})

    def national_parent_keys(self, parent_bsns: Iterable[str]) -> list[str]:
        return sorted({self._pseudonyms.national_parent(bsn) for bsn in parent_bsns})

    def national_parents_of(self, youth_key: str) -> list[str]:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.PARENTS_SK}),
            ProjectionExpression="national_parent_keys",
            ConsistentRead=True,
        ).get("Item")
        values = (item or {}).get("national_parent_keys", {}).get("L", [])
        return [value["S"] for value in values]

    def parent_links(self, youth_key: str, parent_bsns: Iterable[str]) -> ParentLinks:
        parent_bsns = list(parent_bsns)
        return ParentLinks(
            youth_key=youth_key,
            parent_keys=tuple(self.parent_keys(parent_bsns)),
            national_parent_keys=tuple(self.national_parent_keys(parent_bsns)),
        )

    def children_of(self, parent_key: str) -> list[str]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
            "ExpressionAttributeValues": {":pk": {"S": keys.parent_pk(parent_key)}, ":sk": {"S": keys.child_sk.start}},
            "ProjectionExpression": "youth_key",
            "ConsistentRead": True,
        }
        return [item["youth_key"]["S"] for item in query_all(self._client, request)]


def placement_requests(table: str, links: ParentLinks) -> list[TransactWriteItemTypeDef]:
    """Transaction elements that record the youth's current parents as pseudonyms, written with the signal.

    parent_keys is replaced (the BRP is the source); linked_parent_keys only grows, so
    every PARENT# link ever written can be found again when the youth is destroyed.
    """
    youth_key = links.youth_key
    parent_keys = list(links.parent_keys)
    update = (
        "SET #entity = :entity, youth_key = :youth_key, parent_keys = :parent_keys, "
        "national_parent_keys = :national_parent_keys"
    )
    values: dict[str, Any] = {
        ":entity": PARENTS_ENTITY,
        ":youth_key": youth_key,
        ":parent_keys": parent_keys,
        # For family matches across regions (the national link); replaced like parent_keys.
        ":national_parent_keys": list(links.national_parent_keys),
    }
    if parent_keys:
        update += " ADD linked_parent_keys :linked"
        values[":linked"] = set(parent_keys)
    items: list[TransactWriteItemTypeDef] = [
        {
            "Update": {
                "TableName": table,
                "Key": to_item({keys.PK: keys.youth_pk(youth_key), keys.SK: keys.PARENTS_SK}),
                "UpdateExpression": update,
                "ExpressionAttributeNames": {"#entity": keys.ENTITY},
                "ExpressionAttributeValues": to_item(values),
            }
        }
    ]
    for parent_key in parent_keys:
        link = {
            keys.PK: keys.parent_pk(parent_key),
            keys.SK: keys.child_sk(youth_key),
            keys.ENTITY: PARENT_LINK_ENTITY,
            "youth_key": youth_key,
        }
        items.append({"Put": {"TableName": table, "Item": to_item(link)}})
    return items
