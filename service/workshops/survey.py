"""Turn a workshop's networking-survey CSV into validated institution profiles.

Pure functions: no database, no web framework. The service builds dry runs and
all-or-nothing imports on top of :func:`parse_survey`; CSV exports use :func:`safe_cell`.

Headers match case-insensitively with surrounding spaces ignored, under their name or an
alias (:data:`COLUMNS` is the authoritative list; ``seed/SURVEY.md`` the full reference).
Multi-valued cells separate items with ``;``, the full-width ``；`` or a line break.

============================  ========  =====  ==============================================
header                        required  multi  maps to
============================  ========  =====  ==============================================
Institution name              yes              ``name``
Country                       yes              ``country`` (alpha-2 code or English name)
Type                          yes              ``kind`` (API kind or a survey word)
City                                           ``city``
Technical fields                        yes    ``fields``
Q1 Programs wanted (up to 3)            yes    ``programs`` (at most 3)
Q2 Challenges                           yes    ``description``: "Challenges: ..."
Q3 Strategies                           yes    ``description``: "Strategies: ..."
Q4 Wishes for the organiser             yes    ``description``: "Wishes for the organiser: ..."
What we offer                           yes    ``offers``
What we seek                            yes    ``needs``
Languages                               yes    ``languages`` (ISO 639-1 code or English name)
Contact email                                  ``contact_email``
Website                                        ``website``
Description                                    ``description`` (first, before Q2-Q4)
============================  ========  =====  ==============================================
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from service.errors import FieldError
from service.institutions.models import InstitutionCreate
from service.values.codes import COUNTRIES, LANGUAGES
from service.values.validation import MAX_DESCRIPTION_LENGTH, name_key

__all__ = [
    "COLUMNS",
    "MAX_CELL_LENGTH",
    "MAX_PROGRAMS",
    "MAX_ROWS",
    "RowError",
    "SurveyColumn",
    "SurveyParse",
    "SurveyRow",
    "parse_survey",
    "safe_cell",
]

MAX_ROWS = 5000
MAX_CELL_LENGTH = 5000
MAX_PROGRAMS = 3  # the survey's Q1 asks for "the most needed only 3"


@dataclass(frozen=True, slots=True)
class SurveyColumn:
    """One documented survey column: its header, accepted aliases and the field it fills."""

    key: str
    header: str
    aliases: tuple[str, ...]
    maps_to: str
    meaning: str
    required: bool = False
    multi: bool = False


# fmt: off
COLUMNS: tuple[SurveyColumn, ...] = (
    SurveyColumn("name", "Institution name",
                 ("institution", "name", "organisation", "organization"),
                 "name", "The institution's name as partners should see it.", required=True),
    SurveyColumn("country", "Country", ("country code",),
                 "country", "ISO 3166-1 alpha-2 code (KH) or English name (Cambodia).",
                 required=True),
    SurveyColumn("kind", "Type", ("kind", "institution type", "type of institution"),
                 "kind", "An API kind (college, university, company, government, organisation, "
                 "other) or a survey word (school, polytechnic, ministry, NGO, ...).",
                 required=True),
    SurveyColumn("city", "City", ("town",), "city", "City or province."),
    SurveyColumn("fields", "Technical fields", ("fields", "technical field", "tvet fields"),
                 "fields", "Technical fields taught or worked in.", multi=True),
    SurveyColumn("programs", "Q1 Programs wanted (up to 3)",
                 ("q1", "programs", "programmes", "q1 programs", "programs wanted"),
                 "programs", "Q1: the collaboration programs most wanted, at most 3.", multi=True),
    SurveyColumn("challenges", "Q2 Challenges", ("q2", "challenges"),
                 "description", "Q2: challenges in extending cooperation.", multi=True),
    SurveyColumn("strategies", "Q3 Strategies", ("q3", "strategies"),
                 "description", "Q3: strategies that make cooperation work.", multi=True),
    SurveyColumn("wishes", "Q4 Wishes for the organiser",
                 ("q4", "wishes", "wishes for the organizer"),
                 "description", "Q4: programs or events the organiser should coordinate.",
                 multi=True),
    SurveyColumn("offers", "What we offer", ("offers", "we offer"),
                 "offers", "What the institution can give partners.", multi=True),
    SurveyColumn("needs", "What we seek", ("needs", "seeks", "what we need"),
                 "needs", "What the institution looks for in partners.", multi=True),
    SurveyColumn("languages", "Languages", ("language",),
                 "languages", "ISO 639-1 codes (km) or English names (Khmer).", multi=True),
    SurveyColumn("contact_email", "Contact email", ("email", "e-mail", "contact e-mail"),
                 "contact_email", "Private contact address; never shown publicly."),
    SurveyColumn("website", "Website", ("web site", "url"), "website", "An http(s) address."),
    SurveyColumn("description", "Description", ("about",),
                 "description", "Free text; Q2-Q4 answers follow it as labelled sentences."),
)
# fmt: on

_BY_KEY = {column.key: column for column in COLUMNS}

# Q2-Q4 have no field of their own; they become labelled sentences of the description.
_DESCRIPTION_PARTS = (
    ("challenges", "Challenges"),
    ("strategies", "Strategies"),
    ("wishes", "Wishes for the organiser"),
)


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """One data row that became a valid profile; ``row`` is its spreadsheet row number."""

    row: int
    profile: InstitutionCreate


@dataclass(frozen=True, slots=True)
class RowError:
    """One refusal: spreadsheet row (header is 1; 0 is the whole file), column, reason.

    ``column`` is the header as written in the file (surrounding spaces removed), or ""
    when the problem concerns the whole row or file.
    """

    row: int
    column: str
    reason: str

    def field_error(self) -> FieldError:
        """Return this refusal as a :class:`FieldError` located at ``("file", row[, column])``."""
        loc: tuple[str | int, ...] = (
            ("file", self.row, self.column) if self.column else ("file", self.row)
        )
        return FieldError(loc, self.reason, "survey_error")

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


@dataclass(frozen=True, slots=True)
class SurveyParse:
    """The outcome of :func:`parse_survey`.

    ``rows`` holds only rows without errors; ``columns`` is every header of the file as
    written, in file order; ``warnings`` never block an import, ``errors`` do.
    """

    rows: tuple[SurveyRow, ...]
    errors: tuple[RowError, ...]
    warnings: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether the whole file may be imported: no errors (a file without rows has one)."""
        return not self.errors


class _Refused(ValueError):
    """A value (a cell, or the file's encoding) this import cannot use; says why."""


def _fold(text: str) -> str:
    # NFKC folds full-width letters typed with a Chinese input method; ’ is Word's apostrophe.
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(folded.split())


def _header_key(text: str) -> str:
    return _fold(text.replace("_", " "))


_HEADERS: dict[str, str] = {
    _header_key(name): column.key
    for column in COLUMNS
    for name in (column.header, column.key, *column.aliases)
}


def _index(names: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Map each folded name to its code (or kind)."""
    return {_fold(name): code for code, spellings in names.items() for name in spellings}


# English names from the ISO table, plus the spellings people type on a survey form.
_COUNTRY_NAMES = _index({code: (name,) for code, name in COUNTRIES.items()}) | _index(
    {
        "CN": ("People's Republic of China", "PRC", "Mainland China", "中国", "中國"),
        "KH": ("Kingdom of Cambodia", "柬埔寨", "កម្ពុជា"),
        "BN": ("Brunei", "文莱"),
        "ID": ("印度尼西亚", "印尼"),
        "LA": ("Laos", "Lao PDR", "Lao", "老挝"),
        "MY": ("马来西亚",),
        "MM": ("Burma", "缅甸"),
        "PH": ("The Philippines", "菲律宾"),
        "SG": ("新加坡",),
        "TH": ("泰国", "ประเทศไทย"),
        "VN": ("Vietnam", "Việt Nam", "越南"),
        "TL": ("East Timor", "Timor Leste", "东帝汶"),
        "RU": ("Russia", "俄罗斯"),
        "KR": ("South Korea", "Korea"),
        "GB": ("UK", "Great Britain"),
        "US": ("USA", "United States of America"),
        "TW": ("Taiwan",),
        "HK": ("Hong Kong SAR",),
        "MO": ("Macau",),
    }
)

# fmt: off
_KINDS = _index({
    "college": (
        "college", "school", "polytechnic", "institute", "TVET institution", "TVET institute",
        "TVET school", "TVET college", "TVET provider", "vocational school", "vocational college",
        "technical school", "technical college", "technical institute", "technician college",
        "community college", "training centre", "training center", "vocational training centre",
        "vocational training center", "职业学院", "职业技术学院", "技师学院", "学校",
    ),
    "university": ("university", "大学"),
    "company": ("company", "enterprise", "industry", "business", "private sector", "企业", "公司"),
    "government": (
        "government", "ministry", "government agency", "department", "public agency", "政府",
        "政府部门",
    ),
    "organisation": (
        "organisation", "organization", "NGO", "network", "association", "foundation",
        "international organisation", "international organization", "协会",
    ),
    "other": ("other",),
})
# fmt: on

# ISO 639-1 English names ("Malay (macrolanguage)" also as "Malay"), plus survey spellings.
_LANGUAGE_NAMES = _index(
    {code: (name, name.split(" (")[0]) for code, name in LANGUAGES.items()}
) | _index(
    {
        "zh": ("Mandarin", "Mandarin Chinese", "Putonghua", "中文", "汉语", "普通话"),
        "en": ("英语", "英文"),
        "km": ("Cambodian", "ខ្មែរ", "ភាសាខ្មែរ", "高棉语"),
        "th": ("ภาษาไทย", "泰语"),
        "vi": ("Tiếng Việt", "越南语"),
        "id": ("Bahasa Indonesia", "印尼语"),
        "ms": ("Bahasa Melayu", "Bahasa Malaysia", "马来语"),
        "lo": ("Laotian", "老挝语"),
        "my": ("Myanmar", "缅甸语"),
        # Filipino has no ISO 639-1 code; it is standardised Tagalog, which has "tl".
        "tl": ("Filipino", "Pilipino"),
        "ru": ("俄语",),
        "pt": ("葡萄牙语",),
    }
)

# Languages a survey names that ISO 639-1 leaves out: refuse them by name, not as typos.
_NO_TWO_LETTER_CODE = frozenset(
    _fold(name)
    for name in ("Tetum", "Tetun", "Cantonese", "Hokkien", "Hakka", "Hmong", "Cebuano", "Ilocano")
)

_SPLIT = re.compile(r"[;；\r\n]+")
_SENTENCE_END = (".", "!", "?", "。", "！", "？")


def _items(cell: str) -> list[str]:
    return [item.strip() for item in _SPLIT.split(cell) if item.strip()]


def _country(value: str) -> str:
    if re.fullmatch(r"[A-Za-z]{2}", value) and value.upper() in COUNTRIES:
        return value.upper()
    code = _COUNTRY_NAMES.get(_fold(value))
    if code is None:
        raise _Refused(
            f"'{value}' is not a country this import knows: write an ISO 3166-1 alpha-2 code "
            "(e.g. KH, CN) or an English name (e.g. Cambodia, China)"
        )
    return code


def _kind(value: str) -> str:
    kind = _KINDS.get(_fold(value))
    if kind is None:
        raise _Refused(
            f"'{value}' is not a kind of institution this import knows: write college (any "
            "TVET school, polytechnic or institute), university, company, government, "
            "organisation or other"
        )
    return kind


def _language(value: str) -> str:
    folded = _fold(value)
    # A locale tag (zh-CN, en_US) names its language first.
    primary = re.split(r"[-_]", folded)[0]
    if len(primary) == 2 and primary in LANGUAGES:
        return primary
    if folded in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[folded]
    if folded in _NO_TWO_LETTER_CODE:
        raise _Refused(
            f"'{value}' has no ISO 639-1 (two-letter) code, so it cannot be listed as a "
            "language; mention it in the description instead"
        )
    raise _Refused(
        f"'{value}' is not a language this import knows: write an ISO 639-1 code "
        "(e.g. en, zh, km) or an English name (e.g. Khmer)"
    )


_CONVERTERS: dict[str, Callable[[str], str]] = {"country": _country, "kind": _kind}


def _sentence(label: str, items: Sequence[str]) -> str:
    text = f"{label}: {'; '.join(items)}"
    return text if text.endswith(_SENTENCE_END) else f"{text}."


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True, slots=True)
class _Layout:
    headers: tuple[str, ...]
    positions: Mapping[str, int]  # column key -> index in the row

    def header(self, key: str) -> str:
        return self.headers[self.positions[key]] if key in self.positions else ""


def _read_header(cells: Sequence[str], row: int) -> tuple[_Layout, list[RowError], list[str]]:
    headers = tuple(cell.strip() for cell in cells)
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    warnings: list[str] = []
    for index, header in enumerate(headers):
        letter = _column_letter(index)
        if not header:
            warnings.append(f"column {letter} has no header; its cells are ignored")
            continue
        key = _HEADERS.get(_header_key(header))
        if key is None:
            warnings.append(f"column {letter} '{header}' is not a survey column; it is ignored")
        elif key in positions:
            first = positions[key]
            errors.append(
                RowError(
                    row,
                    header,
                    f"duplicate header: columns {_column_letter(first)} ('{headers[first]}') "
                    f"and {letter} both mean '{_BY_KEY[key].header}'",
                )
            )
        else:
            positions[key] = index
    missing = [
        column.header for column in COLUMNS if column.required and column.key not in positions
    ]
    if missing:
        errors.append(RowError(row, "", f"missing required column(s): {', '.join(missing)}"))
    return _Layout(headers, positions), errors, warnings


@dataclass(slots=True)
class _RowReader:
    """Turns one data row into a profile, collecting every problem rather than the first."""

    layout: _Layout
    row: int
    cells: Sequence[str]
    errors: list[RowError]

    def error(self, key: str, reason: str) -> None:
        self.errors.append(RowError(self.row, self.layout.header(key), reason))

    def cell(self, key: str) -> str:
        index = self.layout.positions.get(key)
        return "" if index is None else self.cells[index].strip()

    def read(self) -> tuple[InstitutionCreate | None, str | None]:
        """Return the profile (None when refused) and the row's duplicate key, if any."""
        failed: set[str] = set()  # profile fields already refused here, not to report twice
        for key, index in self.layout.positions.items():
            if len(self.cells[index]) > MAX_CELL_LENGTH:
                self.error(
                    key,
                    f"the cell has {len(self.cells[index]):,} characters; "
                    f"at most {MAX_CELL_LENGTH:,} are allowed",
                )
                failed.add(_BY_KEY[key].maps_to)
        payload: dict[str, object] = {}
        sources: dict[str, str] = {}  # profile field -> header it came from

        for key in ("name", "country", "kind", "city", "website", "contact_email"):
            value = self.cell(key)
            if key in failed:
                continue
            if not value:
                if _BY_KEY[key].required:
                    self.error(key, "required, but the cell is empty")
                    failed.add(key)
                continue
            convert = _CONVERTERS.get(key)
            try:
                payload[key] = convert(value) if convert else value
            except _Refused as refused:
                self.error(key, str(refused))
                failed.add(key)
            sources[key] = self.layout.header(key)

        for key in ("fields", "needs", "offers", "programs"):
            items = _items(self.cell(key))
            if key in failed or not items:
                continue
            if key == "programs" and len(items) > MAX_PROGRAMS:
                self.error(
                    key,
                    f"lists {len(items)} programs; the survey asks for at most {MAX_PROGRAMS}",
                )
                failed.add(key)
                continue
            payload[key] = items
            sources[key] = self.layout.header(key)

        if "languages" not in failed:
            codes: list[str] = []
            for item in _items(self.cell("languages")):
                try:
                    codes.append(_language(item))
                except _Refused as refused:
                    self.error("languages", str(refused))
                    failed.add("languages")
            if codes and "languages" not in failed:
                payload["languages"] = codes
                sources["languages"] = self.layout.header("languages")

        if "description" not in failed:
            self._describe(payload, sources, failed)

        profile = self._validate(payload, sources, failed)
        country = payload.get("country")
        name = self.cell("name")
        duplicate_key = f"{name_key(name)}|{country}" if name and isinstance(country, str) else None
        return profile, duplicate_key

    def _describe(
        self, payload: dict[str, object], sources: dict[str, str], failed: set[str]
    ) -> None:
        parts: list[tuple[str, str]] = []  # (column key, text)
        for key, label in (("description", ""), *_DESCRIPTION_PARTS):
            items = _items(self.cell(key))
            part = _sentence(label, items) if label and items else self.cell(key)
            if part:
                parts.append((key, part))
        if not parts:
            return
        description = " ".join(part for _, part in parts)
        sources["description"] = self.layout.header(parts[0][0])
        if len(description) <= MAX_DESCRIPTION_LENGTH:
            payload["description"] = description
            return
        # Name the column that pushes the joined text over the limit: it is the one to shorten.
        length, culprit = -1, parts[-1][0]
        for key, part in parts:
            length += len(part) + 1
            if length > MAX_DESCRIPTION_LENGTH:
                culprit = key
                break
        self.error(
            culprit,
            f"the description built from Description and Q2-Q4 would have "
            f"{len(description):,} characters; at most {MAX_DESCRIPTION_LENGTH:,} are allowed",
        )
        failed.add("description")

    def _validate(
        self, payload: dict[str, object], sources: Mapping[str, str], failed: set[str]
    ) -> InstitutionCreate | None:
        try:
            profile = InstitutionCreate.model_validate(payload)
        except ValidationError as invalid:
            for detail in invalid.errors():
                loc = detail["loc"]
                field = str(loc[0]) if loc else ""
                if field in failed:
                    continue
                reason = str(detail["msg"]).removeprefix("Value error, ")
                if len(loc) > 1 and isinstance(loc[1], int):
                    shown = str(detail.get("input", ""))
                    shown = shown if len(shown) <= 40 else f"{shown[:39]}…"
                    reason = f"item {loc[1] + 1} ('{shown}'): {reason}"
                self.errors.append(RowError(self.row, sources.get(field, ""), reason))
            return None
        return None if failed else profile


def _decode(data: bytes, encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise _Refused(f"unknown encoding '{encoding}'") from None
    # Excel writes UTF-8 with a byte-order mark; utf-8-sig reads both forms alike.
    codec = "utf-8-sig" if name == "utf-8" else name
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        raise _Refused(
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
    except _Refused as refused:
        return _file_error(str(refused))
    if not text.strip():
        return _file_error("the file is empty")

    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    rows: list[SurveyRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}  # duplicate key -> first row with it
    layout: _Layout | None = None
    warnings: list[str] = []
    data_rows = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets leave blank rows; they are not institutions
            if layout is None:
                layout, header_errors, warnings = _read_header(cells, number)
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
            profile, key = _RowReader(layout, number, cells, errors).read()
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
                rows.append(SurveyRow(number, profile))
    except csv.Error as broken:
        reason = f"the file is not readable as CSV near line {reader.line_num}: {broken}"
        errors.append(RowError(0, "", reason))

    columns = layout.headers if layout is not None else ()
    if layout is not None and data_rows == 0:
        errors.append(RowError(0, "", "the file has a header but no data rows"))
    return SurveyParse(tuple(rows), tuple(errors), tuple(warnings), columns)


# OWASP CSV injection: a spreadsheet evaluates a cell that starts with one of these.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Return ``value`` made inert for spreadsheets: prefix ``'`` if it could start a formula.

    Use on every text cell of a CSV export. Harmless values pass unchanged; a negative
    number such as ``-5`` is prefixed too, which OWASP accepts as the price of safety.
    """
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value
