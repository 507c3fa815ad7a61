"""parse_survey on CSV: the shipped sample, and every refusal with its row and column."""

from __future__ import annotations

import pytest

from service.values.validation import Kind
from service.workshops import survey
from service.workshops.survey import (
    RowError,
    SurveyAnswers,
    parse_survey,
)
from service.workshops.survey.answers import without_legacy_block
from tests.service.workshops.survey_samples import (
    HEADER,
    MALFORMED,
    SAMPLE,
    survey_csv,
)


def _found(errors: tuple[RowError, ...], row: int, column: str, reason: str) -> bool:
    return any(e.row == row and e.column == column and reason in e.reason for e in errors)


def test_the_sample_parses_without_errors_or_warnings() -> None:
    parsed = parse_survey(SAMPLE)
    assert parsed.ok, [str(e) for e in parsed.errors]
    assert parsed.warnings == ()
    assert len(parsed.rows) == 28
    assert [r.row for r in parsed.rows] == list(range(2, 30))
    assert parsed.columns[0] == "Institution name"
    assert all("Demo" in r.profile.name for r in parsed.rows)


def test_the_sample_is_written_as_excel_writes_it() -> None:
    assert SAMPLE.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in SAMPLE
    text = SAMPLE.decode("utf-8-sig")
    assert "；" in text
    assert ";" in text
    assert any("\u1780" <= ch <= "\u17ff" for ch in text)  # Khmer
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # Chinese


def test_the_sample_maps_every_column() -> None:
    rows = {r.profile.name: r.profile for r in parse_survey(SAMPLE).rows}
    guilin = rows["Guilin Demo Vocational College of Electromechanical Technology"]
    assert guilin.country == "CN"
    assert guilin.kind is Kind.college
    assert guilin.city == "Guilin"
    assert guilin.fields == ["CNC technology", "industrial robots", "smart manufacturing"]
    assert "KUKA and ABB robot demonstration platforms" in guilin.offers
    assert guilin.needs[0] == "Cambodian partner colleges for skills competition exchanges"
    assert guilin.programs == [
        "staff exchange",
        "digital/AI education and teacher training",
        "internships",
    ]
    assert guilin.languages == ["zh", "en"]
    assert guilin.contact_email == "intl@guilin-emt-demo.example.org"
    assert guilin.website == "https://guilin-emt-demo.example.org"
    assert guilin.description == (
        "Public vocational college training technicians for intelligent manufacturing, "
        "with a skills-competition team."
    )
    answers = next(r.answers for r in parse_survey(SAMPLE).rows if r.profile.name == guilin.name)
    assert answers == SurveyAnswers(
        challenges=("language barriers", "difficulties finding suitable partners"),
        strategies=("industry partnerships", "win-win workshops"),
        wishes=("teacher training", "AI", "hybrid workshops"),
    )
    kinds = {p.kind for p in rows.values()}
    assert kinds == {
        Kind.college,
        Kind.company,
        Kind.government,
        Kind.organisation,
        Kind.university,
    }


def test_bom_and_no_bom_give_the_same_result() -> None:
    without = SAMPLE.removeprefix(b"\xef\xbb\xbf")
    assert without != SAMPLE
    assert parse_survey(without) == parse_survey(SAMPLE)


def test_lf_line_ends_give_the_same_result_as_crlf() -> None:
    assert parse_survey(SAMPLE.replace(b"\r\n", b"\n")) == parse_survey(SAMPLE)


def test_full_width_semicolons_and_line_breaks_split_cells() -> None:
    parsed = parse_survey(
        survey_csv(
            'Demo Yulin College,CN,college,"师资培训；学生交流\n实习","zh；en ; ",', header=HEADER
        )
    )
    assert parsed.ok, parsed.errors
    profile = parsed.rows[0].profile
    assert profile.programs == ["师资培训", "学生交流", "实习"]
    assert profile.languages == ["zh", "en"]


def test_empty_items_are_dropped_and_commas_inside_quotes_kept() -> None:
    header = "Institution name,Country,Type,What we offer\n"
    parsed = parse_survey(
        survey_csv('Demo A,KH,college,"; CNC, welding ;;  ；robots;"', header=header)
    )
    assert parsed.rows[0].profile.offers == ["CNC, welding", "robots"]


@pytest.mark.parametrize(
    "header",
    [
        "institution,COUNTRY,kind\n",
        "  Name  , country code ,TYPE\n",
        "Organisation,Country,Institution Type\n",
        "name,country,type_of_institution\n",
    ],
)
def test_headers_match_aliases_case_and_spaces(header: str) -> None:
    parsed = parse_survey(survey_csv("Demo A,Cambodia,Polytechnic", header=header))
    assert parsed.ok, parsed.errors
    assert parsed.rows[0].profile.country == "KH"


@pytest.mark.parametrize(
    ("written", "code"),
    [("KH", "KH"), ("kh", "KH"), ("Cambodia", "KH"), ("viet nam", "VN"), ("Vietnam", "VN"),
     ("Lao PDR", "LA"), ("Brunei", "BN"), ("中国", "CN"), ("Russia", "RU"), ("Timor-Leste", "TL")],
)  # fmt: skip
def test_countries_accept_codes_and_names(written: str, code: str) -> None:
    parsed = parse_survey(survey_csv(f"Demo A,{written},college,,,"))
    assert parsed.rows[0].profile.country == code


@pytest.mark.parametrize(
    ("written", "kind"),
    [("school", Kind.college), ("TVET institution", Kind.college), ("Institute", Kind.college),
     ("ministry", Kind.government), ("Government agency", Kind.government),
     ("enterprise", Kind.company), ("industry", Kind.company), ("university", Kind.university),
     ("NGO", Kind.organisation), ("association", Kind.organisation), ("other", Kind.other)],
)  # fmt: skip
def test_kinds_accept_api_kinds_and_survey_words(written: str, kind: Kind) -> None:
    parsed = parse_survey(survey_csv(f"Demo A,KH,{written},,,"))
    assert parsed.rows[0].profile.kind is kind


def test_languages_accept_codes_names_and_locale_tags() -> None:
    cell = "Khmer; Mandarin; zh-CN; EN; Filipino; Bahasa Indonesia; Burmese; ภาษาไทย; Lao; Malay"
    parsed = parse_survey(survey_csv(f'Demo A,KH,college,,"{cell}",'))
    assert parsed.rows[0].profile.languages == [
        "km",
        "zh",
        "en",
        "tl",
        "id",
        "my",
        "th",
        "lo",
        "ms",
    ]


MALFORMED_CASES = [
    (3, "Country", "'Atlantis' is not a country"),
    (4, "Institution name", "required, but the cell is empty"),
    (5, "Q1 Programs wanted (up to 3)", "lists 4 programs; the survey asks for at most 3"),
    (6, "Contact email", "not a valid email address"),
    (7, "", "the row has 4 cells but the header has 7"),
    (8, "Institution name", "as row 2"),
    (9, "Type", "'wizard guild' is not a kind of institution"),
    (9, "Languages", "'Tetum' has no ISO 639-1"),
]


@pytest.mark.parametrize(("row", "column", "reason"), MALFORMED_CASES)
def test_each_malformed_row_is_refused_where_it_is(row: int, column: str, reason: str) -> None:
    errors = parse_survey(MALFORMED).errors
    assert _found(errors, row, column, reason), [str(e) for e in errors]


def test_malformed_file_refuses_exactly_the_known_problems() -> None:
    parsed = parse_survey(MALFORMED)
    assert not parsed.ok
    assert len(parsed.errors) == len(MALFORMED_CASES)
    assert [r.row for r in parsed.rows] == [2]
    assert [w.reason for w in parsed.warnings] == [
        "column A 'Timestamp' is not a survey column; it is ignored"
    ]


def test_more_than_three_programs_is_a_row_error_naming_the_column() -> None:
    parsed = parse_survey(survey_csv('Demo A,KH,college,"a; b；c\nd",,'))
    assert parsed.rows == ()
    assert parsed.errors == (
        RowError(
            2, "Q1 Programs wanted (up to 3)", "lists 4 programs; the survey asks for at most 3"
        ),
    )


def test_errors_name_the_header_as_written_without_surrounding_spaces() -> None:
    parsed = parse_survey(survey_csv("Demo A,Atlantis,college", header=" NAME , COUNTRY ,kind\n"))
    assert [e.column for e in parsed.errors] == ["COUNTRY"]


def test_missing_required_columns_are_listed() -> None:
    parsed = parse_survey(survey_csv("Demo A,Phnom Penh", header="Institution,City\n"))
    assert parsed.rows == ()
    assert parsed.errors == (
        RowError(
            1, "", "missing required column(s): Country, Type (Chinese headers: 国家, 机构类型)"
        ),
    )


def test_a_column_given_twice_is_a_header_error() -> None:
    parsed = parse_survey(
        survey_csv("A,B,KH,college", header="Name,Institution name,Country,Type\n")
    )
    assert parsed.rows == ()
    assert len(parsed.errors) == 1
    assert parsed.errors[0].row == 1
    assert parsed.errors[0].column == "Institution name"
    assert "columns A ('Name') and B both mean 'Institution name'" in parsed.errors[0].reason


def test_unknown_and_unnamed_columns_are_ignored_with_warnings() -> None:
    parsed = parse_survey(
        survey_csv("x,Demo A,KH,college,y", header="Timestamp,Name,Country,Type,\n")
    )
    assert parsed.ok
    assert parsed.columns == ("Timestamp", "Name", "Country", "Type", "")
    assert [(w.reason, w.code, dict(w.params)) for w in parsed.warnings] == [
        (
            "column A 'Timestamp' is not a survey column; it is ignored",
            "unknown_header",
            {"letter": "A", "header": "Timestamp"},
        ),
        ("column E has no header; its cells are ignored", "no_header", {"letter": "E"}),
    ]


def test_duplicates_compare_names_case_insensitively_and_country_by_code() -> None:
    parsed = parse_survey(survey_csv("Demo  A,Cambodia,college,,,", "demo a,KH,school,,,"))
    assert [r.row for r in parsed.rows] == [2]
    assert parsed.errors == (
        RowError(3, "Institution name", "the same institution (name and country) as row 2"),
    )
    other_country = parse_survey(survey_csv("Demo A,KH,college,,,", "Demo A,TH,college,,,"))
    assert other_country.ok


def test_blank_rows_are_skipped_but_keep_spreadsheet_row_numbers() -> None:
    parsed = parse_survey(
        survey_csv("Demo A,KH,college,,,", ",,,,,", "", "Demo B,Atlantis,college,,,")
    )
    assert [r.row for r in parsed.rows] == [2]
    assert parsed.errors[0].row == 5


def test_quoted_line_breaks_count_as_one_spreadsheet_row() -> None:
    parsed = parse_survey(
        survey_csv('Demo A,KH,college,"internships\nscholarships",,', "Demo B,XX,x,,,")
    )
    assert [e.row for e in parsed.errors] == [3, 3]


def test_tab_separated_files_are_read_when_the_header_has_tabs_and_no_commas() -> None:
    data = "Name\tCountry\tType\tWhat we offer\nDemo A\tKH\tcollege\tCNC, welding; robots\n"
    parsed = parse_survey(data.encode("utf-8"))
    assert parsed.ok, parsed.errors
    assert parsed.rows[0].profile.offers == ["CNC, welding", "robots"]


def test_pydantic_refusals_map_back_to_their_column_and_item() -> None:
    header = "Name,Country,Type,Technical fields,Website\n"
    parsed = parse_survey(
        survey_csv(f'Demo A,KH,college,"CNC; {"x" * 301}",ftp://demo', header=header)
    )
    assert _found(parsed.errors, 2, "Technical fields", "item 2 ('xxx")
    assert _found(parsed.errors, 2, "Technical fields", "at most 300")
    assert _found(parsed.errors, 2, "Website", "must be an http:// or https:// address")


def test_q2_to_q4_are_answers_for_the_organiser_not_description() -> None:
    header = "Name,Country,Type,Description,Q2,Q3 Strategies,Q4\n"
    line = (
        'Demo A,KH,college,Small institute.,"budget constraints；red tape.",,"AI\nhybrid workshops"'
    )
    parsed = parse_survey(survey_csv(line, header=header))
    assert parsed.rows[0].profile.description == "Small institute."
    assert parsed.rows[0].answers == SurveyAnswers(
        challenges=("budget constraints", "red tape."), wishes=("AI", "hybrid workshops")
    )


def test_no_profile_of_the_sample_holds_survey_labels() -> None:
    for row in parse_survey(SAMPLE).rows:
        text = row.profile.model_dump_json().casefold()
        for label in ("challenge", "strategies", "wishes for the organiser"):
            assert label not in text, (row.profile.name, label)


def test_a_long_description_and_long_answers_are_each_within_limits() -> None:
    header = "Name,Country,Type,Description,Q2 Challenges\n"
    parsed = parse_survey(survey_csv(f"Demo A,KH,college,{'d' * 4990},{'c' * 20}", header=header))
    assert parsed.ok
    too_long = parse_survey(survey_csv(f"Demo A,KH,college,{'d' * 5001},c", header=header))
    assert _found(too_long.errors, 2, "Description", "at most 5,000 are allowed")


@pytest.mark.parametrize(
    ("description", "kept"),
    [
        (
            "Small institute. Challenges: budget; red tape. Wishes for the organiser: AI.",
            "Small institute.",
        ),
        ("Challenges: budget; red tape. Wishes for the organiser: AI.", ""),
        ("Small institute.", "Small institute."),
        # Answers that changed since: the block is not the one these answers wrote.
        ("Small institute. Challenges: budget. Wishes for the organiser: AI.", None),
        ("NoChallenges: budget; red tape. Wishes for the organiser: AI.", None),
    ],
)
def test_only_the_block_an_earlier_import_wrote_for_these_answers_is_removed(
    description: str, kept: str | None
) -> None:
    answers = SurveyAnswers(challenges=("budget", "red tape"), wishes=("AI",))
    expected = description if kept is None else kept
    assert without_legacy_block(description, answers) == expected


def test_cells_longer_than_the_limit_are_refused() -> None:
    header = "Name,Country,Type,What we seek\n"
    parsed = parse_survey(survey_csv(f"Demo A,KH,college,{'n' * 5001}", header=header))
    assert parsed.errors == (
        RowError(2, "What we seek", "the cell has 5,001 characters; at most 5,000 are allowed"),
    )


def test_more_rows_than_the_limit_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(survey.parse, "MAX_ROWS", 2)
    parsed = parse_survey(
        survey_csv("Demo A,KH,college,,,", "Demo B,KH,college,,,", "Demo C,KH,x,,,")
    )
    assert parsed.errors == (RowError(4, "", "more than 2 data rows; split the file"),)
