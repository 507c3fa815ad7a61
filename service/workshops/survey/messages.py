"""Every refusal of a survey file, by code, in English: the API's ``reason`` text.

A refusal carries its code and values, so the web console can say it in the visitor's
language (``survey.<code>`` in ``service/i18n/locales``) instead of English.
"""

from __future__ import annotations

__all__ = ["ENGLISH", "Refused", "english"]

# fmt: off
ENGLISH: dict[str, str] = {
    "unknown_encoding": "unknown encoding '{encoding}'",
    "not_decodable": (
        "the file is not valid {encoding}: byte 0x{byte} at offset {offset} (line {line}) "
        "cannot be decoded. Save it again as 'CSV UTF-8', or name the encoding it was saved "
        "in (GB18030 for a Chinese Excel export)"
    ),
    "xlsx_as_csv": (
        "the file is an Excel workbook (.xlsx), sent as CSV: send it with the XLSX media "
        "type, or save it as 'CSV UTF-8'"
    ),
    "not_xlsx": (
        "the file is not an Excel workbook (.xlsx); save it again as 'Excel Workbook' or as "
        "'CSV UTF-8'"
    ),
    "empty": "the file is empty",
    "no_data_rows": "the file has a header but no data rows",
    "too_many_rows": "more than {max} data rows; split the file",
    "not_csv": "the file is not readable as CSV near line {line}: {detail}",
    "duplicate_header": (
        "duplicate header: columns {first} ('{first_header}') and {second} both mean "
        "'{meaning}'"
    ),
    "missing_columns": "missing required column(s): {columns} (Chinese headers: {chinese})",
    "cell_too_long": "the cell has {length} characters; at most {max} are allowed",
    "required_empty": "required, but the cell is empty",
    "too_many_programs": "lists {count} programs; the survey asks for at most {max}",
    "unknown_country": (
        "'{value}' is not a country this import knows: write an ISO 3166-1 alpha-2 code "
        "(e.g. KH, CN) or an English name (e.g. Cambodia, China)"
    ),
    "unknown_kind": (
        "'{value}' is not a kind of institution this import knows: write college (any TVET "
        "school, polytechnic or institute), university, company, government, organisation "
        "or other"
    ),
    "no_language_code": (
        "'{value}' has no ISO 639-1 (two-letter) code, so it cannot be listed as a "
        "language; mention it in the description instead"
    ),
    "unknown_language": (
        "'{value}' is not a language this import knows: write an ISO 639-1 code (e.g. en, "
        "zh, km) or an English name (e.g. Khmer)"
    ),
    "cell_count": (
        "the row has {cells} cells but the header has {expected} (a missing or extra comma, "
        "or an unclosed quote?)"
    ),
    "duplicate_institution": "the same institution (name and country) as row {first}",
    # Warnings: they never block an import.
    "no_header": "column {letter} has no header; its cells are ignored",
    "unknown_header": "column {letter} '{header}' is not a survey column; it is ignored",
    # A profile rule of the API, in the words of its validator (English only).
    "invalid": "{message}",
    "invalid_item": "item {item} ('{shown}'): {message}",
}
# fmt: on

Params = tuple[tuple[str, str], ...]


def english(code: str, params: Params) -> str:
    """Return the refusal ``code`` in English, with its values filled in."""
    return ENGLISH[code].format(**dict(params))


def params_of(**values: object) -> Params:
    """Return values as a refusal's parameters: text, numbers written with thousands commas."""
    return tuple(
        (name, f"{value:,}" if isinstance(value, int) else str(value))
        for name, value in values.items()
    )


class Refused(ValueError):
    """A value (a cell, or the whole file) this import cannot use; says why, by code."""

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.params = params_of(**values)
        super().__init__(english(code, self.params))
