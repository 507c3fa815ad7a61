"""Partners of partners in the ranking: declared partnerships and recorded outcomes."""

from __future__ import annotations

from dataclasses import replace

from matching import Profile, ReciprocalRanker

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
