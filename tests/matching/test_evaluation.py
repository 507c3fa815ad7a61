from __future__ import annotations

import dataclasses
import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from matching import Profile
from matching.evaluation import (
    BM25Ranker,
    Dataset,
    DatasetError,
    PartnersOfPartnersRanker,
    PopularityRanker,
    RandomRanker,
    Report,
    WholeProfileRanker,
    default_rankers,
    evaluate,
    format_report,
    load_dataset,
    parse_dataset,
)


def _profile(key: str, kind: str, country: str, **text: list[str]) -> dict[str, Any]:
    return {"key": key, "name": key, "kind": kind, "country": country, **text}


# Pair 1: a CNC need met by a CNC centre, with ten verbatim look-alikes of the asker (so
# whole-profile cosine fills its top 10 with them) and a vendor that only gives.
CNC_ASKER = {"fields": ["CNC machining"], "needs": ["CNC teacher training"]} | {
    "offers": ["student internships"]
}
# Pair 2 and 2b: a Chinese college partnered with two identical hotel schools; a third
# identical school (listed first, so it wins ties by id) is nobody's partner.
HOTEL_ASKER = {
    "fields": ["hotel management"],
    "needs": ["Mandarin language courses"],
    "offers": ["hotel management internships"],
}
PROFILES = [
    _profile("a1", "college", "KH", **CNC_ASKER),
    _profile(
        "b1",
        "company",
        "CN",
        fields=["CNC machining", "smart manufacturing"],
        needs=["overseas student internships"],
        offers=["CNC teacher training programme", "5-axis CNC machining equipment"],
    ),
    *(_profile(f"like1-{i}", "college", "TH", **CNC_ASKER) for i in range(10)),
    _profile(
        "decoy1",
        "company",
        "CN",
        fields=["CNC machining"],
        needs=["investors for a new factory"],
        offers=["CNC teacher training"],
    ),
    _profile("like2", "college", "VN", **HOTEL_ASKER),
    _profile("a2", "college", "TH", **HOTEL_ASKER),
    _profile("e2", "government", "LA", **HOTEL_ASKER),
    _profile(
        "b2",
        "university",
        "CN",
        fields=["hotel management", "tourism"],
        needs=["hotel internships"],
        offers=["Mandarin language courses for hotel staff"],
    ),
    # Pair 3: English meets Chinese; with no shared terms neither side can find the other.
    _profile(
        "a3", "college", "KH", needs=["welding certification"], offers=["Khmer language courses"]
    ),
    _profile("b3", "company", "CN", needs=["高棉语课程"], offers=["焊接技能认证"]),
]
PAIRS = [["a1", "b1"], ["a2", "b2"], ["b2", "e2"], ["a3", "b3"]]
DATA = {"name": "hand-made", "description": "known answers", "profiles": PROFILES, "pairs": PAIRS}

# (asker, target): rank of the target under the reciprocal ranker, worked out by hand.
RECIPROCAL_RANKS = {
    ("a1", "b1"): 1,  # the only complement; look-alikes and the vendor earn only overlap
    ("b1", "a1"): 1,  # a1 ties its ten look-alikes and has the lowest id
    ("a2", "b2"): 1,
    ("b2", "a2"): 2,  # like2 ties and comes first by id; e2 is excluded (a known partner)
    ("b2", "e2"): 2,  # like2 again; a2 is excluded
    ("e2", "b2"): 1,
    ("a3", "b3"): None,  # no shared terms across languages
    ("b3", "a3"): None,
}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return parse_dataset(DATA)


@pytest.fixture(scope="module")
def report(dataset: Dataset) -> Report:
    return evaluate(dataset, resamples=200)


def _metrics(report: Report, ranker: str) -> dict[str, float]:
    scores = next(s for s in report.rankers if s.name == ranker)
    return {name: estimate.value for name, estimate in scores.metrics.items()}


def test_ids_follow_file_order_and_partners_are_not_declared(dataset: Dataset) -> None:
    assert dataset.ids["a1"] == 1
    assert dataset.keys[len(PROFILES)] == "b3"
    assert dataset.pairs[0] == (1, 2)
    assert all(p.existing_partners == frozenset() for p in dataset.profiles)
    assert dataset.partners()[dataset.ids["b2"]] == {dataset.ids["a2"], dataset.ids["e2"]}


def test_reciprocal_ranks_are_the_ones_worked_out_by_hand(report: Report) -> None:
    ranks = {(o.query, o.target): o.ranks["reciprocal"] for o in report.outcomes}
    assert ranks == RECIPROCAL_RANKS


def test_metrics_follow_from_the_ranks(report: Report) -> None:
    # Eight queries; ranks 1, 1, 1, 2, 2, 1, none, none.
    assert _metrics(report, "reciprocal") == pytest.approx(
        {
            "recall@1": 4 / 8,
            "recall@5": 6 / 8,
            "recall@10": 6 / 8,
            "MRR@10": (4 + 0.5 + 0.5) / 8,
            "nDCG@10": (4 + 2 / math.log2(3)) / 8,
        }
    )


def test_reciprocal_beats_whole_profile_where_look_alikes_crowd_the_top(report: Report) -> None:
    whole = {(o.query, o.target): o.ranks["whole-profile TF-IDF"] for o in report.outcomes}
    # Ten verbatim copies of a1 are more similar to it than its complement is.
    assert whole[("a1", "b1")] is None
    assert (
        _metrics(report, "reciprocal")["recall@10"]
        > _metrics(report, "whole-profile TF-IDF")["recall@10"]
    )


def test_intervals_contain_the_point_estimate(report: Report) -> None:
    for scores in report.rankers:
        for name, estimate in scores.metrics.items():
            assert estimate.low <= estimate.value <= estimate.high, (scores.name, name)
            assert estimate.low >= 0.0
            assert estimate.high <= 1.0


def test_per_kind_rows_count_the_askers(report: Report) -> None:
    for scores in report.rankers:
        counts = {row.kind: row.queries for row in scores.by_kind}
        assert counts == {"college": 3, "company": 2, "government": 1, "university": 2}
    college = next(r for r in report.rankers[0].by_kind if r.kind == "college")
    assert (college.recall, college.mrr) == pytest.approx((2 / 3, 2 / 3))


class _Spy:
    """Records what it is asked and returns every candidate it may return, by id."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self.calls: list[tuple[int | None, frozenset[int]]] = []

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        self.calls.append((query.id, exclude))
        return [i for i in self.ids if i != query.id and i not in exclude][:k]


def test_the_other_known_partners_are_excluded(dataset: Dataset) -> None:
    spy = _Spy(sorted(dataset.keys))
    evaluate(dataset, rankers={"spy": spy}, resamples=10)
    ids = dataset.ids
    evaluation_calls = spy.calls[: 2 * len(dataset.pairs)]
    assert (ids["b2"], frozenset({ids["e2"]})) in evaluation_calls  # asking for a2
    assert (ids["b2"], frozenset({ids["a2"]})) in evaluation_calls  # asking for e2
    assert (ids["a1"], frozenset()) in evaluation_calls
    # Coverage asks once per profile, excluding all of its partners.
    assert (ids["b2"], frozenset({ids["a2"], ids["e2"]})) in spy.calls[len(evaluation_calls) :]


@pytest.mark.parametrize(
    "name", ["reciprocal", "whole-profile TF-IDF", "BM25", "popularity", "random"]
)
def test_rankers_never_return_the_query_or_excluded_ids(dataset: Dataset, name: str) -> None:
    ranker = default_rankers(dataset)[name]
    query = dataset.profiles[dataset.ids["b2"] - 1]
    exclude = frozenset({dataset.ids["a2"], dataset.ids["like2"]})
    ranked = ranker.rank(query, 30, exclude)
    assert ranked
    assert not ({query.id} | exclude) & set(ranked)
    assert len(ranked) == len(set(ranked))


def test_popularity_does_not_count_the_held_out_link() -> None:
    data = {
        "profiles": [{"key": key} for key in "abcdef"],
        "pairs": [["a", "b"], ["a", "c"], ["a", "d"], ["e", "f"]],
    }
    small = parse_dataset(data)
    ranker = PopularityRanker().fit(small)
    # Asking a for b with c and d excluded: b's only link is the hidden one, so it
    # counts 0 and comes after e and f (1 each), though its id is lower.
    assert ranker.rank(small.profiles[0], 5, frozenset({3, 4})) == [5, 6, 2]
    report = evaluate(small, k=1, rankers={"popularity": ranker}, resamples=10)
    # Top 1 for a, b, c, d, e, f: e, c, b, b, a, a; d is never shown.
    assert report.rankers[0].coverage == 4


def test_random_ranker_is_seeded(dataset: Dataset) -> None:
    query = dataset.profiles[0]
    first = RandomRanker(seed=3).fit(dataset).rank(query, 10, frozenset())
    assert first == RandomRanker(seed=3).fit(dataset).rank(query, 10, frozenset())
    assert first != RandomRanker(seed=4).fit(dataset).rank(query, 10, frozenset())


def test_whole_profile_ranker_with_no_text_ranks_nothing() -> None:
    blank = parse_dataset({"profiles": [{"key": "a"}, {"key": "b"}], "pairs": [["a", "b"]]})
    assert WholeProfileRanker().fit(blank).rank(blank.profiles[0], 10, frozenset()) == []


def test_format_report_lays_out_the_three_tables(report: Report) -> None:
    text = format_report(report)
    header = next(line for line in text.splitlines() if line.startswith("ranker "))
    for metric in ("recall@1", "recall@5", "recall@10", "MRR@10", "nDCG@10"):
        assert metric in header
    mrr = report.rankers[0].metrics["MRR@10"]
    assert f"{mrr.value:.2f} [{mrr.low:.2f}, {mrr.high:.2f}]" in text
    assert "by kind of asker" in text
    assert f"{report.rankers[0].coverage} of {len(PROFILES)}" in text


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pairs": [["a", "zz"]]}, r"pairs\[0\]: unknown profile key 'zz'"),
        ({"pairs": [["a", "a"]]}, r"pairs\[0\]: 'a' is paired with itself"),
        ({"pairs": [["a", "b"], ["b", "a"]]}, r"pairs\[1\]: pair \['b', 'a'\] is listed twice"),
        ({"pairs": [["a"]]}, r"pairs\[0\]: a pair is a list of two profile keys"),
        (
            {"profiles": [{"key": "a"}, {"key": "a"}]},
            r"profiles\[1\]: duplicate key 'a' \(first at profiles\[0\]\)",
        ),
        ({"profiles": [{"name": "no key"}]}, r"profiles\[0\]: 'key' must be a non-empty string"),
        ({"profiles": [{"key": "a", "needs": "x"}]}, r"'needs' must be a list of strings"),
        ({"profiles": [{"key": "a", "need": ["x"]}]}, r"unknown profile members \['need'\]"),
        ({"profiles": {}}, r"'profiles' must be a list"),
    ],
)
def test_bad_files_are_refused_with_the_reason(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    data = {"profiles": [{"key": "a"}, {"key": "b"}], "pairs": [["a", "b"]]} | change
    with pytest.raises(ValueError, match=message) as refused:
        load_dataset(_write(tmp_path, data))
    assert isinstance(refused.value, DatasetError)
    assert str(refused.value).startswith(str(tmp_path / "set.json"))


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read a JSON dataset"):
        load_dataset(path)


def test_the_name_defaults_to_the_file_name(tmp_path: Path) -> None:
    data = {"profiles": [{"key": "a"}, {"key": "b"}], "pairs": [["a", "b"]]}
    assert load_dataset(_write(tmp_path, data)).name == "set"


def test_a_dataset_without_pairs_cannot_be_evaluated() -> None:
    with pytest.raises(ValueError, match="no known pairs"):
        evaluate(parse_dataset({"profiles": [{"key": "a"}], "pairs": []}))


@pytest.mark.parametrize("name", ["articles", "cove", "generated", "thin"])
def test_the_shipped_datasets_load(name: str) -> None:
    with resources.as_file(resources.files("seed.eval").joinpath(f"{name}.json")) as path:
        dataset = load_dataset(path)
    assert dataset.name == name
    assert dataset.pairs


def test_the_articles_set_is_in_sync_with_the_seed() -> None:
    from seed.eval.build_articles import build

    shipped = resources.files("seed.eval").joinpath("articles.json").read_text("utf-8")
    assert json.loads(shipped) == build(), "run: python -m seed.eval.build_articles"


def test_bm25_weighs_rare_shared_terms_above_common_ones() -> None:
    data = {
        "profiles": [
            {"key": "q", "description": "welding college in Kampot"},
            {"key": "common", "description": "college college in town"},
            {"key": "rare", "description": "welding workshop"},
            *({"key": f"c{i}", "description": "a college"} for i in range(5)),
        ],
        "pairs": [["q", "rare"]],
    }
    dataset = parse_dataset(data)
    ranked = BM25Ranker().fit(dataset).rank(dataset.profiles[0], 3, frozenset())
    assert ranked[0] == dataset.ids["rare"]
    assert dataset.ids["q"] not in ranked


def test_partners_of_partners_counts_shared_partners_weighted_by_their_degree() -> None:
    # q works with hub (partner of everyone) and with niche (partner of x only).
    data = {
        "profiles": [{"key": key} for key in ("q", "hub", "niche", "x", "y", "z")],
        "pairs": [["q", "x"]],
        "declared": [["q", "hub", "y", "z"], ["q", "niche"], ["niche", "x"], ["hub", "x"]],
        "split": "time",
    }
    dataset = parse_dataset(data)
    ids = dataset.ids
    ranker = PartnersOfPartnersRanker().fit(dataset)
    query = dataclasses.replace(dataset.profiles[0], existing_partners=dataset.known()[ids["q"]])
    # x shares hub and niche with q; y and z share only the hub.
    assert ranker.rank(query, 5, frozenset()) == [ids["x"]]


def test_a_time_split_hides_every_pair_and_knows_only_what_was_declared() -> None:
    data = {
        "profiles": [{"key": key} for key in "abcd"],
        "pairs": [["a", "b"], ["a", "c"]],
        "declared": [["a", "d"]],
        "split": "time",
        "askers": ["a"],
    }
    dataset = parse_dataset(data)
    ids = dataset.ids
    assert dataset.known()[ids["a"]] == {ids["d"]}
    assert dataset.askers == frozenset({ids["a"]})
    spy = _Spy(sorted(dataset.keys))
    report = evaluate(dataset, rankers={"spy": spy}, resamples=10)
    assert [o.query for o in report.outcomes] == ["a", "a"]
    assert (ids["a"], frozenset({ids["c"], ids["d"]})) in spy.calls


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"split": "random"}, r"'split' must be one of"),
        ({"declared": [["a"]]}, r"declared\[0\]: a group lists two or more"),
        ({"declared": [["a", "zz"]]}, r"declared\[0\]: unknown profile key 'zz'"),
        ({"declared": [["b", "a"]]}, r"both to find and declared"),
        ({"askers": ["zz"]}, r"'askers' must be a list of profile keys"),
    ],
)
def test_bad_splits_are_refused(change: dict[str, Any], message: str) -> None:
    data = {"profiles": [{"key": "a"}, {"key": "b"}], "pairs": [["a", "b"]]} | change
    with pytest.raises(DatasetError, match=message):
        parse_dataset(data)
