"""Export the region's signals and matches, encrypted, into its transfer bucket (README "Moving in and out").

    python -m infra.ops.export_signals --bucket <TransferBucket> --kms-key-id <TransferKeyArn> \
        --operator <your sub> [--prefix export/2026-11-30] [--format jsonl|csv] [--bsns youths.txt]

Writes <prefix>/signals.<format> and <prefix>/matches.<format> (SSE-KMS under the transfer key),
prints the counts and a download URL for each that works for 15 minutes. With --bsns (one BSN a
line: the region's youths as the BRP lists them) every youth among them is named by its BSN, so
the file imports as it is; the others by their pseudonyms only. Runs with the region's function
environment, as import_signals does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functions"))

from infra.ops.import_signals import operator
from verwijsindex import wiring
from verwijsindex.adapters.transfer_bucket import TransferBucket
from verwijsindex.domain.transfer import EXPORT_COLUMNS, MATCH_COLUMNS
from verwijsindex.logic.exporting import ExportSummary
from verwijsindex.logic.transfer_files import FileFormat, write_rows

if TYPE_CHECKING:
    from collections.abc import Iterable

CONTENT_TYPES = {FileFormat.JSONL: "application/jsonl", FileFormat.CSV: "text/csv; charset=utf-8"}


def export_to(
    services: wiring.Services,
    bucket: TransferBucket,
    subject: str,
    prefix: str,
    *,
    file_format: FileFormat = FileFormat.JSONL,
    bsns: Iterable[str] = (),
) -> tuple[ExportSummary, dict[str, str]]:
    """The export into the bucket: the object keys of the signals and of the matches."""
    export = services.exporter.export(operator(subject), bsns)
    written: dict[str, str] = {}
    for name, rows, columns in (
        ("signals", export.signals, EXPORT_COLUMNS),
        ("matches", export.matches, MATCH_COLUMNS),
    ):
        key = f"{prefix.strip('/')}/{name}.{file_format.value}"
        bucket.put(key, write_rows(rows, columns, file_format), CONTENT_TYPES[file_format])
        written[name] = key
    return export.summary, written


def main(argv: list[str] | None = None, services: wiring.Services | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--bucket", required=True, help="the stack's output TransferBucket")
    parser.add_argument("--kms-key-id", required=True, help="the stack's output TransferKeyArn")
    parser.add_argument("--operator", required=True, help="your operator account's sub (for the audit trail)")
    parser.add_argument("--prefix", default="export", help="where in the bucket (default: export)")
    parser.add_argument("--format", choices=[f.value for f in FileFormat], default=FileFormat.JSONL.value)
    parser.add_argument("--bsns", type=Path, help="the region's youths' BSNs from the BRP, one a line")
    args = parser.parse_args(argv)
    services = services or wiring.build()
    import boto3

    bucket = TransferBucket(boto3.client("s3"), args.bucket, args.kms_key_id)
    bsns = args.bsns.read_text(encoding="utf-8").split() if args.bsns else []
    summary, written = export_to(
        services, bucket, args.operator, args.prefix, file_format=FileFormat(args.format), bsns=bsns
    )
    urls = {name: bucket.download_url(key) for name, key in written.items()}
    print(json.dumps({**summary.model_dump(), "objects": written, "download_urls": urls}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
