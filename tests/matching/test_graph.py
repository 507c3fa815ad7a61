"""Partners of partners in the ranking: declared partnerships and recorded outcomes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching import CandidateFilter, Profile, ReciprocalRanker
from matching.candidates import with_reserved

KAMPOT = Profile(id=1, name="Kampot Dairy School", country="KH", needs=("dairy training",))
YALONG = Profile(id=2, name="Yalong Group", country="CN", offers=("dairy training",))
# Shares no text with Kampot: only the graph can suggest it.
GUANGXI = Profile(
    id=3,
    name="Guangxi Rail College",
    country="CN",
    offers=("railway signalling",),
    existing_partners=frozenset({2}),
)
HOTEL = Profile(id=4, name="Mekong Hotel School", country="VN", offers=("hotel internships",))


def ids(ranker: ReciprocalRanker, query: Profile) -> list[int]:
    return [match.id for match in ranker.rank(query)]


def test_a_declared_partner_brings_its_partners_with_a_reason() -> None:
    kampot = replace(KAMPOT, existing_partners=frozenset({2}))
    ranker = ReciprocalRanker().fit([kampot, YALONG, GUANGXI, HOTEL])
    (match,) = ranker.rank(kampot)
    assert match.id == GUANGXI.id
    assert match.components.shared_partners == 1.0
    assert match.reasons == ("You both work with Yalong Group.",)


def test_an_outcome_on_the_stored_profile_is_an_edge_but_hides_no_one() -> None:
    # An outcome is mutual: the index gives it on both profiles.
    stored = replace(KAMPOT, worked_with=frozenset({2}))
    yalong = replace(YALONG, worked_with=frozenset({1}))
    ranker = ReciprocalRanker().fit([stored, yalong, GUANGXI, HOTEL])
    # Asked as the service asks: the row and its declared partners, no outcomes.
    assert ids(ranker, KAMPOT) == [YALONG.id, GUANGXI.id]
    assert ranker.rank(KAMPOT)[1].reasons == ("You both work with Yalong Group.",)
    # Without the outcome Guangxi is not suggested at all.
    assert ids(ReciprocalRanker().fit([KAMPOT, YALONG, GUANGXI, HOTEL]), KAMPOT) == [YALONG.id]


def test_no_graph_signal_leaves_the_text_scores_alone() -> None:
    corpus = [KAMPOT, YALONG, GUANGXI, HOTEL]
    with_graph = ReciprocalRanker(graph_weight=0.2).fit(corpus).rank(KAMPOT)
    without = ReciprocalRanker(graph_weight=0.0).fit(corpus).rank(KAMPOT)
    assert [(m.id, m.score) for m in with_graph] == [(m.id, m.score) for m in without]


# Three dairy schools meet Kampot's need on text; Guangxi only through Yalong.
DAIRIES = tuple(
    Profile(id=10 + i, name=f"Dairy Institute {i}", country="CN", offers=("dairy training",))
    for i in range(3)
)


def test_the_best_linked_candidate_keeps_a_place_the_text_would_take() -> None:
    kampot = replace(KAMPOT, existing_partners=frozenset({2}))
    corpus = [kampot, YALONG, GUANGXI, HOTEL, *DAIRIES]
    text_first = ReciprocalRanker(graph_places=0).fit(corpus).rank(kampot, k=2)
    assert GUANGXI.id not in [m.id for m in text_first]
    ranked = ReciprocalRanker(graph_places=1).fit(corpus).rank(kampot, k=2)
    assert [m.id for m in ranked] == [text_first[0].id, GUANGXI.id]
    # It keeps its own score and says why it is there.
    assert ranked[1].score < text_first[1].score
    assert ranked[1].reasons == ("You both work with Yalong Group.",)


def test_reserved_places_need_a_shared_partner_and_pass_the_filters() -> None:
    kampot = replace(KAMPOT, existing_partners=frozenset({2}))
    corpus = [kampot, YALONG, GUANGXI, HOTEL, *DAIRIES]
    ranker = ReciprocalRanker(graph_places=2).fit(corpus)
    # Guangxi is the only candidate sharing a partner; the other places stay the text's.
    text_first = ReciprocalRanker(graph_places=0).fit(corpus).rank(kampot, k=3)
    assert [m.id for m in ranker.rank(kampot, k=3)] == [m.id for m in text_first[:2]] + [3]
    chinese_excluded = ranker.rank(kampot, k=3, where=CandidateFilter(countries=frozenset({"VN"})))
    assert [m.id for m in chinese_excluded] == []
    # Without declared partners nothing is reserved: the text order stands.
    alone = ReciprocalRanker(graph_places=0).fit(corpus).rank(KAMPOT, k=2)
    assert [m.id for m in ranker.rank(KAMPOT, k=2)] == [m.id for m in alone]


@pytest.mark.parametrize(
    ("rows", "reserved", "k", "expected"),
    [
        ([1, 2, 3], [2], 3, [1, 2, 3]),  # already there: unchanged
        ([1, 2, 3], [9], 3, [1, 2, 9]),  # takes the last place
        ([1, 2, 3], [8, 9], 3, [1, 8, 9]),
        ([1, 2], [9], 3, [1, 2, 9]),  # room to spare
        ([1, 2, 3], [7, 8, 9], 2, [7, 8]),  # k smaller than the reserved
        ([], [], 3, []),
    ],
)
def test_with_reserved(rows: list[int], reserved: list[int], k: int, expected: list[int]) -> None:
    assert with_reserved(rows, reserved, k) == expected
