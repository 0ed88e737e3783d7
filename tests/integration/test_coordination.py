"""The views of matches and history, and coordination by the parties of a match."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infra.local.outbox import Mailbox
from tests.conftest import NAMES, PRO_A, PRO_A2, PRO_B, PRO_C, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry

pytestmark = pytest.mark.usefixtures("region")

Y = valid_bsn("32000001")
Z = valid_bsn("32000002")
PARENT = valid_bsn("42000001")
MAIL_A, MAIL_B, MAIL_C = "sub-a@org-a.example.org", "sub-b@org-b.example.org", "sub-c@org-c.example.org"


@pytest.fixture(autouse=True)
def family(persons: FakePersonRegistry) -> None:
    persons.add(youth(Y, date(2016, 1, 10), parents=(PARENT,)))
    persons.add(youth(Z, date(2013, 8, 20), parents=(PARENT,)))


def place(api: Invoke, claims: dict[str, str], bsn: str, reference: str) -> str:
    response = api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
    assert response.status == 201, response.text
    return str(response.json["signal_id"])


def audit_actions(dynamodb: Any, action: str) -> list[dict[str, Any]]:
    return [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == action]


@pytest.fixture
def matched(signals_api: Invoke, match_stream: MatchStream) -> dict[str, str]:
    """A (org-a) and B (org-b) on Y: one client match. D (org-c) on Z, Y's brother: family matches."""
    signals = {
        "a": place(signals_api, PRO_A, Y, "A-1"),
        "b": place(signals_api, PRO_B, Y, "B-1"),
        "d": place(signals_api, PRO_C, Z, "D-1"),
    }
    match_stream.drain()
    return signals


def only_match(api: Invoke, claims: dict[str, str], signal_id: str, kind: str = "client") -> dict[str, Any]:
    response = api("GET", f"/signals/{signal_id}/matches", claims=claims)
    assert response.status == 200, response.text
    [match] = [m for m in response.json["items"] if m["kind"] == kind]
    return dict(match)


def test_the_owner_sees_matches_with_the_other_partys_details(
    signals_api: Invoke, matched: dict[str, str], dynamodb: Any
) -> None:
    response = signals_api("GET", f"/signals/{matched['a']}/matches", claims=PRO_A)
    assert response.status == 200, response.text
    items = response.json["items"]
    assert {(m["kind"], m["other"]["signal_id"]) for m in items} == {
        ("client", matched["b"]),
        ("family", matched["d"]),
    }
    client = next(m for m in items if m["kind"] == "client")
    assert client["signal_id"] == matched["a"]
    assert client["status"] == "open" and client["coordinator"] is None
    assert client["other"] == {
        "signal_id": matched["b"],
        "org_id": "org-b",
        "organisation": "Organisatie B",
        "professional": {"name": "Bram Bos", "email": MAIL_B, "phone": "+31201234567"},
        "signal_status": "active",
        "region": None,  # the same region (set for a professional found through the national link)
    }
    # Another professional of the same organisation may look too (organisation-level access).
    assert signals_api("GET", f"/signals/{matched['a']}/matches", claims=PRO_A2).status == 200

    reads = audit_actions(dynamodb, "matches.read")
    signal_pks = {i["signal_id"]: i["PK"] for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"}
    # The first read showed D's signal on Z: Z's audit trail has it too.
    assert {e["PK"] for e in reads} == {signal_pks[matched["a"]], signal_pks[matched["d"]]}
    assert all(e["target"] == matched["a"] for e in reads)


def test_matches_and_history_are_only_for_the_owners_organisation(signals_api: Invoke, matched: dict[str, str]) -> None:
    for path in (f"/signals/{matched['a']}/matches", f"/signals/{matched['a']}/history"):
        response = signals_api("GET", path, claims=PRO_B)
        assert response.status == 404, response.text
        assert response.headers["Content-Type"] == "application/problem+json"
    assert signals_api("GET", "/signals/no-such-signal/matches", claims=PRO_A).status == 404


def test_history_shows_closed_signals_of_other_organisations_while_the_callers_is_active(
    signals_api: Invoke, matched: dict[str, str], match_stream: MatchStream, dynamodb: Any
) -> None:
    assert signals_api("POST", f"/signals/{matched['b']}/close", claims=PRO_B, body={"reason": "ended"}).status == 200
    own_closed = place(signals_api, PRO_A2, Y, "A2-1")
    assert signals_api("POST", f"/signals/{own_closed}/close", claims=PRO_A2, body={"reason": "ended"}).status == 200
    match_stream.drain()

    response = signals_api("GET", f"/signals/{matched['a']}/history", claims=PRO_A)
    assert response.status == 200, response.text
    assert response.json["items"] == [
        {"org_id": "org-b", "organisation": "Organisatie B", "active_from": "2026-11-23", "closed_on": "2026-11-23"}
    ]
    [entry] = audit_actions(dynamodb, "history.read")
    assert entry["actor"] == "sub-a" and entry["target"] == matched["a"]

    # B's own signal is closed: B sees neither history nor matches any more.
    for path in (f"/signals/{matched['b']}/history", f"/signals/{matched['b']}/matches"):
        refused = signals_api("GET", path, claims=PRO_B)
        assert refused.status == 403, refused.text
    # No history for a youth without closed signals of others.
    assert signals_api("GET", f"/signals/{matched['d']}/history", claims=PRO_C).json["items"] == []


def test_naming_a_coordinator_e_mails_the_other_party_once(
    signals_api: Invoke, matched: dict[str, str], match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    match_id = only_match(signals_api, PRO_A, matched["a"])["match_id"]
    before = mailbox.count_by_recipient()

    named = signals_api("POST", f"/matches/{match_id}/coordinator", claims=PRO_A, body={"signal_id": matched["b"]})
    assert named.status == 200, named.text
    assert named.json["coordinator"] == {
        "signal_id": matched["b"],
        "org_id": "org-b",
        "organisation": "Organisatie B",
        "professional": {"name": "Bram Bos", "email": MAIL_B, "phone": "+31201234567"},
    }
    match_stream.drain()
    [mail] = mailbox.sent[sum(before.values()) :]
    assert mail.to == (MAIL_B,)
    assert "regievoerder" in mail.subject and "B-1" in mail.subject
    assert "U bent benoemd als regievoerder" in mail.html and "Anna Aalders" in mail.html

    # The same again changes nothing and e-mails nobody; B sees it in its own view.
    again = signals_api("POST", f"/matches/{match_id}/coordinator", claims=PRO_A, body={"signal_id": matched["b"]})
    assert again.status == 200
    match_stream.drain()
    assert len(mailbox.sent) == sum(before.values()) + 1
    assert only_match(signals_api, PRO_B, matched["b"])["coordinator"]["signal_id"] == matched["b"]

    # B hands it back to A: A gets one e-mail naming A.
    back = signals_api("POST", f"/matches/{match_id}/coordinator", claims=PRO_B, body={"signal_id": matched["a"]})
    assert back.status == 200, back.text
    match_stream.drain()
    [to_a] = mailbox.sent[sum(before.values()) + 1 :]
    assert to_a.to == (MAIL_A,) and "U bent benoemd als regievoerder" in to_a.html and "A-1" in to_a.subject
    assert len(audit_actions(dynamodb, "match.coordinator_named")) == 2


def test_naming_the_other_party_tells_the_recipient_who_it_is(
    signals_api: Invoke, matched: dict[str, str], match_stream: MatchStream, mailbox: Mailbox
) -> None:
    match_id = only_match(signals_api, PRO_A, matched["a"])["match_id"]
    seen = len(mailbox.sent)
    assert (
        signals_api("POST", f"/matches/{match_id}/coordinator", claims=PRO_A, body={"signal_id": matched["a"]}).status
        == 200
    )
    match_stream.drain()
    [mail] = mailbox.sent[seen:]
    assert mail.to == (MAIL_B,)
    assert "De regievoerder is" in mail.html and "Anna Aalders" in mail.html and MAIL_A in mail.html


def test_marking_coordinated_e_mails_the_other_party_once(
    signals_api: Invoke, matched: dict[str, str], match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    listed = signals_api("GET", f"/signals/{matched['d']}/matches", claims=PRO_C).json["items"]
    assert {m["kind"] for m in listed} == {"family"} and len(listed) == 2
    [with_b] = [m for m in listed if m["other"]["signal_id"] == matched["b"]]
    match_id, other = with_b["match_id"], with_b["other"]
    seen = len(mailbox.sent)

    done = signals_api("POST", f"/matches/{match_id}/coordinated", claims=PRO_C)
    assert done.status == 200, done.text
    assert done.json["status"] == "coordinated" and done.json["coordinated_at"].startswith("2026-11-23T")
    match_stream.drain()
    [mail] = mailbox.sent[seen:]
    assert mail.to == (other["professional"]["email"],)
    assert "afgestemd" in mail.subject and "gezinsmatch" in mail.html and "Carla Cats" in mail.html

    # The other party marking it too: it already is; nobody is e-mailed again.
    again = signals_api("POST", f"/matches/{match_id}/coordinated", claims=PRO_B)
    assert again.status == 200 and again.json["status"] == "coordinated"
    match_stream.drain()
    assert len(mailbox.sent) == seen + 1
    # Family coordination is audited in both youths' trails.
    [entry_y, entry_z] = sorted(audit_actions(dynamodb, "match.coordinated"), key=lambda e: e["PK"])
    assert entry_y["PK"] != entry_z["PK"] and entry_y["target"] == entry_z["target"] == match_id


def test_only_parties_may_coordinate(signals_api: Invoke, matched: dict[str, str]) -> None:
    match_id = only_match(signals_api, PRO_A, matched["a"])["match_id"]  # A (org-a) and B (org-b)
    for path, body in (
        (f"/matches/{match_id}/coordinator", {"signal_id": matched["a"]}),
        (f"/matches/{match_id}/coordinated", None),
    ):
        refused = signals_api("POST", path, claims=PRO_C, body=body)
        assert refused.status == 404, refused.text
        assert refused.json["detail"] == "no such match"
    unknown = signals_api("POST", "/matches/00000000-0000-5000-8000-000000000000/coordinated", claims=PRO_A)
    assert unknown.status == 404
    # The regievoerder must be one of the match's two signals.
    stranger = signals_api("POST", f"/matches/{match_id}/coordinator", claims=PRO_A, body={"signal_id": matched["d"]})
    assert stranger.status == 422
    assert stranger.json["errors"] == [
        {"field": "signal_id", "message": "the regievoerder must be one of the two signals of this match"}
    ]


def test_a_party_whose_signal_is_closed_cannot_coordinate_and_gets_no_e_mail(
    signals_api: Invoke, matched: dict[str, str], match_stream: MatchStream, mailbox: Mailbox
) -> None:
    match_id = only_match(signals_api, PRO_A, matched["a"])["match_id"]
    assert signals_api("POST", f"/signals/{matched['b']}/close", claims=PRO_B, body={"reason": "ended"}).status == 200
    match_stream.drain()
    seen = len(mailbox.sent)

    refused = signals_api("POST", f"/matches/{match_id}/coordinated", claims=PRO_B)
    assert refused.status == 403, refused.text
    # Nor can B, with a closed signal, become the regievoerder.
    closed = signals_api("POST", f"/matches/{match_id}/coordinator", claims=PRO_A, body={"signal_id": matched["b"]})
    assert closed.status == 422, closed.text
    # A may still mark it; B's signal is closed, so B is not e-mailed.
    done = signals_api("POST", f"/matches/{match_id}/coordinated", claims=PRO_A)
    assert done.status == 200 and done.json["other"]["signal_status"] == "closed"
    match_stream.drain()
    assert len(mailbox.sent) == seen
