"""Fusing the part similarities: a kept weighing changes no bit of any score."""

from __future__ import annotations

import random

import numpy as np

from matching import Profile, ReciprocalRanker
from matching.pairwise import locality, present_in_index
from matching.score import fuse

TOPICS = ["CNC", "welding", "HVAC", "robotics", "logistics", "solar", "EV", "hotel", "drones"]


def _profile(rng: random.Random, number: int) -> Profile:
    """A profile that leaves some parts empty, so askers hold different sets of parts."""

    def maybe(*items: str) -> tuple[str, ...]:
        return items if rng.random() < 0.7 else ()

    return Profile(
        id=number,
        name=f"{rng.choice(TOPICS)} college {number}",
        country=rng.choice(["CN", "KH", "TH", "VN"]),
        city=rng.choice(["", "Phnom Penh", "Kunming"]),
        kind="college",
        fields=maybe(rng.choice(TOPICS)),
        needs=maybe(f"{rng.choice(TOPICS)} teacher training"),
        offers=maybe(f"{rng.choice(TOPICS)} internships"),
        programs=maybe(rng.choice(["student exchange", "staff exchange"])),
    )


def _fused_afresh(ranker: ReciprocalRanker, query: Profile) -> tuple[np.ndarray, ...]:
    """The fusion of ``score_all``'s similarities with every denominator computed again."""
    corpus = ranker.corpus_
    _, similarity, _, _ = ranker.score_all(query)
    asked = ranker._asked_parts(query)
    present = present_in_index(corpus, asked)
    _, present["city"] = locality(corpus, query.city)
    return fuse(similarity, present, ranker._weights(), ranker.one_sided_factor)


def _assert_same_bits(ranker: ReciprocalRanker, query: Profile) -> None:
    score, _, reciprocal, overlap = ranker.score_all(query)
    expected = _fused_afresh(ranker, query)
    for got, want in zip((score, reciprocal, overlap), expected, strict=True):
        assert got.dtype == want.dtype == np.float32
        assert np.array_equal(got, want)


def test_askers_holding_the_same_parts_share_a_weighing_and_keep_their_bits() -> None:
    rng = random.Random(3)
    ranker = ReciprocalRanker().fit([_profile(rng, number) for number in range(1, 400)])
    askers = [_profile(rng, number) for number in range(1000, 1060)]
    held = {(bool(a.needs), bool(a.offers), bool(a.fields), bool(a.programs)) for a in askers}
    assert len(held) > 4  # several sets of parts, each met more than once
    for asker in askers:
        _assert_same_bits(ranker, asker)
    score, *_ = ranker.score_all(askers[0])
    assert score.any()


def test_a_new_snapshot_weighs_its_own_rows() -> None:
    rng = random.Random(5)
    ranker = ReciprocalRanker().fit([_profile(rng, number) for number in range(1, 200)])
    asker = _profile(rng, 500)
    _assert_same_bits(ranker, asker)
    rows = len(ranker.corpus_.ids)
    # Every row gains what the asker holds, so the same set of parts weighs differently.
    ranker.upsert([_profile(rng, number) for number in range(200, 260)])
    assert len(ranker.corpus_.ids) > rows
    _assert_same_bits(ranker, asker)
