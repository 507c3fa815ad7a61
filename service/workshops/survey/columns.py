"""The documented survey columns, their header aliases, and how headers are matched."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    # Chinese headers: the first is the one seed/survey_sample_zh.csv uses.
    chinese: tuple[str, ...] = ()


# fmt: off
COLUMNS: tuple[SurveyColumn, ...] = (
    SurveyColumn("name", "Institution name",
                 ("institution", "name", "organisation", "organization"),
                 "name", "The institution's name as partners should see it.", required=True,
                 chinese=("机构名称", "单位名称", "机构")),
    SurveyColumn("country", "Country", ("country code",),
                 "country", "ISO 3166-1 alpha-2 code (KH) or English name (Cambodia).",
                 required=True,
                 chinese=("国家", "国家/地区", "国别")),
    SurveyColumn("kind", "Type", ("kind", "institution type", "type of institution"),
                 "kind", "An API kind (college, university, company, government, organisation, "
                 "other) or a survey word (school, polytechnic, ministry, NGO, ...).",
                 required=True,
                 chinese=("机构类型", "类型")),
    SurveyColumn("city", "City", ("town",), "city", "City or province.",
                 chinese=("城市", "所在城市")),
    SurveyColumn("fields", "Technical fields", ("fields", "technical field", "tvet fields"),
                 "fields", "Technical fields taught or worked in.", multi=True,
                 chinese=("技术领域", "专业领域")),
    SurveyColumn("programs", "Q1 Programs wanted (up to 3)",
                 ("q1", "programs", "programmes", "q1 programs", "programs wanted"),
                 "programs", "Q1: the collaboration programs most wanted, at most 3.", multi=True,
                 chinese=("Q1 希望开展的合作项目（最多3项）", "希望开展的合作项目", "合作项目")),
    SurveyColumn("challenges", "Q2 Challenges", ("q2", "challenges"),
                 "answers", "Q2: challenges in extending cooperation.", multi=True,
                 chinese=("Q2 合作面临的挑战", "面临的挑战", "挑战")),
    SurveyColumn("strategies", "Q3 Strategies", ("q3", "strategies"),
                 "answers", "Q3: strategies that make cooperation work.", multi=True,
                 chinese=("Q3 有效的合作策略", "合作策略", "策略")),
    SurveyColumn("wishes", "Q4 Wishes for the organiser",
                 ("q4", "wishes", "wishes for the organizer"),
                 "answers", "Q4: programs or events the organiser should coordinate.",
                 multi=True,
                 chinese=("Q4 对组织方的期望", "对组织方的期望", "期望")),
    SurveyColumn("offers", "What we offer", ("offers", "we offer"),
                 "offers", "What the institution can give partners.", multi=True,
                 chinese=("我们能提供", "可提供的资源", "提供")),
    SurveyColumn("needs", "What we seek", ("needs", "seeks", "what we need"),
                 "needs", "What the institution looks for in partners.", multi=True,
                 chinese=("我们希望获得", "合作需求", "需求")),
    SurveyColumn("languages", "Languages", ("language",),
                 "languages", "ISO 639-1 codes (km) or English names (Khmer).", multi=True,
                 chinese=("工作语言", "语言")),
    SurveyColumn("contact_email", "Contact email", ("email", "e-mail", "contact e-mail"),
                 "contact_email", "Private contact address; never shown publicly.",
                 chinese=("联系邮箱", "电子邮箱", "邮箱")),
    SurveyColumn("website", "Website", ("web site", "url"), "website", "An http(s) address.",
                 chinese=("网站", "网址")),
    SurveyColumn("description", "Description", ("about",),
                 "description", "Free text about the institution.",
                 chinese=("机构简介", "简介")),
)
# fmt: on

BY_KEY = {column.key: column for column in COLUMNS}


def fold(text: str) -> str:
    # NFKC folds full-width letters typed with a Chinese input method; ’ is Word's apostrophe.
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(folded.split())


def header_key(text: str) -> str:
    """Return a header as it is compared: folded, ``_`` as a space."""
    return fold(text.replace("_", " "))


HEADERS: dict[str, str] = {
    header_key(name): column.key
    for column in COLUMNS
    for name in (column.header, column.key, *column.aliases, *column.chinese)
}


def unknown_headers(headers: Sequence[str], mapping: Mapping[str, str]) -> list[str]:
    """Return the non-empty headers neither the survey nor ``mapping`` knows, in order."""
    return [
        header
        for header in dict.fromkeys(headers)
        if header and header_key(header) not in HEADERS and header_key(header) not in mapping
    ]
