"""Read a survey file into rows of profiles: decoding, delimiters, rows, duplicates."""

from __future__ import annotations

import csv
from collections.abc import Mapping

from service.workshops.survey.columns import MAX_ROWS
from service.workshops.survey.messages import Refused
from service.workshops.survey.rows import (
    Layout,
    RowError,
    RowReader,
    SurveyParse,
    SurveyRow,
    read_header,
)
from service.workshops.survey.sheets import CsvRows, FileType, decode, sheet_rows, sniff


def _file_error(code: str, **values: object) -> SurveyParse:
    return SurveyParse((), (RowError.of(0, "", code, **values),), (), ())


def parse_survey(
    data: bytes,
    *,
    encoding: str = "utf-8",
    file_type: FileType = "csv",
    mapping: Mapping[str, str] | None = None,
) -> SurveyParse:
    """Parse a networking survey (CSV or XLSX) into validated profiles, with every error.

    Parameters
    ----------
    data:
        The file's bytes. A CSV file is comma-separated; one whose first line has tabs
        and no commas is read as tab-separated. Quotes, commas inside quotes, line breaks
        inside quotes and CRLF line ends are handled by the :mod:`csv` module. An XLSX
        workbook is read from its first worksheet.
    encoding:
        For CSV: UTF-8 (with or without a byte-order mark) unless given; the encoding is
        never guessed, so a file in another encoding fails with the offset of the first
        bad byte. XLSX files carry their own.
    file_type:
        ``"csv"`` or ``"xlsx"``.
    mapping:
        More headers, each (folded by :func:`header_key`) to a column key: what an
        organiser matched for headers the survey does not know.

    Returns
    -------
    SurveyParse
        Valid rows, per-row and file-level errors (row 0 is the file, row 1 the header),
        warnings (ignored columns) and the file's headers. Blank rows are skipped.
    """
    source: CsvRows | list[list[str]]
    try:
        if file_type == "xlsx":
            source = sheet_rows(data)
        elif sniff(data) == "xlsx":
            raise Refused("xlsx_as_csv")
        else:
            text = decode(data, encoding)
            if not text.strip():
                return _file_error("empty")
            source = CsvRows(text)
    except Refused as refused:
        error = RowError(0, "", str(refused), refused.code, refused.params)
        return SurveyParse((), (error,), (), ())

    rows: list[SurveyRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}  # duplicate key -> first row with it
    layout: Layout | None = None
    warnings: list[RowError] = []
    data_rows = 0
    try:
        for number, cells in enumerate(source, start=1):
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets leave blank rows; they are not institutions
            if layout is None:
                layout, header_errors, warnings = read_header(cells, number, mapping or {})
                if header_errors:
                    return SurveyParse((), tuple(header_errors), tuple(warnings), layout.headers)
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                errors.append(RowError.of(number, "", "too_many_rows", max=MAX_ROWS))
                break
            if len(cells) != len(layout.headers):
                errors.append(
                    RowError.of(
                        number,
                        "",
                        "cell_count",
                        cells=str(len(cells)),
                        expected=str(len(layout.headers)),
                    )
                )
                continue
            profile, answers, key = RowReader(layout, number, cells, errors).read()
            if key is not None and key in seen:
                errors.append(
                    RowError.of(
                        number, layout.header("name"), "duplicate_institution", first=str(seen[key])
                    )
                )
                continue
            if key is not None:
                seen[key] = number
            if profile is not None:
                rows.append(SurveyRow(number, profile, answers))
    except csv.Error as broken:
        line = source.line if isinstance(source, CsvRows) else 0
        errors.append(RowError.of(0, "", "not_csv", line=str(line), detail=str(broken)))

    if layout is None:
        return _file_error("empty")
    columns = layout.headers
    if data_rows == 0:
        errors.append(RowError.of(0, "", "no_data_rows"))
    return SurveyParse(tuple(rows), tuple(errors), tuple(warnings), columns)
