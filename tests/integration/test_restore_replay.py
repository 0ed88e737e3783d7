"""After a point-in-time restore, the audit trail's destructions are replayed: what was destroyed since
the restore point is gone again, everything else is as restored."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from infra.local.events import user_claims
from infra.ops.replay_destructions import main, replay
from tests.conftest import NAMES, NOW, PRO_A, PRO_B, Invoke, MatchStream, _invoker
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.adapters.dynamo.codec import to_item
from verwijsindex.domain.clock import FixedClock

pytestmark = pytest.mark.usefixtures("region")

KEPT, WITHDRAWN, DECEASED = valid_bsn("37100001"), valid_bsn("37200001"), valid_bsn("37300001")
RESTORED = "verwijsindex-local-restored"
BRP = user_claims("brp-subscription", None, ["brp"])


def restore_copy(dynamodb: Any) -> None:
    """What a point-in-time restore gives: a new table holding the items as they were."""
    described = dynamodb.describe_table(TableName=NAMES.main)["Table"]
    dynamodb.create_table(
        TableName=RESTORED,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=described["AttributeDefinitions"],
        KeySchema=described["KeySchema"],
        GlobalSecondaryIndexes=[
            {"IndexName": g["IndexName"], "KeySchema": g["KeySchema"], "Projection": g["Projection"]}
            for g in described["GlobalSecondaryIndexes"]
        ],
    )
    for item in all_items(dynamodb, NAMES.main):
        dynamodb.put_item(TableName=RESTORED, Item=to_item(item))


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str) -> str:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
    assert response.status == 201, response.text
    return str(response.json["signal_id"])


def test_replaying_the_audit_trail_destroys_again_what_the_restore_brought_back(
    signals_api: Invoke,
    match_stream: MatchStream,
    persons: FakePersonRegistry,
    dynamodb: Any,
    clock: FixedClock,
) -> None:
    for bsn in (KEPT, WITHDRAWN, DECEASED):
        persons.add(youth(bsn, date(2014, 2, 2)))
    kept = [place(signals_api, PRO_A, KEPT, "K-A"), place(signals_api, PRO_B, KEPT, "K-B")]
    withdrawn = place(signals_api, PRO_A, WITHDRAWN, "W-A")
    kept.append(place(signals_api, PRO_B, WITHDRAWN, "W-B"))  # the other organisation's signal stays
    place(signals_api, PRO_A, DECEASED, "D-A")
    match_stream.drain()
    restore_point = clock.now()
    restore_copy(dynamodb)  # the backup as of the restore point

    # After the restore point: a signal withdrawn as unjustified, a youth deceased (BRP).
    clock.moment = NOW + timedelta(hours=1)
    assert (
        signals_api("POST", f"/signals/{withdrawn}/close", claims=PRO_A, body={"reason": "unjustified"}).status == 200
    )
    from brp_notifications.handler import lambda_handler as brp_handler

    death = {"bsn": DECEASED, "kind": "death", "date": clock.moment.date().isoformat(), "municipality": "0363"}
    brp = _invoker(brp_handler)("POST", "/brp/notifications", claims=BRP, body=death)
    assert brp.status == 202, brp.text
    live = {(i["PK"], i["SK"]) for i in all_items(dynamodb, NAMES.main)}
    restored = {(i["PK"], i["SK"]) for i in all_items(dynamodb, RESTORED)}
    assert restored - live, "the restore brought destroyed items back"

    # The withdrawal; the death's signal and its youth.
    assert replay(dynamodb, RESTORED, NAMES.audit, restore_point, dry_run=True).entries == 3
    report = replay(dynamodb, RESTORED, NAMES.audit, restore_point)
    assert (report.signals, report.youths) == (2, 1)
    after = {(i["PK"], i["SK"]) for i in all_items(dynamodb, RESTORED)}
    # Exactly what the live table lost since the restore point is gone again; the rest is untouched.
    assert after == restored & live
    assert {i["signal_id"] for i in all_items(dynamodb, RESTORED) if i.get("entity") == "signal"} == set(kept)
    # Running it again changes nothing.
    again = replay(dynamodb, RESTORED, NAMES.audit, restore_point)
    assert again.entries == 3 and {(i["PK"], i["SK"]) for i in all_items(dynamodb, RESTORED)} == after


def test_the_command_refuses_a_restore_point_without_a_time_zone() -> None:
    with pytest.raises(SystemExit):
        main(["--table", "t", "--audit-table", "a", "--since", "2026-11-30T02:00:00"])
