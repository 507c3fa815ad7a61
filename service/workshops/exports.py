"""CSV downloads that open correctly in Excel and WPS: UTF-8 with a byte-order mark.

Without the mark, Excel and WPS read a CSV file in the computer's legacy code page and
show Chinese and Khmer as mojibake. Every text cell also goes through
:func:`service.workshops.survey.safe_cell`, so none of them runs as a formula.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence

from service.workshops.survey import safe_cell
from service.workshops.survey_schemas import SurveyAnswersPublic

CSV_MEDIA = "text/csv; charset=utf-8"


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """Return the table as CSV: byte-order mark, CRLF line ends, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[safe_cell(str(cell)) for cell in row] for row in rows])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def answers_csv(answers: Sequence[SurveyAnswersPublic]) -> bytes:
    """Return survey answers as CSV, one row per institution, items joined by "; "."""
    return csv_bytes(
        ["institution_id", "name", "country", "challenges", "strategies", "wishes"],
        [
            [
                a.institution_id,
                a.name,
                a.country,
                "; ".join(a.challenges),
                "; ".join(a.strategies),
                "; ".join(a.wishes),
            ]
            for a in answers
        ],
    )
