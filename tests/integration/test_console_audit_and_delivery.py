"""The console's audit trail (of a youth by a posted BSN, of an actor) and its delivery problems
(bounced addresses, work the sweeper gave up on), on moto."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import NAMES, PRO_A, Invoke
from tests.portal_support import Browser, csrf_of, signed_in_operator
from tests.support import all_items, valid_bsn, youth
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.adapters.dynamo import keys
from verwijsindex.domain.clock import FixedClock
from verwijsindex.ports.work import WorkKind

pytestmark = pytest.mark.usefixtures("region")
AUDIT = "/portaal/beheer/audit"
Y = valid_bsn("31000021")


@pytest.fixture
def operator(portal: Any) -> Browser:
    return signed_in_operator(portal)


@pytest.fixture
def placed(persons: FakePersonRegistry, signals_api: Invoke) -> str:
    persons.add(youth(Y, date(2016, 4, 4), name="Yfke Verborgen"))
    done = signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y, "client_reference": "A-YFKE"})
    assert done.status == 201, done.text
    return str(done.json["signal_id"])


def audit_reads(dynamodb: Any) -> list[dict[str, Any]]:
    return [e for e in all_items(dynamodb, NAMES.audit) if e["action"] == "audit.read"]


def test_the_trail_of_a_youth_is_asked_with_a_posted_bsn_and_the_look_is_audited(
    operator: Browser, placed: str, services: Any, dynamodb: Any
) -> None:
    token = csrf_of(operator.request("GET", AUDIT))
    refused = operator.request("POST", AUDIT, {"bsn": "123", "csrf": token})
    assert refused.status == 422 and 'id="fout-bsn"' in refused.text
    assert audit_reads(dynamodb) == []

    page = operator.request("POST", AUDIT, {"bsn": Y, "csrf": token})
    assert page.status == 200
    assert "Signaal afgegeven" in page.text and placed in page.text and "sub-a (org-a)" in page.text
    assert "Audittrail ingezien" in page.text  # this very look, recorded first
    assert "Yfke Verborgen" not in page.text
    [look] = audit_reads(dynamodb)
    assert look["actor"] == "operator-1" and look["subject"] == keys.youth_pk(services.pseudonyms.regional(Y))
    assert Y not in repr(all_items(dynamodb, NAMES.audit))


def test_the_trail_of_an_actor(operator: Browser, placed: str, dynamodb: Any) -> None:
    page = operator.request("GET", f"{AUDIT}?actor=sub-a")
    assert page.status == 200
    assert "Audittrail van sub-a" in page.text and "Signaal afgegeven" in page.text
    [look] = audit_reads(dynamodb)
    assert look["target"] == "sub-a"
    wrong = operator.request("GET", f"{AUDIT}?actor=iemand%20met%20spaties")
    assert wrong.status == 422 and 'id="fout-actor"' in wrong.text
    assert len(audit_reads(dynamodb)) == 1


def test_delivery_problems_list_bounced_addresses_until_the_registration_is_saved_again(
    operator: Browser, services: Any, clock: FixedClock
) -> None:
    services.addresses.mark("sub-b@org-b.example.org", "bounce", clock.now() - timedelta(days=2))
    page = operator.request("GET", "/portaal/beheer/bezorging")
    assert page.status == 200
    table = page.text.split('id="adressen-titel"', 1)[1].split("</table>", 1)[0]
    assert "Bram Bos" in table and "sub-b@org-b.example.org" in table and "Anna Aalders" not in table

    professional = "/portaal/beheer/organisaties/org-b/professionals/sub-b"
    form = {"name": "Bram Bos", "email": "bram.bos@org-b.example.org", "phone": "+31 20 123 4567"}
    saved = operator.request("POST", professional, {**form, "csrf": csrf_of(operator.request("GET", professional))})
    assert saved.status == 303
    after = operator.request("GET", "/portaal/beheer/bezorging")
    assert "Alle adressen van actieve professionals werken." in after.text


def test_delivery_problems_list_the_work_the_sweeper_gave_up_on(
    operator: Browser, placed: str, services: Any, clock: FixedClock
) -> None:
    empty = operator.request("GET", "/portaal/beheer/bezorging")
    assert "Er is geen vastgelopen werk." in empty.text
    work = services.reconciler.work
    [item] = work.overdue(WorkKind.SIGNAL, clock.now() + timedelta(days=1), 10)  # the match never ran
    assert work.give_up(item)
    assert item.signal is not None

    page = operator.request("GET", "/portaal/beheer/bezorging")
    table = page.text.split('id="werk-titel"', 1)[1].split("</table>", 1)[0]
    assert table.count("Matchen of doorgeven van een signaal") == 1
    # The reference quoted to whoever maintains the index opens to the work's own item.
    [reference] = re.findall(r"<code>([^<]+)</code>", table)
    opened = services.stuck_work.open_reference(reference)
    own_key = (keys.youth_pk(item.signal.youth_key), keys.signal_sk(item.signal.signal_id))
    assert (opened[keys.PK]["S"], opened[keys.SK]["S"]) == own_key
    # What the operator reads names nobody: no signal id, no reference of the organisation.
    assert placed not in page.text and "A-YFKE" not in page.text


def test_the_national_index_move_notices_are_listed_newest_first(
    operator: Browser, services: Any, clock: FixedClock
) -> None:
    from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
    from verwijsindex.domain.national import MoveNotice, RemoteParty

    assert (
        "Er zijn het afgelopen jaar geen verhuisberichten ontvangen."
        in operator.request("GET", "/portaal/beheer/bezorging").text
    )
    for n, municipality in enumerate(("0014", "0363")):
        party = RemoteParty(
            region="zuid",
            region_name="Zuid",
            signal_id=f"0000000{n}-0000-4000-8000-000000000000",
            org_id="jeugdhulp-zuid",
            organisation="Jeugdhulp Zuid",
            professional={"name": f"Zoë Zuid {n}", "email": f"zoe{n}@zuid.example.org", "phone": "+31 40 123 4567"},
        )
        notice = MoveNotice(
            region="noord",
            notice_id=f"1000000{n}-0000-4000-8000-000000000000",
            municipality=municipality,
            moved_on=clock.now().date() - timedelta(days=3),
            from_region="zuid",
            from_region_name="Zuid",
            signals=(party,),
        )
        at = clock.now() - timedelta(hours=2 - n)
        entry = AuditEntry(
            entry_id=f"e{n}",
            at=at,
            actor="national-index",
            action=AuditAction.MOVE_NOTICE_RECEIVED,
            subject=AuditSubject.move_notice(notice.notice_id),
        )
        assert services.move_notice_store.record(notice, at, entry)

    page = operator.request("GET", "/portaal/beheer/bezorging")
    moves = page.text.split('id="verhuizingen-titel"', 1)[1]
    assert moves.index("gemeente 0363") < moves.index("gemeente 0014")  # newest first
    assert "Zoë Zuid 1" in moves and 'href="mailto:zoe0@zuid.example.org"' in moves
    assert "nog niet verstuurd" in moves
