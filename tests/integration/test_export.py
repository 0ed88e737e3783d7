"""Moving out: the region's signals and matches exported encrypted and audited, pseudonymous unless
the BRP's BSNs re-identify them; such an export imports into an empty region as the same signals
and matches."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import boto3
import pytest

from infra.local.events import user_claims
from infra.local.outbox import Mailbox
from infra.local.streams import StreamPump
from infra.local.tables import TableNames, create_tables
from infra.ops.export_signals import export_to
from infra.ops.import_signals import run_import
from tests.conftest import NAMES, OPERATOR, PRO_A, PRO_B, PRO_C, Invoke, MatchStream, runtime_config
from tests.support import all_items, valid_bsn, youth
from verwijsindex import wiring
from verwijsindex.adapters.brp.fake import FakePersonRegistry
from verwijsindex.adapters.transfer_bucket import TransferBucket
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.logic.importing import ImportOptions, Outcome
from verwijsindex.logic.transfer_files import FileFormat

pytestmark = pytest.mark.usefixtures("region")

PARENT = valid_bsn("42000001")
Y1, Y2, Y3, Y4 = (valid_bsn(f"421000{n}0") for n in range(1, 5))
TARGET = TableNames(main="target-main", audit="target-audit", idempotency="target-idempotency")
PROFESSIONALS = (
    ("org-a", "sub-a", "Anna Aalders"),
    ("org-a", "sub-a2", "Arend Abma"),
    ("org-b", "sub-b", "Bram Bos"),
    ("org-c", "sub-c", "Carla Cats"),
)


@pytest.fixture
def bucket(aws: None) -> TransferBucket:
    key = boto3.client("kms").create_key(Description="transfer")["KeyMetadata"]["Arn"]
    boto3.client("s3").create_bucket(Bucket="transfers", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return TransferBucket(boto3.client("s3"), "transfers", key)


@pytest.fixture
def signalled(
    region: None, persons: FakePersonRegistry, signals_api: Invoke, match_stream: MatchStream, services: wiring.Services
) -> None:
    """A client match (Y1), a family match (Y2 and Y3 share a parent), closed history (Y4), and a
    signal imported from an earlier index."""
    for bsn in (Y1, Y4):
        persons.add(youth(bsn, date(2012, 3, 3)))
    persons.add(youth(Y2, date(2013, 3, 3), parents=(PARENT,)))
    persons.add(youth(Y3, date(2015, 3, 3), parents=(PARENT,)))
    for claims, bsn, reference in (
        (PRO_A, Y1, "A-1"),
        (PRO_B, Y1, "B-1"),
        (PRO_A, Y2, "A-2"),
        (PRO_C, Y3, "C-3"),
        (PRO_B, Y4, "B-4"),
    ):
        placed = signals_api("POST", "/signals", claims=claims, body={"bsn": bsn, "client_reference": reference})
        assert placed.status == 201, placed.text
        if reference == "B-4":
            closed = signals_api(
                "POST", f"/signals/{placed.json['signal_id']}/close", claims=PRO_B, body={"reason": "ended"}
            )
            assert closed.status == 200
    earlier = {
        "source_id": "OLD-1", "bsn": Y1, "org_id": "org-c", "professional_name": "Carla Cats",
        "professional_email": "sub-c@org-c.example.org", "professional_phone": "+31201234567",
        "client_reference": "C-1", "placed_on": "2025-01-06", "active_until": "2026-01-06", "status": "closed",
        "closed_on": "2025-09-01", "close_reason": "ended",
    }  # fmt: skip
    report = run_import(services, "operator-1", [json.dumps(earlier)], FileFormat.JSONL, ImportOptions(source="old"))
    assert report.counts[Outcome.IMPORTED] == 1
    match_stream.drain()
    # Anna names herself regievoerder of the client match on Y1, and marks it afgestemd.
    (mine,) = (s for s in all_items(services.dynamodb, NAMES.main) if s.get("client_reference") == "A-1")
    listed = signals_api("GET", f"/signals/{mine['signal_id']}/matches", claims=PRO_A)
    (client,) = (m["match_id"] for m in listed.json["items"] if m["kind"] == "client")
    named = signals_api("POST", f"/matches/{client}/coordinator", claims=PRO_A, body={"signal_id": mine["signal_id"]})
    assert named.status == 200, named.text
    assert signals_api("POST", f"/matches/{client}/coordinated", claims=PRO_A).status == 200
    match_stream.drain()


def contents(dynamodb: Any, table: str) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """Signals and matches as a region's people see them, whatever the ids."""
    items = all_items(dynamodb, table)
    signals = {i["signal_id"]: i for i in items if i.get("entity") == "signal"}
    seen = Counter(
        (
            s["org_id"], s["professional"]["email"], s["client_reference"], s["active_from"], s["active_until"],
            s["status"], s.get("closed_on"), s.get("close_reason"),
        )
        for s in signals.values()
    )  # fmt: skip
    reference = {signal_id: signal["client_reference"] for signal_id, signal in signals.items()}
    matches = Counter(
        (
            m["kind"],
            tuple(sorted((reference[m["signal_id"]], reference[m["other_signal_id"]]))),
            m["status"],
            reference.get(m.get("coordinator_signal_id", "")),
            m.get("coordinated_at", "")[:10],
            m.get("coordinated_by_org"),
        )
        for m in items
        if m.get("entity") == "match"
    )

    return seen, matches


@pytest.mark.usefixtures("signalled")
def test_an_export_is_encrypted_audited_and_names_youths_by_pseudonym_only(
    services: wiring.Services, bucket: TransferBucket, dynamodb: Any
) -> None:
    summary, written = export_to(services, bucket, "operator-1", "export/1")

    assert (summary.signals, summary.matches, summary.named_by_bsn) == (6, 2, 0)
    for key in written.values():
        algorithm, key_id = bucket.encryption_of(key)
        assert (algorithm, key_id) == ("aws:kms", bucket.key_id)
    text = "".join(bucket.lines(written["signals"]))
    for bsn in (Y1, Y2, Y3, Y4, PARENT):
        assert bsn not in text
    rows = [json.loads(line) for line in text.splitlines()]
    assert {row["status"] for row in rows} == {"active", "closed"}
    assert all("bsn" not in row and len(row["youth_key"]) == 64 for row in rows)
    matches = [json.loads(line) for line in bucket.lines(written["matches"])]
    assert sorted(m["kind"] for m in matches) == ["client", "family"]

    entries = [i for i in all_items(dynamodb, NAMES.audit) if i["action"] == "signal.exported"]
    assert sorted(e["target"] for e in entries) == sorted(row["source_id"] for row in rows)
    assert {e["actor"] for e in entries} == {"operator-1"}


@pytest.mark.usefixtures("signalled")
def test_an_export_re_identified_through_the_brp_imports_into_an_empty_region_as_the_same_signals_and_matches(
    services: wiring.Services,
    bucket: TransferBucket,
    dynamodb: Any,
    persons: FakePersonRegistry,
    registry_api: Invoke,
    mailbox: Mailbox,
) -> None:
    before = contents(dynamodb, NAMES.main)
    # The BRP's list of the region's youths (here: everyone the fake BRP knows, and one more).
    summary, written = export_to(
        services,
        bucket,
        "operator-1",
        "export/2",
        file_format=FileFormat.CSV,
        bsns=[Y1, Y2, Y3, Y4, valid_bsn("42999999")],
    )
    assert summary.named_by_bsn == summary.signals == 6
    mails = len(mailbox.sent)

    # Another region: its own tables and keys, the same organisations and professionals registered.
    create_tables(dynamodb, TARGET)
    config = runtime_config().model_copy(
        update={
            "table_name": TARGET.main,
            "audit_table_name": TARGET.audit,
            "idempotency_table_name": TARGET.idempotency,
            "pseudonym_key": "another-regional-key-0123456789",
        }
    )
    target = wiring.Services(
        config=config, settings=RegionSettings(), clock=services.clock, persons=persons, dynamodb=dynamodb
    )
    wiring.install(target)
    for org_id in ("org-a", "org-b", "org-c"):
        body = {"org_id": org_id, "name": f"Organisatie {org_id[-1].upper()}"}
        assert registry_api("POST", "/organisations", claims=OPERATOR, body=body).status == 201
    for org_id, sub, name in PROFESSIONALS:
        body = {"user_id": sub, "name": name, "email": f"{sub}@{org_id}.example.org", "phone": "+31 20 123 4567"}
        assert registry_api("POST", f"/organisations/{org_id}/professionals", claims=OPERATOR, body=body).status == 201

    report = run_import(
        target,
        "operator-2",
        bucket.lines(written["signals"]),
        FileFormat.CSV,
        ImportOptions(source="noord"),
        matches=bucket.lines(written["matches"]),
    )
    assert report.counts[Outcome.IMPORTED] == 6, report.rows
    assert [r.outcome for r in report.match_rows] == [Outcome.IMPORTED, Outcome.IMPORTED], report.match_rows
    MatchStream(StreamPump.for_table(TARGET.main, dynamodb=dynamodb)).drain()

    after = contents(dynamodb, TARGET.main)
    assert after == before
    assert any(match[2] == "coordinated" and match[3] == "A-1" for match in after[1])  # as Anna left it
    assert len(mailbox.sent) == mails  # silently: the professionals know these matches already
    entries = [e for e in all_items(dynamodb, TARGET.audit) if e["action"].startswith("match.coordin")]
    assert sorted(e["action"] for e in entries) == ["match.coordinated", "match.coordinator_named"]
    assert {e["actor"] for e in entries} == {"operator-2"}
    # The same youths under the other region's pseudonyms.
    source_youths = {i["youth_key"] for i in all_items(dynamodb, NAMES.main) if i.get("entity") == "signal"}
    target_youths = {i["youth_key"] for i in all_items(dynamodb, TARGET.main) if i.get("entity") == "signal"}
    assert len(target_youths) == len(source_youths) and not target_youths & source_youths


def test_only_the_operator_exports(services: wiring.Services) -> None:
    from verwijsindex.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        services.exporter.export(user_claims_caller())


def user_claims_caller() -> Any:
    from verwijsindex.api.identity import caller_from_event

    claims = user_claims("sub-a", "org-a", ["professional"])
    return caller_from_event({"requestContext": {"authorizer": {"claims": claims}}})


@pytest.mark.usefixtures("signalled")
def test_a_file_uploaded_into_the_transfer_bucket_is_imported_from_there(
    services: wiring.Services, bucket: TransferBucket, dynamodb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from infra.ops.import_signals import main as import_command

    url = bucket.upload_url("import/signals.jsonl")
    # The signed request names the encryption: an upload without the transfer key does not match it.
    assert "x-amz-server-side-encryption=aws%3Akms" in url
    assert "x-amz-server-side-encryption-aws-kms-key-id=" in url
    row = {
        "bsn": Y4, "org_id": "org-c", "professional_name": "Carla Cats",
        "professional_email": "sub-c@org-c.example.org", "professional_phone": "+31201234567",
        "client_reference": "C-4", "placed_on": "2026-10-01", "active_until": "2027-10-01", "status": "active",
    }  # fmt: skip
    bucket.put("import/signals.jsonl", [json.dumps(row) + "\n"], "application/jsonl")

    code = import_command(
        ["s3://transfers/import/signals.jsonl", "--source", "upload", "--operator", "operator-1"], services=services
    )

    assert code == 0
    summary = capsys.readouterr().out
    assert json.loads(summary)["counts"]["imported"] == 1, summary
    stored = [i for i in all_items(dynamodb, NAMES.main) if i.get("client_reference") == "C-4"]
    assert [(s["org_id"], s["status"]) for s in stored] == [("org-c", "active")]
