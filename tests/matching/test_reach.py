from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from matching import Taxonomy
from matching.evaluation import load_dataset, parse_dataset
from matching.evaluation.reach import QueryReach, reach
from seed import load_taxonomy


def _school(key: str, description: str, city: str) -> dict[str, Any]:
    return {"key": key, "description": description, "city": city}


# a works with p (another city) and q (its own city); three decoys share a's topic and
# city, one shares only the topic, one only the city.
SCHOOLS = {
    "profiles": [
        _school("a", "CNC machining", "Kampot"),
        _school("p", "CNC machining", "Hanoi"),
        _school("q", "CNC machining", "Kampot"),
        *(_school(f"d{i}", "CNC machining", "Kampot") for i in (1, 2, 3)),
        _school("t", "CNC machining", "Bangkok"),
        _school("o", "Hotel management", "Kampot"),
    ],
    "pairs": [["a", "p"], ["a", "q"]],
}


def test_candidates_sharing_more_than_the_partner_rank_above_it_in_any_such_ranking() -> None:
    found = reach(parse_dataset(SCHOOLS), k=3)
    assert found.queries == (
        # The decoys share the topic and Kampot with a; p shares the topic only. q, a's
        # other partner, is excluded as the harness excludes it.
        QueryReach("a", "p", above=3, tied=1),
        # For p, Kampot is nothing shared: q, the decoys and t tie with a.
        QueryReach("p", "a", above=0, tied=5),
        QueryReach("a", "q", above=0, tied=3),
        QueryReach("q", "a", above=0, tied=3),
    )
    assert found.reachable == 3
    assert found.expected == pytest.approx(0 + 3 / 6 + 3 / 4 + 3 / 4)


def test_a_longer_list_reaches_past_the_candidates_above() -> None:
    found = reach(parse_dataset(SCHOOLS), k=4)
    assert found.reachable == 4
    assert found.expected == pytest.approx(1 / 2 + 4 / 6 + 1 + 1)


def test_one_city_in_two_scripts_is_one_signal_through_the_gazetteer() -> None:
    data = {
        "profiles": [
            _school("a", "", "Sihanoukville"),
            _school("p", "", "西哈努克港"),
            _school("o", "", "Kampot"),
        ],
        "pairs": [["a", "p"]],
    }
    taxonomy = Taxonomy.from_dict(load_taxonomy())
    assert reach(parse_dataset(data), k=1, taxonomy=taxonomy).queries[0] == QueryReach(
        "a", "p", above=0, tied=0
    )
    # Without the gazetteer the two spellings share nothing, so Kampot ties with p.
    assert reach(parse_dataset(data), k=1).queries[0].tied == 1


def test_the_thin_set_bound_is_the_one_the_docs_give() -> None:
    with resources.as_file(resources.files("seed.eval").joinpath("thin.json")) as path:
        thin = load_dataset(path)
    found = reach(thin, taxonomy=Taxonomy.from_dict(load_taxonomy()))
    assert (found.reachable, round(found.expected, 1)) == (108, 103.3)


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        reach(parse_dataset(SCHOOLS), k=0)
