"""The e-mail delivery state machine, shared by match notifications and renewal notices.

pending -> sending (claimed under a token) -> sent; a refused send goes back to pending. A claim
left behind by an invocation that ended mid-send may be taken over under a new token.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.domain.matches import NotificationState as State

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

_STATE = {"#state": "state"}
_NOTHING: Mapping[str, Any] = MappingProxyType({})


def _assignments(values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    return "".join(f", {name} = :{name}" for name in values), {f":{name}": value for name, value in values.items()}


class EmailDelivery:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def claim(
        self,
        key: dict[str, Any],
        token: str,
        also_set: Mapping[str, Any] = _NOTHING,
        *,
        claimed_before: str | None = None,
    ) -> State | None:
        """pending (or another's claim) -> sending under `token`; the state it was in, or None
        when it is sent or already claimed under this token. With `claimed_before` (a UTC
        stamp), another's claim is taken over only when it was made before then: the sweeper
        must not take over a claim whose invocation may still be sending."""
        extra, values = _assignments(also_set)
        condition = "#state = :pending OR (#state = :sending AND claim_token <> :token)"
        if claimed_before is not None:
            condition = "#state = :pending OR (#state = :sending AND claim_token <> :token AND claimed_at < :stale)"
            values[":stale"] = claimed_before
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression=f"SET #state = :sending, claim_token = :token{extra} ADD attempts :one",
                ConditionExpression=condition,
                ExpressionAttributeNames=_STATE,
                ExpressionAttributeValues=to_item(
                    {
                        ":sending": State.SENDING.value,
                        ":pending": State.PENDING.value,
                        ":token": token,
                        ":one": 1,
                        **values,
                    }
                ),
                # The whole item as it was: its state is there even when a takeover sets it to the
                # same "sending" (an emulator may leave an unchanged attribute out of UPDATED_OLD).
                ReturnValues="ALL_OLD",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return None
        return State(from_item(response.get("Attributes", {})).get("state", State.PENDING.value))

    def release(self, key: dict[str, Any], token: str) -> None:
        """sending -> pending after SES refused it, so a retry sends it."""
        # If the condition fails, another invocation took the claim over: it decides.
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression="SET #state = :pending REMOVE claim_token",
                ConditionExpression="#state = :sending AND claim_token = :token",
                ExpressionAttributeNames=_STATE,
                ExpressionAttributeValues=to_item(
                    {":pending": State.PENDING.value, ":sending": State.SENDING.value, ":token": token}
                ),
            )

    def mark_sent(
        self, key: dict[str, Any], token: str, also_set: Mapping[str, Any] = _NOTHING, also_remove: Sequence[str] = ()
    ) -> bool:
        """sending -> sent under our own claim; False when another invocation took it over."""
        extra, values = _assignments(also_set)
        removed = "".join(f", {name}" for name in also_remove)
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression=f"SET #state = :sent{extra} REMOVE claim_token{removed}",
                ConditionExpression="#state = :sending AND claim_token = :token",
                ExpressionAttributeNames=_STATE,
                ExpressionAttributeValues=to_item(
                    {":sent": State.SENT.value, ":sending": State.SENDING.value, ":token": token, **values}
                ),
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def finish(
        self, key: dict[str, Any], state: State, *, token: str | None = None, also_remove: Sequence[str] = ()
    ) -> bool:
        """Ends delivery in `state` (bounced, undeliverable): under our claim when `token` is given,
        else whatever the state was. False when the condition failed (or the item is gone)."""
        removed = "".join(f", {name}" for name in also_remove)
        values: dict[str, Any] = {":final": state.value}
        condition = "attribute_exists(PK)"
        if token is not None:
            condition = "#state = :sending AND claim_token = :token"
            values.update({":sending": State.SENDING.value, ":token": token})
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression=f"SET #state = :final REMOVE claim_token{removed}",
                ConditionExpression=condition,
                ExpressionAttributeNames=_STATE,
                ExpressionAttributeValues=to_item(values),
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True
