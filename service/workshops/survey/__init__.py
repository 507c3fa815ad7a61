"""Turn a workshop's networking survey (CSV or XLSX) into validated institution profiles.

Pure functions: no database, no web framework. The service builds dry runs and
all-or-nothing imports on top of :func:`parse_survey`; CSV exports use :func:`safe_cell`.
Modules: ``columns`` (headers and aliases), ``values`` (countries, kinds, languages),
``rows`` (a row to a profile), ``answers`` (Q2-Q4, kept apart), ``sheets`` (CSV and
XLSX files as rows of cells), ``parse`` (the file).

Headers match case-insensitively with surrounding spaces ignored, under their name, an
English alias or a Chinese header (:data:`COLUMNS` is the authoritative list;
``seed/SURVEY.md`` the full reference).
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
Q2 Challenges                           yes    ``answers.challenges`` (for the organiser)
Q3 Strategies                           yes    ``answers.strategies`` (for the organiser)
Q4 Wishes for the organiser             yes    ``answers.wishes`` (for the organiser)
What we offer                           yes    ``offers``
What we seek                            yes    ``needs``
Languages                               yes    ``languages`` (ISO 639-1 code or English name)
Contact email                                  ``contact_email``
Website                                        ``website``
Description                                    ``description``
============================  ========  =====  ==============================================
"""

from service.workshops.survey.answers import SurveyAnswers
from service.workshops.survey.cells import safe_cell
from service.workshops.survey.columns import (
    COLUMNS,
    MAX_CELL_LENGTH,
    MAX_PROGRAMS,
    MAX_ROWS,
    SurveyColumn,
)
from service.workshops.survey.parse import parse_survey
from service.workshops.survey.rows import RowError, SurveyParse, SurveyRow
from service.workshops.survey.sheets import XLSX_MEDIA, FileType, sniff

__all__ = [
    "COLUMNS",
    "MAX_CELL_LENGTH",
    "MAX_PROGRAMS",
    "MAX_ROWS",
    "XLSX_MEDIA",
    "FileType",
    "RowError",
    "SurveyAnswers",
    "SurveyColumn",
    "SurveyParse",
    "SurveyRow",
    "parse_survey",
    "safe_cell",
    "sniff",
]
