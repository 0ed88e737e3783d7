"""BRP notifications: a death destroys everything about the youth at once; a move is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infra.local.events import user_claims
from tests.conftest import NAMES, PRO_A, PRO_B, PRO_C, Invoke, MatchStream, _invoker
from tests.integration.test_lifecycle import assert_nothing_left, place, signal_items
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region", "mailbox")

BRP = user_claims("brp-subscription", None, ["brp"])
CHILD = valid_bsn("54000001")
SIBLING = valid_bsn("54000002")
PARENT = valid_bsn("64000001")


@pytest.fixture
def brp_api(services: wiring.Services) -> Invoke:
    from brp_notifications.handler import lambda_handler

    return _invoker(lambda_handler)


@pytest.fixture
def family(persons: FakePersonRegistry) -> None:
    persons.add(youth(CHILD, date(2014, 4, 4), parents=(PARENT,)))
    persons.add(youth(SIBLING, date(2011, 1, 9), parents=(PARENT,)))


def notice(bsn: str, kind: str, municipality: str = "0363") -> dict[str, str]:
    return {"bsn": bsn, "kind": kind, "date": "2026-11-22", "municipality": municipality}


@pytest.mark.usefixtures("family")
def test_a_death_destroys_everything_about_the_youth_at_once(
    brp_api: Invoke, signals_api: Invoke, dynamodb: Any, match_stream: MatchStream
) -> None:
    mine = place(signals_api, PRO_A, CHILD, "A-1")
    place(signals_api, PRO_B, CHILD, "B-1")
    signals_api("POST", f"/signals/{mine['signal_id']}/close", claims=PRO_A, body={"reason": "ended"})
    sibling = place(signals_api, PRO_C, SIBLING, "C-1")
    match_stream.drain()
    youth_key = signal_items(dynamodb)[mine["signal_id"]]["youth_key"]

    response = brp_api("POST", "/brp/notifications", claims=BRP, body=notice(CHILD, "death"))
    assert response.status == 202, response.text
    assert CHILD not in response.text

    assert_nothing_left(dynamodb, youth_key, CHILD)
    assert set(signal_items(dynamodb)) == {sibling["signal_id"]}
    destroyed = [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.destroyed"]
    assert len(destroyed) == 2 and all(e["actor"] == "brp-subscription" for e in destroyed)

    again = brp_api("POST", "/brp/notifications", claims=BRP, body=notice(CHILD, "death"))
    assert again.status == 202
    assert len([e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.destroyed"]) == 2


@pytest.mark.usefixtures("family")
def test_a_move_is_recorded_on_the_youth(brp_api: Invoke, signals_api: Invoke, dynamodb: Any) -> None:
    place(signals_api, PRO_A, CHILD, "A-1")
    response = brp_api("POST", "/brp/notifications", claims=BRP, body=notice(CHILD, "move", "0599"))
    assert response.status == 202, response.text
    [marker] = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "youth"]
    assert (marker["municipality"], marker["moved_on"]) == ("0599", "2026-11-22")
    moves = [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "youth.moved"]
    assert len(moves) == 1 and CHILD not in repr(moves)

    # The same notice again changes nothing; a person the index does not hold gets no marker.
    brp_api("POST", "/brp/notifications", claims=BRP, body=notice(CHILD, "move", "0599"))
    brp_api("POST", "/brp/notifications", claims=BRP, body=notice(SIBLING, "move", "0599"))
    assert len([i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "youth"]) == 1
    assert len([e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "youth.moved"]) == 1


def test_unknown_person_gets_the_same_answer_and_nothing_is_stored(brp_api: Invoke, dynamodb: Any) -> None:
    before = all_items(dynamodb, NAMES.main)
    response = brp_api("POST", "/brp/notifications", claims=BRP, body=notice(CHILD, "death"))
    assert response.status == 202
    assert all_items(dynamodb, NAMES.main) == before


@pytest.mark.parametrize(
    ("claims", "body", "status"),
    [
        (PRO_A, notice(CHILD, "death"), 403),
        (BRP, {**notice(CHILD, "death"), "kind": "birth"}, 422),
        (BRP, notice("123456789", "death"), 422),
        (BRP, {**notice(CHILD, "move"), "municipality": "Utrecht"}, 422),
        (BRP, {**notice(CHILD, "death"), "name": "x"}, 422),
    ],
)
def test_only_the_brp_with_a_valid_notice(
    brp_api: Invoke, claims: dict[str, str], body: dict[str, str], status: int
) -> None:
    response = brp_api("POST", "/brp/notifications", claims=claims, body=body)
    assert response.status == status, response.text
    assert body["bsn"] not in response.text
