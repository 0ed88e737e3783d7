"""Import another index's signals into the region (README "Moving in and out").

    python -m infra.ops.import_signals FILE --source <system> --operator <your sub> \
        [--notify silent|email] [--dry-run] [--map-org SOURCE=REGISTERED ...] \
        [--map-professional SOURCE_EMAIL=REGISTERED_EMAIL ...] [--report report.json]

FILE is JSON Lines, or CSV with a header when its name ends in .csv: a local path, or
s3://<TransferBucket>/<key> for a file uploaded to the region's transfer bucket (see
infra/ops/upload_url.py). Runs with the region's
function environment (TABLE_NAME, AUDIT_TABLE_NAME, the pseudonym key parameters, the BRP's
settings), as the functions do. Prints progress to stderr, the counts to stdout and writes the
report per line to --report: line, outcome, field at fault; never a BSN.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functions"))

from verwijsindex import wiring
from verwijsindex.adapters.transfer_bucket import TransferBucket
from verwijsindex.api.identity import Caller, CallerKind, Group
from verwijsindex.logic.importing import ImportOptions, ImportReport, Notify, Progress
from verwijsindex.logic.transfer_files import FileFormat, read_rows


def operator(subject: str) -> Caller:
    """The operator running the import: named in every audit entry it writes."""
    return Caller(kind=CallerKind.USER, subject=subject, groups=frozenset({Group.OPERATOR.value}))


def run_import(
    services: wiring.Services,
    subject: str,
    lines: Iterable[str],
    file_format: FileFormat,
    options: ImportOptions,
    *,
    matches: Iterable[str] = (),
) -> ImportReport:
    def show(progress: Progress) -> None:
        done = ", ".join(f"{outcome.value} {count}" for outcome, count in progress.counts.items() if count)
        print(f"{progress.rows} rows: {done}", file=sys.stderr, flush=True)

    return services.importer.run(
        operator(subject), read_rows(lines, file_format), options, show, read_rows(matches, file_format)
    )


@contextmanager
def opened(location: str) -> Iterator[Iterable[str]]:
    """The lines of a file on this machine, or of an object in the transfer bucket (s3://bucket/key)."""
    if location.startswith("s3://"):
        import boto3

        bucket, _, key = location.removeprefix("s3://").partition("/")
        yield TransferBucket(boto3.client("s3"), bucket, "").lines(key)
        return
    with Path(location).open(encoding="utf-8", newline="") as local:
        yield local


def _mapping(pairs: list[str], parser: argparse.ArgumentParser, option: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source or not target:
            parser.error(f"{option} takes SOURCE=REGISTERED")
        mapping[source.strip()] = target.strip()
    return mapping


def main(argv: list[str] | None = None, services: wiring.Services | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("file", help="JSON Lines, or CSV (.csv) with a header: a path or s3://bucket/key")
    parser.add_argument("--source", required=True, help="the source system, e.g. multisignaal (letters, digits, .-_)")
    parser.add_argument("--operator", required=True, help="your operator account's sub (for the audit trail)")
    parser.add_argument("--notify", choices=[n.value for n in Notify], default=Notify.SILENT.value)
    parser.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
    parser.add_argument("--map-org", action="append", default=[], metavar="SOURCE=REGISTERED")
    parser.add_argument("--map-professional", action="append", default=[], metavar="SOURCE_EMAIL=REGISTERED_EMAIL")
    parser.add_argument("--matches", help="the matches file of an export (same format): coordination restored")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--report", type=Path, help="write the report per line here (JSON)")
    args = parser.parse_args(argv)
    options = ImportOptions(
        source=args.source,
        notify=Notify(args.notify),
        dry_run=args.dry_run,
        org_map=_mapping(args.map_org, parser, "--map-org"),
        professional_map=_mapping(args.map_professional, parser, "--map-professional"),
        chunk_size=args.chunk_size,
    )
    services = services or wiring.build()
    with opened(args.file) as lines, opened(args.matches) if args.matches else nullcontext(()) as matches:
        report = run_import(services, args.operator, lines, FileFormat.of_name(args.file), options, matches=matches)
    if args.report:
        args.report.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    summary = report.model_dump(mode="json", exclude={"rows", "match_rows"})
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
