"""Write survey_sample_zh.csv and survey_sample.xlsx from survey_sample.csv.

Run from the repository root after changing survey_sample.csv:
``.venv/bin/python -m seed.make_survey_samples``. Both files hold the same rows as the
CSV; only the headers (Chinese) or the file type (XLSX) differ.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from service.workshops.survey import COLUMNS
from service.workshops.survey.columns import header_key

SEED = Path(__file__).resolve().parent
# Fixed document dates, so remaking the file changes only what the CSV changed.
_MADE = datetime(2026, 5, 1)


def _rows() -> list[list[str]]:
    text = (SEED / "survey_sample.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def chinese_headers(headers: list[str]) -> list[str]:
    """Return each header's Chinese name (the first of its column's Chinese headers)."""
    by_header = {header_key(column.header): column.chinese[0] for column in COLUMNS}
    return [by_header[header_key(header)] for header in headers]


def main() -> None:
    header, *rows = _rows()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(chinese_headers(header))
    writer.writerows(rows)
    (SEED / "survey_sample_zh.csv").write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode())

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Survey"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.properties.created = book.properties.modified = _MADE
    book.save(SEED / "survey_sample.xlsx")


if __name__ == "__main__":
    main()
