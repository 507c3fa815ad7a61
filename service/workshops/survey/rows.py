"""One survey row to one validated profile, and the errors found on the way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from service.errors import FieldError
from service.institutions.models import InstitutionCreate
from service.values.validation import name_key
from service.workshops.survey import values
from service.workshops.survey.answers import ANSWER_KEYS, SurveyAnswers
from service.workshops.survey.columns import (
    BY_KEY,
    COLUMNS,
    HEADERS,
    MAX_CELL_LENGTH,
    MAX_PROGRAMS,
    header_key,
)
from service.workshops.survey.messages import Params, Refused, english, params_of


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """One data row that became a valid profile; ``row`` is its spreadsheet row number.

    ``answers`` holds its Q2-Q4 answers, which are for the organiser, not the profile.
    """

    row: int
    profile: InstitutionCreate
    answers: SurveyAnswers = field(default_factory=SurveyAnswers)


@dataclass(frozen=True, slots=True)
class RowError:
    """One refusal: spreadsheet row (header is 1; 0 is the whole file), column, reason.

    ``column`` is the header as written in the file (surrounding spaces removed), or ""
    when the problem concerns the whole row or file.
    """

    row: int
    column: str
    reason: str
    # What the reason says, as a code of messages.ENGLISH and its values: for translations.
    code: str = field(default="", compare=False)
    params: Params = field(default=(), compare=False)

    @classmethod
    def of(cls, row: int, column: str, code: str, **values: object) -> RowError:
        """Return the refusal ``code`` with these values, its reason in English."""
        params = params_of(**values)
        return cls(row, column, english(code, params), code, params)

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
    warnings: tuple[RowError, ...]
    columns: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether the whole file may be imported: no errors (a file without rows has one)."""
        return not self.errors


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Layout:
    headers: tuple[str, ...]
    positions: Mapping[str, int]  # column key -> index in the row

    def header(self, key: str) -> str:
        return self.headers[self.positions[key]] if key in self.positions else ""


def read_header(
    cells: Sequence[str], row: int, mapping: Mapping[str, str]
) -> tuple[Layout, list[RowError], list[RowError]]:
    """Read the header row; ``mapping`` adds headers (folded) a workshop has matched."""
    headers = tuple(cell.strip() for cell in cells)
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    warnings: list[RowError] = []  # never block an import
    for index, header in enumerate(headers):
        letter = _column_letter(index)
        if not header:
            warnings.append(RowError.of(row, "", "no_header", letter=letter))
            continue
        key = HEADERS.get(header_key(header)) or mapping.get(header_key(header))
        if key is None:
            warnings.append(
                RowError.of(row, header, "unknown_header", letter=letter, header=header)
            )
        elif key in positions:
            first = positions[key]
            errors.append(
                RowError.of(
                    row,
                    header,
                    "duplicate_header",
                    first=_column_letter(first),
                    first_header=headers[first],
                    second=letter,
                    meaning=BY_KEY[key].header,
                )
            )
        else:
            positions[key] = index
    missing = [column for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        english_headers = ", ".join(column.header for column in missing)
        chinese = ", ".join(column.chinese[0] for column in missing)
        errors.append(
            RowError.of(row, "", "missing_columns", columns=english_headers, chinese=chinese)
        )
    return Layout(headers, positions), errors, warnings


@dataclass(slots=True)
class RowReader:
    """Turns one data row into a profile, collecting every problem rather than the first."""

    layout: Layout
    row: int
    cells: Sequence[str]
    errors: list[RowError]

    def error(self, key: str, code: str, **values: object) -> None:
        self.errors.append(RowError.of(self.row, self.layout.header(key), code, **values))

    def refused(self, key: str, refused: Refused) -> None:
        header = self.layout.header(key)
        self.errors.append(RowError(self.row, header, str(refused), refused.code, refused.params))

    def cell(self, key: str) -> str:
        index = self.layout.positions.get(key)
        return "" if index is None else self.cells[index].strip()

    def read(self) -> tuple[InstitutionCreate | None, SurveyAnswers, str | None]:
        """Return the profile (None when refused), the Q2-Q4 answers and the row's
        duplicate key, if any."""
        failed: set[str] = set()  # profile fields already refused here, not to report twice
        for key, index in self.layout.positions.items():
            if len(self.cells[index]) > MAX_CELL_LENGTH:
                self.error(key, "cell_too_long", length=len(self.cells[index]), max=MAX_CELL_LENGTH)
                failed.add(BY_KEY[key].maps_to)
        payload: dict[str, object] = {}
        sources: dict[str, str] = {}  # profile field -> header it came from

        for key in ("name", "country", "kind", "city", "website", "contact_email"):
            value = self.cell(key)
            if key in failed:
                continue
            if not value:
                if BY_KEY[key].required:
                    self.error(key, "required_empty")
                    failed.add(key)
                continue
            convert = values.CONVERTERS.get(key)
            try:
                payload[key] = convert(value) if convert else value
            except Refused as refused:
                self.refused(key, refused)
                failed.add(key)
            sources[key] = self.layout.header(key)

        for key in ("fields", "needs", "offers", "programs"):
            items = values.items(self.cell(key))
            if key in failed or not items:
                continue
            if key == "programs" and len(items) > MAX_PROGRAMS:
                self.error(key, "too_many_programs", count=str(len(items)), max=str(MAX_PROGRAMS))
                failed.add(key)
                continue
            payload[key] = items
            sources[key] = self.layout.header(key)

        if "languages" not in failed:
            codes: list[str] = []
            for item in values.items(self.cell("languages")):
                try:
                    codes.append(values.language(item))
                except Refused as refused:
                    self.refused("languages", refused)
                    failed.add("languages")
            if codes and "languages" not in failed:
                payload["languages"] = codes
                sources["languages"] = self.layout.header("languages")

        if "description" not in failed and (description := self.cell("description")):
            payload["description"] = description
            sources["description"] = self.layout.header("description")

        profile = self._validate(payload, sources, failed)
        country = payload.get("country")
        name = self.cell("name")
        duplicate_key = f"{name_key(name)}|{country}" if name and isinstance(country, str) else None
        answers = SurveyAnswers(*(tuple(values.items(self.cell(key))) for key in ANSWER_KEYS))
        return profile, answers, duplicate_key

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
                message = str(detail["msg"]).removeprefix("Value error, ")
                column = sources.get(field, "")
                if len(loc) > 1 and isinstance(loc[1], int):
                    shown = str(detail.get("input", ""))
                    shown = shown if len(shown) <= 40 else f"{shown[:39]}…"
                    item = str(loc[1] + 1)
                    error = RowError.of(
                        self.row, column, "invalid_item", item=item, shown=shown, message=message
                    )
                else:
                    error = RowError.of(self.row, column, "invalid", message=message)
                self.errors.append(error)
            return None
        return None if failed else profile
