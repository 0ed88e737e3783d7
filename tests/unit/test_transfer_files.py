"""The open format's files: JSON Lines and CSV read line by line, written back the same way."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from verwijsindex.domain.transfer import EXPORT_COLUMNS, MATCH_COLUMNS, TransferRow
from verwijsindex.logic.transfer_files import FileFormat, RawRow, read_rows, write_rows

ROW = {
    "source_id": "MS-1",
    "bsn": "999990196",
    "org_id": "ms-0042",
    "professional_name": "Sanne Smit, Jeugdteam",
    "professional_email": "Sanne.Smit@Jeugdteam-Noord.example.org",
    "professional_phone": "050 123 4567",
    "client_reference": "JTN-1",
    "placed_on": "2025-06-02",
    "active_until": "2027-06-02",
    "status": "active",
}


def test_json_lines_keep_their_line_numbers_skip_blank_lines_and_name_what_is_not_a_row() -> None:
    lines = [json.dumps(ROW) + "\n", "\n", "[1, 2]\n", "{broken\n", json.dumps(ROW)]
    rows = list(read_rows(lines, FileFormat.JSONL))
    assert [(r.line, r.values is not None, r.problem) for r in rows] == [
        (1, True, None),
        (3, False, "the line is not a JSON object"),
        (4, False, "the line is not valid JSON"),
        (5, True, None),
    ]


def test_csv_reads_quoted_cells_a_byte_order_mark_and_leaves_empty_cells_out() -> None:
    header = ",".join(["\ufeffsource_id", *list(ROW)[1:], "closed_on"])
    cells = [f'"{v}"' if "," in v else v for v in ROW.values()]
    lines = [header + "\n", ",".join([*cells, ""]) + "\n", "\n", "MS-2,too few\n"]
    rows = list(read_rows(lines, FileFormat.CSV))
    assert rows[0] == RawRow(2, ROW)
    assert rows[1] == RawRow(4, None, "the row has 2 cells, the header 11")


@pytest.mark.parametrize("file_format", list(FileFormat))
def test_what_is_written_reads_back_as_the_same_rows(file_format: FileFormat) -> None:
    exported = {**ROW, "closed_on": None, "youth_key": "a" * 64, "national_key": "b" * 64}
    lines = list(write_rows([exported, exported], EXPORT_COLUMNS, file_format))
    read = [r.values for r in read_rows("".join(lines).splitlines(keepends=True), file_format)]
    without_empty = {k: v for k, v in exported.items() if v is not None}
    assert read == [without_empty, without_empty]
    assert TransferRow.model_validate(read[0]).professional_email == "Sanne.Smit@jeugdteam-noord.example.org"


def test_an_export_writes_the_columns_in_the_order_the_readme_documents() -> None:
    # The columns are the row models' fields: reordering a field changes the published format, so
    # the order is written out here once more, as the README's format section gives it.
    signals_header = next(iter(write_rows([], EXPORT_COLUMNS, FileFormat.CSV)))
    matches_header = next(iter(write_rows([], MATCH_COLUMNS, FileFormat.CSV)))
    assert signals_header.strip().split(",") == [
        "source_id",
        "bsn",
        "org_id",
        "professional_name",
        "professional_email",
        "professional_phone",
        "client_reference",
        "placed_on",
        "active_until",
        "status",
        "closed_on",
        "close_reason",
        "youth_key",
        "national_key",
    ]
    assert matches_header.strip().split(",") == [
        "match_id",
        "kind",
        "source_id",
        "other_source_id",
        "other_region",
        "status",
        "coordinator_source_id",
        "coordinated_on",
        "coordinated_by_source_id",
        "created_on",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"active_until": "2025-06-01"}, "active_until: lies before placed_on"),
        ({"closed_on": "2025-07-01"}, "closed_on: an active signal has no closed_on"),
        ({"status": "closed", "close_reason": "ended"}, "closed_on: a closed signal needs closed_on"),
        ({"status": "closed", "closed_on": "2025-07-01"}, "close_reason: a closed signal needs close_reason"),
        ({"status": "closed", "closed_on": "2025-06-01", "close_reason": "ended"}, "closed_on: lies before placed_on"),
        ({"status": "closed", "closed_on": "2027-06-04", "close_reason": "expired"}, "closed_on: lies after the day"),
    ],
)
def test_a_rows_dates_and_state_must_agree(changes: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        TransferRow.model_validate({**ROW, **changes})
    assert field in str(error.value)
    assert ROW["bsn"] not in str(error.value.errors(include_input=False))


def test_a_row_is_recognised_by_its_source_id_or_else_by_what_it_says() -> None:
    with_id = TransferRow.model_validate(ROW)
    without = TransferRow.model_validate({k: v for k, v in ROW.items() if k != "source_id"})
    assert with_id.row_key() == "id:MS-1"
    assert without.row_key() == "row:999990196|ms-0042|sanne.smit@jeugdteam-noord.example.org|2025-06-02"
    closed_the_day_after = {**ROW, "status": "closed", "closed_on": "2027-06-03", "close_reason": "expired"}
    assert TransferRow.model_validate(closed_the_day_after).closed_on is not None
