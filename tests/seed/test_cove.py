from __future__ import annotations

from matching.evaluation import parse_dataset
from seed.eval.build_cove import build, guess_kind


def _row(acronym: str, year: int, organisation: str, country: str) -> dict[str, str]:
    return {
        "acronym": acronym,
        "call_year": str(year),
        "project_title": f"{acronym} title",
        "organisation": organisation,
        "country": country,
        "role": "partner",
    }


ROWS = [
    _row("OLD", 2022, "Kold College", "Denmark"),
    _row("OLD", 2022, "Arla Foods AMBA", "Denmark"),
    _row("OLD", 2022, "Universita degli Studi di Parma", "Italy"),
    _row("NEW", 2024, "KOLD  COLLEGE", "Denmark"),  # the same organisation, spelt otherwise
    _row("NEW", 2024, "Universita degli Studi di Parma", "Italy"),
    _row("NEW", 2024, "Newcomer GmbH", "Germany"),
    _row("NEW", 2024, "Another Newcomer Ltd", "Ireland"),
]


def test_a_time_split_hides_later_projects_whole_and_declares_earlier_ones() -> None:
    data = build(ROWS)
    names = {p["key"]: p["name"] for p in data["profiles"]}
    assert len(names) == 5
    pairs = {frozenset(names[k] for k in pair) for pair in data["pairs"]}
    # Kold and Parma were partners before: that pair is known, not to find. Two newcomers
    # together have no history to ask with.
    assert pairs == {
        frozenset(("Kold College", "Newcomer GmbH")),
        frozenset(("Kold College", "Another Newcomer Ltd")),
        frozenset(("Universita degli Studi di Parma", "Newcomer GmbH")),
        frozenset(("Universita degli Studi di Parma", "Another Newcomer Ltd")),
    }
    assert [[names[k] for k in group] for group in data["declared"]] == [
        ["Kold College", "Arla Foods AMBA", "Universita degli Studi di Parma"]
    ]
    assert {names[k] for k in data["askers"]} == {
        "Kold College",
        "Universita degli Studi di Parma",
    }
    newcomer = next(p for p in data["profiles"] if p["name"] == "Newcomer GmbH")
    assert newcomer["description"] == ""
    dataset = parse_dataset(data)
    assert dataset.split == "time"


def test_kinds_are_guessed_from_registered_names() -> None:
    assert guess_kind("UNIVERSITA DEGLI STUDI DI PARMA") == "university"
    assert guess_kind("COLEGIUL TEHNIC DE INDUSTRIE ALIMENTARA") == "college"
    assert guess_kind("ARLA FOODS AMBA") == "organisation"
    assert guess_kind("CARBERY FOOD INGREDIENTS LIMITED") == "company"
    assert guess_kind("MINISTRY OF EDUCATION") == "government"
