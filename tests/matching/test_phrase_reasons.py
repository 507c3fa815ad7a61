"""Phrase reasons kept per pair: a pair's reasons are the same drawn alone, in a batch or
again, an edited profile is compared afresh, and the store stays within its size."""

from __future__ import annotations

import dataclasses
import gc

from matching import Profile, Reason, ReciprocalRanker, Taxonomy
from matching.phrase_reasons import PhraseKind, PhraseReasons
from matching.phrases import PhraseVectors
from seed import load_taxonomy

EVERY_KIND: tuple[PhraseKind, ...] = ("offer", "need", "fields", "programs", "description")

KAMPOT = Profile(
    id=1,
    name="Kampot Polytechnic",
    country="KH",
    needs=("CNC teacher training", "welding robots"),
    offers=("student internships",),
    fields=("mechatronics", "welding"),
    programs=("staff exchange",),
    description="A public college teaching CNC machining and welding to 900 students.",
)
TIANJIN = Profile(
    id=2,
    name="Tianjin Sino-German CNC Centre",
    country="CN",
    needs=("student internships abroad",),
    offers=("CNC teacher training", "welding robots for schools"),
    fields=("mechatronics",),
    programs=("staff exchange",),
    description="Trains CNC teachers for Luban Workshops; machining and welding labs.",
)
HANOI = Profile(
    id=3,
    name="Hanoi College of Technology",
    country="VN",
    needs=("internships",),
    offers=("welding robots training",),
    fields=("welding",),
    description="Welding and machining college with a robot lab.",
)
VIENTIANE = Profile(
    id=4,
    name="Vientiane Hotel School",
    country="LA",
    needs=("chef exchange",),
    description="Kitchen equipment and partner hotels.",
)


# Two more, so that a term two descriptions share is not one most institutions use.
OTHERS = [
    Profile(id=5, name="Takeo Technical School", country="KH", fields=("electrical",)),
    Profile(id=6, name="Bangkok Nursing College", country="TH", description="Nurses."),
]


def _ranker() -> ReciprocalRanker:
    taxonomy = Taxonomy.from_dict(load_taxonomy())
    return ReciprocalRanker(taxonomy=taxonomy).fit([KAMPOT, TIANJIN, HANOI, VIENTIANE, *OTHERS])


def _store(ranker: ReciprocalRanker, capacity: int = 100) -> PhraseReasons:
    return PhraseReasons(PhraseVectors(ranker.weights_, ranker.taxonomy), capacity=capacity)


def test_a_pair_quotes_the_phrases_that_meet() -> None:
    (reasons,) = _store(_ranker()).drawn([(KAMPOT, TIANJIN)], [EVERY_KIND])
    by_kind: dict[str, list[tuple[str, ...]]] = {}
    for reason in reasons:
        by_kind.setdefault(reason.kind, []).append(reason.items)
    # Their offer meets your need, quoted as (their offer, your need), each phrase once.
    assert sorted(by_kind["offer"]) == [
        ("CNC teacher training", "CNC teacher training"),
        ("welding robots for schools", "welding robots"),
    ]
    assert by_kind["need"] == [("student internships abroad", "student internships")]
    assert by_kind["fields"] == [("mechatronics",)]
    assert by_kind["programs"] == [("staff exchange",)]
    assert "cnc" in by_kind["description"][0]
    assert [reason.kind for reason in reasons] == [
        "offer",
        "offer",
        "need",
        "fields",
        "programs",
        "description",
    ]


def test_only_the_kinds_asked_are_drawn() -> None:
    store = _store(_ranker())
    (reasons,) = store.drawn([(KAMPOT, TIANJIN)], [("need", "programs")])
    assert [reason.kind for reason in reasons] == ["need", "programs"]
    (none,) = store.drawn([(KAMPOT, TIANJIN)], [()])
    assert none == ()


def test_a_pair_has_the_same_reasons_alone_in_a_batch_and_kept() -> None:
    ranker = _ranker()
    pairs = [(KAMPOT, TIANJIN), (KAMPOT, HANOI), (HANOI, TIANJIN), (VIENTIANE, KAMPOT)]
    kinds = [EVERY_KIND] * len(pairs)
    alone = [_store(ranker).drawn([pair], [EVERY_KIND])[0] for pair in pairs]
    store = _store(ranker)
    batch = store.drawn(pairs, kinds)
    assert batch == alone
    assert any(batch)  # the pairs do have reasons: the comparison says something
    assert len(store) == len(pairs)
    # Asked again among new pairs, a kept pair's reasons are those kept: only the new
    # pair is added.
    again = store.drawn([(TIANJIN, KAMPOT), *pairs[:2]], [EVERY_KIND] * 3)
    assert again[1:] == batch[:2]
    assert len(store) == len(pairs) + 1


def test_an_edited_profile_is_compared_afresh() -> None:
    store = _store(_ranker())
    (before,) = store.drawn([(KAMPOT, TIANJIN)], [("offer",)])
    edited = dataclasses.replace(TIANJIN, offers=("welding robots for schools",))
    (after,) = store.drawn([(KAMPOT, edited)], [("offer",)])
    assert ("CNC teacher training", "CNC teacher training") in [r.items for r in before]
    assert [reason.items for reason in after] == [("welding robots for schools", "welding robots")]


def test_a_full_store_is_emptied_before_it_grows_past_its_size() -> None:
    store = _store(_ranker(), capacity=3)
    pairs = [(KAMPOT, TIANJIN), (KAMPOT, HANOI), (HANOI, TIANJIN)]
    store.drawn(pairs, [EVERY_KIND] * 3)
    assert len(store) == 3
    store.drawn([(VIENTIANE, KAMPOT)], [EVERY_KIND])
    assert len(store) == 1


def test_kept_reasons_are_not_tracked_by_the_garbage_collector() -> None:
    # Thousands of pairs kept as tracked objects would make every full collection walk
    # them all (60 ms at 30,000 pairs: a pause some request waits out).
    store = _store(_ranker())
    pairs = [(KAMPOT, TIANJIN), (KAMPOT, HANOI), (HANOI, TIANJIN), (VIENTIANE, KAMPOT)]
    drawn = store.drawn(pairs, [EVERY_KIND] * len(pairs))
    assert all(isinstance(reason, Reason) for reasons in drawn for reason in reasons)
    for _ in range(3):  # a collection untracks a tuple whose items are untracked by then
        gc.collect()
    kept = list(store._kept.items())
    assert kept
    assert not any(gc.is_tracked(value) for _, value in kept)
    assert not any(gc.is_tracked(key) for key, _ in kept)
