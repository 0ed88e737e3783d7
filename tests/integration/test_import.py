"""Moving in: a file of another index's signals imported by the operator, every row checked by the
placement's rules on its own dates, a report per line, a dry run, a re-run, silent matches."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

import pytest

from infra.local.outbox import Mailbox
from infra.ops.import_signals import main as import_command
from infra.ops.import_signals import run_import
from tests.conftest import NAMES, NOW, PRO_A, PRO_B, Invoke, MatchStream
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.domain.matches import match_id_for
from verwijsindex.logic.importing import ImportOptions, ImportReport, Notify, Outcome
from verwijsindex.logic.transfer_files import FileFormat

pytestmark = pytest.mark.usefixtures("region")

TODAY = NOW.date()
PARENT = valid_bsn("41000001")
Y1, Y2, Y3, Y4, Y5, Y6 = (valid_bsn(f"4110000{n}") for n in range(1, 7))
OLD, YOUNG, DEAD, UNKNOWN = valid_bsn("41200001"), valid_bsn("41200002"), valid_bsn("41200003"), valid_bsn("41200004")
PRO = {
    "ms-a": ("Anna Aalders", "sub-a@org-a.example.org"),
    "org-b": ("Bram Bos", "sub-b@org-b.example.org"),
    "org-c": ("Carla Cats", "sub-c@org-c.example.org"),
}


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def row(bsn: str, org: str, placed_days_ago: int, **changes: Any) -> dict[str, Any]:
    name, email = PRO.get(org, ("Onbekend", f"iemand@{org}.example.org"))
    placed = TODAY - timedelta(days=placed_days_ago)
    values: dict[str, Any] = {
        "bsn": bsn,
        "org_id": org,
        "professional_name": name,
        "professional_email": email,
        "professional_phone": "020 123 4567",
        "client_reference": f"REF-{bsn[-4:]}-{org}",
        "placed_on": placed.isoformat(),
        "active_until": placed.replace(year=placed.year + 2).isoformat(),
        "status": "active",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def jsonl(*rows: dict[str, Any] | str) -> list[str]:
    return [(r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows]


# Line by line: what the file holds and what must become of it.
FILE = jsonl(
    row(Y1, "ms-a", 200, source_id="S1"),  # 1 imported, active (ms-a mapped to org-a)
    row(Y1, "org-b", 100, source_id="S2"),  # 2 imported, active: a client match with line 1
    row(Y2, "ms-a", 50, source_id="S3"),  # 3 imported: a family match with line 4 (siblings)
    row(Y3, "org-c", 40, source_id="S4"),  # 4 imported
    row(Y1, "org-c", 1000, source_id="S5", status="closed", closed_on=days_ago(400), close_reason="ended"),  # 5 history
    row(Y4, "org-b", 900, source_id="S6"),  # 6 its two years are over: stored closed, expired
    row("123456789", "org-b", 10, source_id="S7"),  # 7 not a BSN
    row(Y4, "mystery", 10, source_id="S8"),  # 8 unknown organisation
    row(Y4, "org-b", 10, source_id="S9", professional_email="nobody@org-b.example.org"),  # 9 unknown professional
    row(OLD, "org-b", 10, source_id="S10"),  # 10 23 by now: destroyed
    row(YOUNG, "org-b", 30, source_id="S11"),  # 11 born after it was placed
    row(DEAD, "org-b", 30, source_id="S12"),  # 12 died since: destroyed
    row(UNKNOWN, "org-b", 30, source_id="S13"),  # 13 the BRP does not know the BSN
    row(Y4, "org-c", 30, source_id="S14", active_until=days_ago(-800)),  # 14 longer than two years
    row(
        Y4,
        "org-c",
        3000,
        source_id="S15",
        status="closed",
        closed_on=days_ago(2000),
        active_until=days_ago(2200),
        close_reason="ended",
    ),  # 15 history ended: destroyed
    row(Y4, "org-c", 300, source_id="S16", status="closed", closed_on=days_ago(200), close_reason="unjustified"),  # 16
    row(Y4, "org-c", -3, source_id="S17"),  # 17 placed in the future
    "{not json",  # 18
    {k: v for k, v in row(Y4, "org-c", 5, source_id="S19").items() if k != "client_reference"},  # 19 missing column
    {**row(Y4, "org-c", 5, source_id="S20"), "name": "Jan"},  # 20 a column the format does not have
    row(Y4, "org-c", 300, source_id="S21", status="closed", close_reason="ended"),  # 21 closed without closed_on
    row(Y1, "ms-a", 200, source_id="S1"),  # 22 line 1 again
    row(Y1, "ms-a", 20, source_id="S23"),  # 23 the same professional's second active signal on Y1
    row(Y5, "ms-a", 60, source_id="S24"),  # 24 matches a signal placed in this index: e-mailed
    row(Y6, "ms-a", 60, source_id="S25"),  # 25 its professional holds an active signal on Y6 here already
)
EXPECTED = {
    1: Outcome.IMPORTED,
    2: Outcome.IMPORTED,
    3: Outcome.IMPORTED,
    4: Outcome.IMPORTED,
    5: Outcome.IMPORTED,
    6: Outcome.IMPORTED,
    22: Outcome.DUPLICATE,
    23: Outcome.DUPLICATE,
    24: Outcome.IMPORTED,
}  # every other line refused
AT_FAULT = {
    7: "bsn", 8: "org_id", 9: "professional_email", 10: "bsn", 11: "placed_on", 12: "bsn", 13: "bsn",
    14: "active_until", 15: "closed_on", 16: "close_reason", 17: "placed_on", 18: "line", 19: "client_reference",
    20: "name", 21: "closed_on", 22: "source_id", 23: "professional_email", 25: "professional_email",
}  # fmt: skip
OPTIONS = ImportOptions(source="multisignaal", org_map={"ms-a": "org-a"}, chunk_size=7)


@pytest.fixture
def people(persons: FakePersonRegistry) -> None:
    for bsn in (Y1, Y4, Y5, Y6):
        persons.add(youth(bsn, date(2012, 5, 5)))
    persons.add(youth(Y2, date(2014, 1, 1), parents=(PARENT,)))
    persons.add(youth(Y3, date(2016, 1, 1), parents=(PARENT,)))
    persons.add(youth(OLD, TODAY.replace(year=TODAY.year - 23) - timedelta(days=2)))
    persons.add(youth(YOUNG, TODAY - timedelta(days=10)))
    persons.add(youth(DEAD, date(2012, 1, 1), death_date=TODAY - timedelta(days=5)))


def run(services: wiring.Services, lines: list[str], options: ImportOptions = OPTIONS) -> ImportReport:
    return run_import(services, "operator-1", lines, FileFormat.JSONL, options)


def signals(dynamodb: Any) -> dict[str, dict[str, Any]]:
    return {i["signal_id"]: i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"}


def audit_entries(dynamodb: Any, action: str) -> list[dict[str, Any]]:
    return [i for i in all_items(dynamodb, NAMES.audit) if i["action"] == action]


@pytest.mark.usefixtures("people")
def test_a_file_is_imported_line_by_line_with_a_report_and_silent_matches(
    services: wiring.Services, signals_api: Invoke, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    placed = signals_api("POST", "/signals", claims=PRO_B, body={"bsn": Y5, "client_reference": "HIER-5"})
    assert placed.status == 201
    assert signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y6, "client_reference": "HIER-6"}).status == 201
    match_stream.drain()
    before = signals(dynamodb)

    report = run(services, FILE)

    outcomes = {r.line: r.outcome for r in report.rows}
    assert outcomes == {line: EXPECTED.get(line, Outcome.REFUSED) for line in range(1, 26)}
    faults = {r.line: r.errors[0].field for r in report.rows if r.errors}
    assert faults == AT_FAULT
    assert report.counts[Outcome.IMPORTED] == 7 and report.counts[Outcome.DUPLICATE] == 2
    assert report.unknown_organisations == ["mystery"]
    assert [(p.org_id, p.email) for p in report.unknown_professionals] == [("org-b", "nobody@org-b.example.org")]
    text = report.model_dump_json()
    for bsn in (Y1, Y2, Y3, Y4, Y5, Y6, OLD, YOUNG, DEAD, UNKNOWN):
        assert bsn not in text

    # The stored signals, with their own dates and the state those dates give today.
    stored = {k: v for k, v in signals(dynamodb).items() if k not in before}
    by_line = {r.line: stored[str(r.signal_id)] for r in report.rows if r.outcome is Outcome.IMPORTED}
    assert set(by_line) == {1, 2, 3, 4, 5, 6, 24} and len(stored) == 7
    assert by_line[1]["org_id"] == "org-a" and by_line[1]["status"] == "active"
    assert by_line[1]["active_from"] == days_ago(200)
    assert by_line[1]["imported"] == {"source": "multisignaal", "on": TODAY.isoformat(), "silent": True}
    assert (by_line[5]["status"], by_line[5]["close_reason"], by_line[5]["closed_on"]) == (
        "closed",
        "ended",
        days_ago(400),
    )
    expired_until = date.fromisoformat(by_line[6]["active_until"])
    assert (by_line[6]["status"], by_line[6]["close_reason"]) == ("closed", "expired")
    assert by_line[6]["closed_on"] == (expired_until + timedelta(days=1)).isoformat()
    # Closed ones wait in the archive index for the end of their history.
    assert by_line[5]["GSI2SK"].startswith("ARCHIVE#") and "GSI3PK" not in by_line[5]

    # Every imported signal has its audit entry, by the operator.
    entries = audit_entries(dynamodb, "signal.imported")
    assert sorted(e["target"] for e in entries) == sorted(stored)
    assert {e["actor"] for e in entries} == {"operator-1"}

    # Matches: between imported signals silently, with a signal placed here by e-mail.
    match_stream.drain()
    sides = {i["match_id"]: i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "match"}
    client = match_id_for(by_line[1]["signal_id"], by_line[2]["signal_id"])
    family = match_id_for(by_line[3]["signal_id"], by_line[4]["signal_id"])
    news = match_id_for(by_line[24]["signal_id"], placed.json["signal_id"])
    assert {client, family, news} == set(sides)
    assert sides[client]["kind"] == "client" and sides[family]["kind"] == "family"
    notes = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "notification"]
    states = {(n["match_id"], n["recipient_email"]): n["state"] for n in notes}
    assert {s for (m, _), s in states.items() if m in {client, family}} == {"suppressed"}
    assert {s for (m, _), s in states.items() if m == news} == {"sent"}
    assert sorted(address for mail in mailbox.sent for address in mail.to) == [
        "sub-a@org-a.example.org",
        "sub-b@org-b.example.org",
    ]
    assert not [n for n in notes if n["state"] == "suppressed" and "GSI3PK" in n]


@pytest.mark.usefixtures("people")
def test_a_rerun_recognises_every_row_and_changes_nothing_and_a_mapping_brings_in_what_was_unknown(
    services: wiring.Services, match_stream: MatchStream, dynamodb: Any
) -> None:
    first = run(services, FILE)
    match_stream.drain()
    items = all_items(dynamodb, NAMES.main)
    imported_entries = len(audit_entries(dynamodb, "signal.imported"))

    again = run(services, FILE)

    imported = {r.line for r in first.rows if r.outcome is Outcome.IMPORTED}
    assert {r.line for r in again.rows if r.outcome is Outcome.ALREADY_IMPORTED} == imported
    assert {r.line: r.signal_id for r in again.rows if r.line in imported} == {
        r.line: r.signal_id for r in first.rows if r.line in imported
    }
    assert {r.line: r.outcome for r in again.rows if r.line not in imported} == {
        r.line: r.outcome for r in first.rows if r.line not in imported
    }
    match_stream.drain()
    assert sorted(map(repr, all_items(dynamodb, NAMES.main))) == sorted(map(repr, items))
    assert len(audit_entries(dynamodb, "signal.imported")) == imported_entries

    # The operator maps the unknown organisation and its professional to registered ones.
    mapping = {
        "org_map": {"ms-a": "org-a", "mystery": "org-b"},
        "professional_map": {"Iemand@Mystery.example.org": "SUB-B@org-b.example.org"},  # case does not matter
    }
    mapped = run(services, FILE, ImportOptions.model_validate({**OPTIONS.model_dump(), **mapping}))
    assert {r.line for r in mapped.rows if r.outcome is Outcome.IMPORTED} == {8}
    assert mapped.unknown_organisations == []
    (signal,) = (s for s in signals(dynamodb).values() if s["signal_id"] == mapped.rows[7].signal_id)
    assert (signal["org_id"], signal["professional"]["email"]) == ("org-b", "sub-b@org-b.example.org")


@pytest.mark.usefixtures("people")
def test_a_dry_run_reports_what_a_run_would_do_and_stores_nothing(
    services: wiring.Services, signals_api: Invoke, dynamodb: Any
) -> None:
    assert signals_api("POST", "/signals", claims=PRO_A, body={"bsn": Y6, "client_reference": "HIER-6"}).status == 201
    items = all_items(dynamodb, NAMES.main)
    audit = all_items(dynamodb, NAMES.audit)

    dry = run(services, FILE, OPTIONS.model_copy(update={"dry_run": True}))

    assert all_items(dynamodb, NAMES.main) == items
    assert all_items(dynamodb, NAMES.audit) == audit
    wet = {**EXPECTED, **{line: Outcome.VALID for line, o in EXPECTED.items() if o is Outcome.IMPORTED}}
    assert {r.line: r.outcome for r in dry.rows} == {line: wet.get(line, Outcome.REFUSED) for line in range(1, 26)}
    assert {r.line: r.errors[0].field for r in dry.rows if r.errors} == AT_FAULT
    # What it says is what a run then does.
    real = run(services, FILE)
    assert {r.line: r.signal_id for r in real.rows} == {r.line: r.signal_id for r in dry.rows}


@pytest.mark.usefixtures("people")
def test_matches_between_imported_signals_are_e_mailed_when_the_operator_chooses_it(
    services: wiring.Services, match_stream: MatchStream, mailbox: Mailbox
) -> None:
    report = run(services, FILE[:4], OPTIONS.model_copy(update={"notify": Notify.EMAIL}))
    assert [r.outcome for r in report.rows] == [Outcome.IMPORTED] * 4
    match_stream.drain()
    # One e-mail to each party of each match: the client match (lines 1, 2), the family match (3, 4).
    assert sorted(address for mail in mailbox.sent for address in mail.to) == sorted(
        ["sub-a@org-a.example.org", "sub-b@org-b.example.org", "sub-a@org-a.example.org", "sub-c@org-c.example.org"]
    )


@pytest.mark.usefixtures("people")
def test_the_operator_command_reads_csv_and_writes_the_report(
    services: wiring.Services, dynamodb: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [row(Y1, "ms-a", 200, source_id="C1"), row(Y4, "mystery", 10, source_id="C2")]
    columns = list(rows[0])
    buffer = io.StringIO()
    buffer.write(",".join(columns) + "\n")
    for r in rows:
        buffer.write(",".join(str(r.get(c, "")) for c in columns) + "\n")
    buffer.write("C3,only three cells\n")  # line 4: not as many cells as the header
    source = tmp_path / "signalen.csv"
    source.write_text(buffer.getvalue(), encoding="utf-8")
    report_path = tmp_path / "report.json"

    code = import_command(
        [str(source), "--source", "multisignaal", "--operator", "operator-1", "--map-org", "ms-a=org-a",
         "--report", str(report_path)],
        services=services,
    )  # fmt: skip

    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"]["imported"] == 1 and summary["unknown_organisations"] == ["mystery"]
    written = json.loads(report_path.read_text(encoding="utf-8"))
    assert [(r["line"], r["outcome"]) for r in written["rows"]] == [(2, "imported"), (3, "refused"), (4, "refused")]
    assert written["rows"][2]["errors"] == [{"field": "line", "message": "the row has 2 cells, the header 10"}]
    assert len(signals(dynamodb)) == 1


@pytest.mark.usefixtures("people")
def test_the_familys_dossier_names_the_index_an_imported_signal_came_from(
    services: wiring.Services, rights_api: Invoke
) -> None:
    from tests.conftest import OPERATOR

    report = run(services, FILE[:2])
    asked = rights_api(
        "POST",
        "/rights-requests",
        claims=OPERATOR,
        body={"kind": "inzage", "bsn": Y1, "requested_by": "both", "received_on": TODAY.isoformat()},
    )
    assert asked.status == 201, asked.text
    granted = rights_api(
        "POST",
        f"/rights-requests/{asked.json['request_id']}/decision",
        claims=OPERATOR,
        body={"outcome": "granted", "bsn": Y1},
    )
    assert granted.status == 200, granted.text
    sources = {s["data"]: s["source"] for s in granted.json["dossier"]["sources"]}
    for row in report.rows:
        assert sources[f"Signaal {row.signal_id}"].endswith(f"; overgenomen uit multisignaal op {TODAY.isoformat()}")
    dossier = {s["signal_id"]: s["active_from"] for s in granted.json["dossier"]["signals"]}
    assert dossier == {report.rows[0].signal_id: days_ago(200), report.rows[1].signal_id: days_ago(100)}


@pytest.mark.usefixtures("people")
def test_history_may_name_a_suspended_organisation_or_a_professional_who_left_an_active_signal_may_not(
    services: wiring.Services, registry_api: Invoke
) -> None:
    from infra.local.accounts import LocalAccounts
    from tests.conftest import OPERATOR

    services.accounts = LocalAccounts()  # the user directory that disables a deactivated account
    assert registry_api("POST", "/organisations/org-c/suspend", claims=OPERATOR).status == 200
    left = registry_api("POST", "/organisations/org-a/professionals/sub-a2/deactivate", claims=OPERATOR)
    assert left.status == 200, left.text
    closed = {"status": "closed", "closed_on": days_ago(100), "close_reason": "ended"}
    lines = jsonl(
        row(Y4, "org-c", 300, source_id="H1"),  # 1 active, organisation suspended
        row(Y4, "org-c", 300, source_id="H2", **closed),  # 2 history of a suspended organisation
        row(Y4, "ms-a", 300, source_id="H3", professional_email="sub-a2@org-a.example.org"),  # 3 active, left
        row(Y4, "ms-a", 300, source_id="H4", professional_email="sub-a2@org-a.example.org", **closed),  # 4
    )

    report = run(services, lines)

    assert [(r.line, r.outcome, r.errors[0].field if r.errors else None) for r in report.rows] == [
        (1, Outcome.REFUSED, "org_id"),
        (2, Outcome.IMPORTED, None),
        (3, Outcome.REFUSED, "professional_email"),
        (4, Outcome.IMPORTED, None),
    ]
    assert report.unknown_organisations == [] and report.unknown_professionals == []


@pytest.mark.usefixtures("people")
def test_a_matches_file_forms_each_match_and_restores_its_coordination_without_e_mail(
    services: wiring.Services, match_stream: MatchStream, mailbox: Mailbox, dynamodb: Any
) -> None:
    coordinated = {"status": "coordinated", "coordinated_on": days_ago(30)}
    matches = jsonl(
        {"kind": "client", "source_id": "S1", "other_source_id": "S2", "coordinator_source_id": "S2",
         "coordinated_by_source_id": "S2", **coordinated},  # 1 a regievoerder, afgestemd
        {"kind": "family", "source_id": "S3", "other_source_id": "S4"},  # 2 open
        {"kind": "client", "source_id": "S1", "other_region": "zuid"},  # 3 with another region
        {"kind": "client", "source_id": "S1", "other_source_id": "S99"},  # 4 no such signal in the file
        {"kind": "client", "source_id": "S1", "other_source_id": "S2", "coordinator_source_id": "S3"},  # 5
        {"kind": "client", "source_id": "S1", "other_source_id": "S2", "status": "coordinated"},  # 6 no day
    )  # fmt: skip
    expected = [Outcome.IMPORTED, Outcome.IMPORTED, Outcome.SKIPPED, Outcome.REFUSED, Outcome.REFUSED, Outcome.REFUSED]

    dry = run_import(
        services,
        "operator-1",
        FILE[:4],
        FileFormat.JSONL,
        OPTIONS.model_copy(update={"dry_run": True}),
        matches=matches,
    )
    assert [r.outcome for r in dry.match_rows] == [Outcome.VALID, Outcome.VALID, *expected[2:]]
    report = run_import(services, "operator-1", FILE[:4], FileFormat.JSONL, OPTIONS, matches=matches)

    assert [r.outcome for r in report.match_rows] == expected
    assert [r.errors[0].field for r in report.match_rows[3:]] == [
        "other_source_id",
        "coordinator_source_id",
        "coordinated_on",
    ]
    ids = {r.line: r.signal_id for r in report.rows}
    match_stream.drain()
    sides = [i for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "match"]
    client = [s for s in sides if s["kind"] == "client"]
    assert len(client) == 2 and len(sides) == 4
    assert {(s["status"], s["coordinator_signal_id"], s["coordinated_by_org"]) for s in client} == {
        ("coordinated", ids[2], "org-b")
    }
    assert {s["coordinated_at"][:10] for s in client} == {days_ago(30)}
    assert mailbox.sent == []
    entries = [e for e in all_items(dynamodb, NAMES.audit) if e["action"].startswith("match.coordin")]
    assert sorted(e["action"] for e in entries) == ["match.coordinated", "match.coordinator_named"]

    again = run_import(services, "operator-1", FILE[:4], FileFormat.JSONL, OPTIONS, matches=matches)
    assert [r.outcome for r in again.match_rows][:2] == [Outcome.ALREADY_IMPORTED, Outcome.ALREADY_IMPORTED]
