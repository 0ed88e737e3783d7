"""Move notices in the single table: one item per notice, e-mailed once to the region's operator.

MOVE#<notice_id> / MOVE   entity "move_notice": the notice as the national index sent it (the
    other regions' organisations and contacts; no youth identity), with the delivery state
    pending -> sending -> sent (adapters/dynamo/delivery.py). Kept a year for the operator's
    questions, then removed by TTL. GSI1PK "MOVES" / GSI1SK "<received_at>#<notice_id>": the
    operator's console lists them, newest first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.delivery import EmailDelivery
from verwijsindex.adapters.dynamo.requests import transact
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.matches import NotificationState
from verwijsindex.domain.national import MoveNotice
from verwijsindex.ports.move_notices import ReceivedMoveNotice

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

MOVE_NOTICE_ENTITY = "move_notice"
MOVE_NOTICE_SK = "MOVE"
MOVES_INDEX_PK = "MOVES"
KEEP_FOR = timedelta(days=365)


class MoveNoticeStore:
    def __init__(self, client: DynamoDBClient, table_name: str, audit: AuditLog) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit
        self._delivery = EmailDelivery(client, table_name)

    @staticmethod
    def _key(notice: MoveNotice) -> dict[str, Any]:
        return to_item({keys.PK: keys.move_notice_pk(notice.notice_id), keys.SK: MOVE_NOTICE_SK})

    def record(self, notice: MoveNotice, received_at: datetime, audit: AuditEntry) -> bool:
        item = {
            keys.PK: keys.move_notice_pk(notice.notice_id),
            keys.SK: MOVE_NOTICE_SK,
            keys.ENTITY: MOVE_NOTICE_ENTITY,
            **notice.model_dump(mode="json"),
            "received_at": received_at.isoformat(),
            keys.GSI1PK: MOVES_INDEX_PK,
            keys.GSI1SK: f"{received_at.isoformat()}#{notice.notice_id}",
            "state": NotificationState.PENDING.value,
            "attempts": 0,
            keys.TTL: int((received_at + KEEP_FOR).timestamp()),
        }
        return transact(
            self._client,
            [
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                self._audit.put_request(audit),
            ],
        )

    def recent(self, limit: int) -> list[ReceivedMoveNotice]:
        page = self._client.query(
            TableName=self._table,
            IndexName=keys.GSI1,
            KeyConditionExpression=f"{keys.GSI1PK} = :pk",
            ExpressionAttributeValues={":pk": {"S": MOVES_INDEX_PK}},
            ScanIndexForward=False,
            Limit=limit,
        )
        found: list[ReceivedMoveNotice] = []
        for raw in page.get("Items", []):
            item = from_item(raw)
            notice = MoveNotice.model_validate({name: item[name] for name in MoveNotice.model_fields})
            found.append(
                ReceivedMoveNotice(
                    notice=notice,
                    received_at=datetime.fromisoformat(str(item["received_at"])),
                    state=NotificationState(str(item["state"])),
                )
            )
        return found

    def claim(self, notice: MoveNotice, token: str) -> NotificationState | None:
        return self._delivery.claim(self._key(notice), token)

    def release(self, notice: MoveNotice, token: str) -> None:
        self._delivery.release(self._key(notice), token)

    def mark_undeliverable(self, notice: MoveNotice, token: str) -> bool:
        return self._delivery.finish(self._key(notice), NotificationState.UNDELIVERABLE, token=token)

    def mark_sent(self, notice: MoveNotice, token: str, message_id: str, now: datetime) -> bool:
        return self._delivery.mark_sent(
            self._key(notice), token, {"sent_at": now.isoformat(), "message_id": message_id}
        )
