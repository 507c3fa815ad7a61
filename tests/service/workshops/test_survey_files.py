"""parse_survey on whole files: encodings, empty files, workbooks, Chinese headers, column
mappings, and the columns the docs list."""

from __future__ import annotations

import io
from importlib import resources

import pytest
from openpyxl import Workbook

from service.values.validation import Kind
from service.workshops import survey
from service.workshops.survey import (
    COLUMNS,
    FileType,
    RowError,
    parse_survey,
    safe_cell,
)
from tests.service.workshops.survey_samples import (
    HEADER,
    SAMPLE,
    SURVEY_MD,
    survey_csv,
)


def test_gb18030_is_refused_by_default_with_a_clear_message() -> None:
    data = (
        survey_csv("南宁示例职业学院Demo,中国,职业学院,师资培训；实习,中文,")
        .decode()
        .encode("gb18030")
    )
    parsed = parse_survey(data)
    assert parsed.rows == ()
    (error,) = parsed.errors
    assert error.row == 0
    assert error.column == ""
    offset = len(HEADER.encode())
    assert f"at offset {offset} (line 2)" in error.reason
    # The hint names the encoding in words, not in code syntax (issue 16.4).
    assert "GB18030" in error.reason
    assert "encoding=" not in error.reason


def test_gb18030_parses_when_the_encoding_is_passed() -> None:
    data = (
        survey_csv("南宁示例职业学院Demo,中国,职业学院,师资培训；实习,中文,")
        .decode()
        .encode("gb18030")
    )
    parsed = parse_survey(data, encoding="gb18030")
    assert parsed.ok, parsed.errors
    profile = parsed.rows[0].profile
    assert (profile.name, profile.country, profile.kind) == (
        "南宁示例职业学院Demo",
        "CN",
        Kind.college,
    )
    assert profile.programs == ["师资培训", "实习"]
    assert profile.languages == ["zh"]


def test_an_unknown_encoding_is_a_file_error() -> None:
    parsed = parse_survey(SAMPLE, encoding="no-such-codec")
    assert parsed.errors == (RowError(0, "", "unknown encoding 'no-such-codec'"),)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\r\n"])
def test_an_empty_file_is_a_file_error(data: bytes) -> None:
    assert parse_survey(data).errors == (RowError(0, "", "the file is empty"),)


def test_a_header_without_rows_is_an_error() -> None:
    parsed = parse_survey(HEADER.encode())
    assert parsed.errors == (RowError(0, "", "the file has a header but no data rows"),)
    assert parsed.columns[0] == "Institution name"


def test_row_errors_convert_to_field_errors() -> None:
    assert RowError(3, "Country", "bad").field_error().loc == ("file", 3, "Country")
    assert RowError(0, "", "empty").field_error().loc == ("file", 0)
    assert str(RowError(3, "Country", "bad")) == "row 3, Country: bad"
    assert str(RowError(0, "", "empty")) == "file: empty"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Demo College", "Demo College"),
        ("", ""),
        ("a=b", "a=b"),
        ("'=1", "'=1"),
        ("柬埔寨", "柬埔寨"),
    ],
)
def test_safe_cell_neutralises_formula_starts(value: str, expected: str) -> None:
    assert safe_cell(value) == expected


def test_the_docs_list_every_column_and_alias() -> None:
    docs = SURVEY_MD.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert column.header in docs
        for alias in column.aliases:
            assert alias in docs.lower(), alias
        assert column.header in (survey.__doc__ or "")


@pytest.mark.parametrize(
    ("sample", "file_type"), [("survey_sample_zh.csv", "csv"), ("survey_sample.xlsx", "xlsx")]
)
def test_chinese_headers_and_the_workbook_read_as_the_english_csv(
    sample: str, file_type: FileType
) -> None:
    data = resources.files("seed").joinpath(sample).read_bytes()
    parsed = parse_survey(data, file_type=file_type)
    assert parsed.ok, [str(e) for e in parsed.errors]
    assert parsed.warnings == ()
    assert parsed.rows == parse_survey(SAMPLE).rows


def test_every_chinese_header_is_documented_and_means_one_column() -> None:
    docs = SURVEY_MD.read_text(encoding="utf-8")
    seen: dict[str, str] = {}
    for column in COLUMNS:
        assert column.chinese, column.key
        for name in column.chinese:
            assert name in docs, name
            assert seen.setdefault(name, column.key) == column.key
    header = ",".join(column.chinese[0] for column in COLUMNS if column.required)
    parsed = parse_survey(f"{header}\n示例学院 Demo,柬埔寨,职业学院\n".encode())
    assert parsed.ok, parsed.errors
    assert parsed.rows[0].profile.country == "KH"


def test_workbook_cells_become_text_and_blank_rows_keep_their_numbers() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Institution name", "Country", "Type", "City", None])
    sheet.append([])
    sheet.append(["Demo A", "KH", "college", 12345])
    sheet.append(["Demo B", "Atlantis", "college"])
    out = io.BytesIO()
    book.save(out)
    parsed = parse_survey(out.getvalue(), file_type="xlsx")
    assert [(r.row, r.profile.city) for r in parsed.rows] == [(3, "12345")]
    assert [(e.row, e.column) for e in parsed.errors] == [(4, "Country")]


def test_a_file_that_is_not_a_workbook_is_refused_as_a_whole() -> None:
    parsed = parse_survey(SAMPLE, file_type="xlsx")
    assert [(e.row, e.column) for e in parsed.errors] == [(0, "")]
    assert "not an Excel workbook" in parsed.errors[0].reason


def test_a_mapping_adds_headers_the_survey_does_not_know() -> None:
    data = survey_csv("Demo A,KH,college,welding", header="Name of school,Country,Type,Strengths\n")
    assert not parse_survey(data).ok
    parsed = parse_survey(data, mapping={"name of school": "name", "strengths": "offers"})
    assert parsed.ok, parsed.errors
    assert parsed.rows[0].profile.offers == ["welding"]
    # A known header keeps its meaning whatever the mapping says.
    assert parse_survey(data, mapping={"country": "city", "name of school": "name"}).ok
