"""The professional's confirmation that the family was informed: on the signal, audited, in the inzage."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import NAMES, OPERATOR, PRO_A, PRO_B, Invoke, _invoker
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.clock import FixedClock

pytestmark = pytest.mark.usefixtures("region")
Y = valid_bsn("33000001")


@pytest.fixture
def signal_id(signals_api: Invoke, persons: FakePersonRegistry) -> str:
    persons.add(youth(Y, date(2016, 4, 1)))
    placed = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y, "client_reference": "A-1"})
    assert placed.status == 201, placed.text
    return str(placed.json["signal_id"])


def inform(api: Invoke, claims: dict[str, str], signal_id: str, answer: str) -> Any:
    return api("POST", f"/signals/{signal_id}/informed", claims=claims, body={"informed": answer})


def test_later_then_yes_is_recorded_with_the_day_and_audited(
    signals_api: Invoke, signal_id: str, clock: FixedClock, dynamodb: Any
) -> None:
    later = inform(signals_api, PRO_A, signal_id, "later")
    assert later.status == 200, later.text
    assert later.json["informed"] == {"status": "later", "on": "2026-11-23"}

    clock.moment += timedelta(days=3)
    yes = inform(signals_api, PRO_A, signal_id, "yes")
    assert yes.json["informed"] == {"status": "yes", "on": "2026-11-26"}
    assert signals_api("GET", f"/signals/{signal_id}", claims=PRO_A).json["informed"] == yes.json["informed"]
    [stored] = [
        i for i in all_items(dynamodb, NAMES.main) if i.get("signal_id") == signal_id and i.get("entity") == "signal"
    ]
    assert stored["informed"] == {"status": "yes", "on": "2026-11-26"}
    details = sorted(e["detail"] for e in all_items(dynamodb, NAMES.audit) if e["action"] == "signal.informed_recorded")
    assert details == ["informed: later", "informed: yes"]


def test_another_organisation_gets_404_and_a_closed_signal_409_and_nothing_changes(
    signals_api: Invoke, signal_id: str, dynamodb: Any
) -> None:
    assert inform(signals_api, PRO_B, signal_id, "yes").status == 404
    assert inform(signals_api, PRO_A, signal_id, "maybe").status == 422
    assert signals_api("POST", f"/signals/{signal_id}/close", claims=PRO_A, body={"reason": "ended"}).status == 200
    assert inform(signals_api, PRO_A, signal_id, "yes").status == 409
    [stored] = [
        i for i in all_items(dynamodb, NAMES.main) if i.get("signal_id") == signal_id and i.get("entity") == "signal"
    ]
    assert "informed" not in stored


def test_the_inzage_shows_whether_the_family_was_informed(
    signals_api: Invoke, signal_id: str, services: wiring.Services
) -> None:
    from rights_request.handler import lambda_handler

    rights_api = _invoker(lambda_handler)
    assert inform(signals_api, PRO_A, signal_id, "yes").status == 200
    asked = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "inzage", "bsn": Y, "requested_by": "parents", "received_on": "2026-11-20"},
    )
    assert asked.status == 201, asked.text
    path = f"/rights-requests/{asked.json['request_id']}/decision"
    json_dossier = rights_api("POST", path, claims=OPERATOR, body={"outcome": "granted", "bsn": Y})
    [signal] = json_dossier.json["dossier"]["signals"]
    assert signal["informed"] == {"status": "yes", "on": "2026-11-23"}

    asked = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "kopie", "bsn": Y, "requested_by": "parents", "received_on": "2026-11-20"},
    )
    path = f"/rights-requests/{asked.json['request_id']}/decision"
    html = rights_api("POST", path, claims=OPERATOR, body={"outcome": "granted", "bsn": Y, "format": "html"})
    assert "Gezin geïnformeerd" in html.text and "ja, bevestigd op 2026-11-23" in html.text
