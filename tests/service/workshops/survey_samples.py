"""The survey files the parsing tests read: the shipped sample, the malformed one, and
small CSVs written on the spot."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE = resources.files("seed").joinpath("survey_sample.csv").read_bytes()
MALFORMED = resources.files("seed").joinpath("survey_malformed.csv").read_bytes()
SURVEY_MD = Path(__file__).resolve().parents[3] / "seed" / "SURVEY.md"

HEADER = "Institution name,Country,Type,Q1 Programs wanted (up to 3),Languages,Contact email\n"


def survey_csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{line}\n" for line in lines)).encode("utf-8")
