"""Reading and writing the open format: JSON Lines, or CSV with a header (README "Moving in and out").

Reading yields every line of the file with its line number, parsed into a dict of the row's
columns (empty CSV cells left out) or with the reason it could not be parsed; validating the
row is the importer's work. Never a value of the file in a reason: a row may hold a BSN.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# A line longer than this is refused unread: a row of the format is well under 2 KiB.
MAX_LINE = 8192


class FileFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"

    @classmethod
    def of_name(cls, name: str) -> FileFormat:
        return cls.CSV if name.lower().endswith(".csv") else cls.JSONL


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, Any] | None  # None: the line could not be parsed (see `problem`)
    problem: str | None = None


def read_rows(lines: Iterable[str], file_format: FileFormat) -> Iterator[RawRow]:
    if file_format is FileFormat.CSV:
        yield from _csv_rows(lines)
    else:
        yield from _jsonl_rows(lines)


def _jsonl_rows(lines: Iterable[str]) -> Iterator[RawRow]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE:
            yield RawRow(number, None, f"the line is longer than {MAX_LINE} characters")
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            yield RawRow(number, None, "the line is not valid JSON")
            continue
        if not isinstance(value, dict):
            yield RawRow(number, None, "the line is not a JSON object")
            continue
        yield RawRow(number, value)


def _csv_rows(lines: Iterable[str]) -> Iterator[RawRow]:
    reader = csv.reader(iter(lines))
    header: list[str] | None = None
    for cells in reader:
        number = reader.line_num
        if header is None:
            header = [cell.strip().lstrip("\ufeff") for cell in cells]
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield RawRow(number, None, f"the row has {len(cells)} cells, the header {len(header)}")
            continue
        yield RawRow(number, {name: cell for name, cell in zip(header, cells, strict=True) if cell.strip()})


def write_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], file_format: FileFormat) -> Iterator[str]:
    """The rows as the lines of a file in that format (CSV with its header first)."""
    if file_format is FileFormat.JSONL:
        for row in rows:
            yield json.dumps({column: row[column] for column in columns if row.get(column) is not None}) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    yield _take(buffer)
    for row in rows:
        writer.writerow({column: "" if row.get(column) is None else row[column] for column in columns})
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
