"""The statistics counters in the single table (domain/statistics.py says what they count).

STATS#<yyyy-mm> / C#<municipality>#<org_id>#<age_band>   entity "statistics": one number attribute
per counter (and per day count of the coordination histogram), added to with ADD in the
transaction of the change it counts. No TTL and nothing personal, so it outlives the signals.

Reading a period costs one Query per month, whatever the number of signals stored: a month has
one item per combination of municipality, organisation and age band that saw any work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.items import STATISTICS_ENTITY
from verwijsindex.adapters.dynamo.requests import query_all
from verwijsindex.domain.statistics import Dimensions, Tally

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

NATIONAL_ENTITY = "national_statistics"
_DIMENSIONS = ("municipality", "org_id", "age_band", "month")
_NATIONAL_FIELDS = frozenset({keys.PK, keys.SK, keys.ENTITY, "version", "regions"})


statistics_pk = keys.Key("STATS")  # <month>
# <month>: the country's totals of a month as the national index last sent them (not "statistics":
# the region does not publish them back).
national_pk = keys.Key("STATS_NATIONAL")


NATIONAL_SK = "TOTAL"
_counter = keys.Key("C")


def counter_sk(dimensions: Dimensions) -> str:
    return _counter(dimensions.municipality, dimensions.org_id, dimensions.age_band)


def merged(tallies: Iterable[Tally]) -> list[Tally]:
    """One tally per counter item: a transaction may not touch one item twice."""
    sums: dict[tuple[str, Dimensions], dict[str, int]] = {}
    for one in tallies:
        amounts = sums.setdefault((one.month, one.dimensions), {})
        for name, amount in one.amounts.items():
            amounts[name] = amounts.get(name, 0) + amount
    return [Tally(month, dimensions, amounts) for (month, dimensions), amounts in sums.items()]


def counter_updates(table: str, tallies: Iterable[Tally]) -> list[TransactWriteItemTypeDef]:
    """The transaction elements that add `tallies` to their counters (merged per item)."""
    elements: list[TransactWriteItemTypeDef] = []
    for one in merged(tallies):
        names: dict[str, str] = {"#entity": keys.ENTITY}
        values: dict[str, Any] = {
            ":entity": {"S": STATISTICS_ENTITY},
            ":month": {"S": one.month},
            ":municipality": {"S": one.dimensions.municipality},
            ":org_id": {"S": one.dimensions.org_id},
            ":age_band": {"S": one.dimensions.age_band},
        }
        adds = []
        for n, (name, amount) in enumerate(sorted(one.amounts.items())):
            names[f"#c{n}"] = name
            values[f":c{n}"] = {"N": str(amount)}
            adds.append(f"#c{n} :c{n}")
        elements.append(
            {
                "Update": {
                    "TableName": table,
                    "Key": {
                        keys.PK: {"S": statistics_pk(one.month)},
                        keys.SK: {"S": counter_sk(one.dimensions)},
                    },
                    "UpdateExpression": (
                        "SET #entity = :entity, #month = :month, municipality = :municipality, "
                        "org_id = :org_id, age_band = :age_band ADD " + ", ".join(adds)
                    ),
                    "ExpressionAttributeNames": {**names, "#month": "month"},
                    "ExpressionAttributeValues": values,
                }
            }
        )
    return elements


class StatisticsStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, tallies: Iterable[Tally]) -> None:
        """Adds tallies on their own (tests and the national totals); counted events add theirs in
        their own transaction through `counter_updates`."""
        elements = counter_updates(self._table, tallies)
        for element in elements:
            update = dict(element["Update"])
            self._client.update_item(**update)  # type: ignore[arg-type]

    def month(self, month: str) -> list[Tally]:
        """Every counter item of one month: one Query (paged only past 1 MB)."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": statistics_pk(month)}},
        }
        rows: list[Tally] = []
        for item in query_all(self._client, request):
            values = from_item(item)
            amounts = {
                name: int(value)
                for name, value in values.items()
                if name not in _DIMENSIONS and name not in {keys.PK, keys.SK, keys.ENTITY}
            }
            dimensions = Dimensions(
                municipality=str(values["municipality"]), org_id=str(values["org_id"]), age_band=str(values["age_band"])
            )
            rows.append(Tally(month, dimensions, amounts))
        return rows

    def months(self, months: Iterable[str]) -> list[Tally]:
        return [row for month in months for row in self.month(month)]

    # --- the country's totals, received from the national index --------------------------------

    def keep_national(self, month: str, version: int, regions: int, counts: dict[str, int]) -> bool:
        item = {
            keys.PK: national_pk(month),
            keys.SK: NATIONAL_SK,
            keys.ENTITY: NATIONAL_ENTITY,
            "version": version,
            "regions": regions,
            **counts,
        }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(PK) OR version < :version",
                ExpressionAttributeValues={":version": {"N": str(version)}},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def national_month(self, month: str) -> tuple[int, list[Tally]]:
        item = self._client.get_item(
            TableName=self._table, Key=to_item({keys.PK: national_pk(month), keys.SK: NATIONAL_SK})
        ).get("Item")
        if item is None:
            return 0, []
        values = from_item(item)
        amounts = {name: int(value) for name, value in values.items() if name not in _NATIONAL_FIELDS}
        return int(values.get("regions", 0)), [Tally(month, Dimensions(), amounts)]
