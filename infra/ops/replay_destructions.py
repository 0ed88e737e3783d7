"""Re-destroy, after a point-in-time restore, what the audit trail says was destroyed since.

    python -m infra.ops.replay_destructions --table <restored main table> \
        --audit-table <live audit table> --since <restore point, ISO 8601> [--dry-run]

Reads the (live, not restored) audit table once with a filtered Scan: an operator's one-off after a
restore, never a function's path. Then deletes, in the restored table, every signal, youth and match
the entries after the restore point name (verwijsindex.logic.restore). Prints counts only.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functions"))

from verwijsindex.adapters.dynamo.audit_log import AuditLog, entry_of
from verwijsindex.adapters.dynamo.cursor import CursorSealer
from verwijsindex.adapters.dynamo.match_store import MatchStore
from verwijsindex.adapters.dynamo.youth_partition import YouthPartitionStore
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.logic.restore import DESTRUCTIONS, DestructionReplay, ReplayReport

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def destructions_since(client: DynamoDBClient, audit_table: str, since: datetime) -> list[AuditEntry]:
    request: dict[str, Any] = {
        "TableName": audit_table,
        "FilterExpression": "#action IN ("
        + ", ".join(f":a{n}" for n in range(len(DESTRUCTIONS)))
        + ") AND #at > :since",
        "ExpressionAttributeNames": {"#action": "action", "#at": "at"},
        "ExpressionAttributeValues": {
            ":since": {"S": since.isoformat()},
            **{f":a{n}": {"S": action.value} for n, action in enumerate(sorted(DESTRUCTIONS))},
        },
    }
    entries: list[AuditEntry] = []
    while True:
        page = client.scan(**request)
        for item in page.get("Items", []):
            entry = entry_of(item)
            if entry.at > since:
                entries.append(entry)
        if "LastEvaluatedKey" not in page:
            return entries
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def replay(
    client: DynamoDBClient, table: str, audit_table: str, since: datetime, *, dry_run: bool = False
) -> ReplayReport:
    entries = destructions_since(client, audit_table, since)
    if dry_run:
        return ReplayReport(entries=len(entries))
    # The stores need an audit log; replaying writes no audit entry and pages no trail, so its
    # cursor key is a throwaway one.
    key = secrets.token_bytes(32)
    audit = AuditLog(client, audit_table, CursorSealer(lambda: key))
    return DestructionReplay(MatchStore(client, table, audit), YouthPartitionStore(client, table)).replay(
        entries, since
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--table", required=True, help="the restored main table")
    parser.add_argument("--audit-table", required=True, help="the live audit table (not restored)")
    parser.add_argument("--since", required=True, type=datetime.fromisoformat, help="the restore point (ISO 8601)")
    parser.add_argument("--dry-run", action="store_true", help="count the entries, delete nothing")
    args = parser.parse_args(argv)
    if args.since.tzinfo is None:
        parser.error("--since needs a time zone (e.g. 2026-11-30T02:00:00+01:00)")
    import boto3

    report = replay(boto3.client("dynamodb"), args.table, args.audit_table, args.since, dry_run=args.dry_run)
    print(json.dumps(asdict(report)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
