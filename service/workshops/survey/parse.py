"""Read a survey file into rows of profiles: decoding, delimiters, rows, duplicates."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata

from service.workshops.survey.columns import MAX_ROWS
from service.workshops.survey.rows import (
    Layout,
    RowError,
    RowReader,
    SurveyParse,
    SurveyRow,
    read_header,
)
from service.workshops.survey.values import Refused


def _decode(data: bytes, encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise Refused(f"unknown encoding '{encoding}'") from None
    # Excel writes UTF-8 with a byte-order mark; utf-8-sig reads both forms alike.
    codec = "utf-8-sig" if name == "utf-8" else name
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        raise Refused(
            f"the file is not valid {encoding}: byte 0x{data[bad.start]:02x} at offset "
            f"{bad.start} (line {line}) cannot be decoded. If the file was saved in another "
            "encoding, pass it with the encoding option (e.g. encoding='gb18030' for a "
            "Chinese Excel export), or save it again as 'CSV UTF-8'"
        ) from None
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


def _file_error(reason: str) -> SurveyParse:
    return SurveyParse((), (RowError(0, "", reason),), (), ())


def parse_survey(data: bytes, *, encoding: str = "utf-8") -> SurveyParse:
    """Parse a networking-survey CSV into validated profiles, with every error found.

    Parameters
    ----------
    data:
        The file's bytes. Comma-separated; a file whose first line has tabs and no
        commas is read as tab-separated. Quotes, commas inside quotes, line breaks inside
        quotes and CRLF line ends are handled by the :mod:`csv` module.
    encoding:
        UTF-8 (with or without a byte-order mark) unless given; the encoding is never
        guessed, so a file in another encoding fails with the offset of the first bad byte.

    Returns
    -------
    SurveyParse
        Valid rows, per-row and file-level errors (row 0 is the file, row 1 the header),
        warnings (ignored columns) and the file's headers. Blank rows are skipped.
    """
    try:
        text = _decode(data, encoding)
    except Refused as refused:
        return _file_error(str(refused))
    if not text.strip():
        return _file_error("the file is empty")

    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    rows: list[SurveyRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}  # duplicate key -> first row with it
    layout: Layout | None = None
    warnings: list[str] = []
    data_rows = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets leave blank rows; they are not institutions
            if layout is None:
                layout, header_errors, warnings = read_header(cells, number)
                if header_errors:
                    return SurveyParse((), tuple(header_errors), tuple(warnings), layout.headers)
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                errors.append(
                    RowError(number, "", f"more than {MAX_ROWS:,} data rows; split the file")
                )
                break
            if len(cells) != len(layout.headers):
                errors.append(
                    RowError(
                        number,
                        "",
                        f"the row has {len(cells)} cells but the header has "
                        f"{len(layout.headers)} (a missing or extra comma, or an unclosed quote?)",
                    )
                )
                continue
            profile, answers, key = RowReader(layout, number, cells, errors).read()
            if key is not None and key in seen:
                errors.append(
                    RowError(
                        number,
                        layout.header("name"),
                        f"the same institution (name and country) as row {seen[key]}",
                    )
                )
                continue
            if key is not None:
                seen[key] = number
            if profile is not None:
                rows.append(SurveyRow(number, profile, answers))
    except csv.Error as broken:
        reason = f"the file is not readable as CSV near line {reader.line_num}: {broken}"
        errors.append(RowError(0, "", reason))

    columns = layout.headers if layout is not None else ()
    if layout is not None and data_rows == 0:
        errors.append(RowError(0, "", "the file has a header but no data rows"))
    return SurveyParse(tuple(rows), tuple(errors), tuple(warnings), columns)
