"""Survey files as rows of text cells: CSV (any named encoding) or an Excel workbook."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Literal

from openpyxl import load_workbook

from service.workshops.survey.messages import Refused

FileType = Literal["csv", "xlsx"]
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive


def sniff(data: bytes) -> FileType:
    """Return what the bytes are: an .xlsx workbook or (anything else) CSV."""
    return "xlsx" if data.startswith(_ZIP_MAGIC) else "csv"


def decode(data: bytes, encoding: str) -> str:
    """Return the CSV file's text in NFC, or raise Refused naming the first bad byte."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise Refused("unknown_encoding", encoding=encoding) from None
    # Excel writes UTF-8 with a byte-order mark; utf-8-sig reads both forms alike.
    codec = "utf-8-sig" if name == "utf-8" else name
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        raise Refused(
            "not_decodable",
            encoding=encoding,
            byte=f"{data[bad.start]:02x}",
            offset=str(bad.start),
            line=str(line),
        ) from None
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


class CsvRows:
    """The rows of a CSV text; ``line`` is where reading stopped (for csv.Error)."""

    def __init__(self, text: str) -> None:
        first_line = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self._reader)

    @property
    def line(self) -> int:
        return self._reader.line_num


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone-like number typed into a cell
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value))


def sheet_rows(data: bytes) -> list[list[str]]:
    """Return the first worksheet's rows as text cells, row 1 first, blank rows kept.

    Cell values are read as Excel last calculated them (formulas are never run); numbers
    and dates become text. Raises Refused when the bytes are not an .xlsx workbook.
    """
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    # openpyxl reports a damaged or foreign file with many exception types (zip, XML, a
    # missing part...), while reading as well as opening: to the organiser they mean one
    # thing, and nothing has been written.
    except Exception:
        raise Refused("not_xlsx") from None
    # Spreadsheets report cells formatted but empty at the end of a row: drop them, so a
    # row is as wide as its header, as in CSV.
    for row in rows:
        while row and not row[-1]:
            row.pop()
    width = len(rows[0]) if rows else 0
    return [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
