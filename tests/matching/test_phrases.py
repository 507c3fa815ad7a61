"""Phrase vectors: a candidate's name and description read from the index are the very
vectors its text would give, and a description split by line breaks is analysed."""

from __future__ import annotations

import numpy as np

from matching import Profile, ReciprocalRanker, Taxonomy
from matching.documents import phrase_terms, text_of
from matching.phrases import PhraseVectors
from matching.vectors import vectorize
from seed import load_taxonomy


def _profiles() -> list[Profile]:
    return [
        Profile(
            id=1,
            name="Kampot Polytechnic",
            country="KH",
            needs=("CNC teacher training", "welding robots"),
            offers=("student internships",),
            fields=("mechatronics",),
            description="A public college teaching CNC machining and welding to 900 students.",
        ),
        Profile(
            id=2,
            name="Tianjin Sino-German CNC Centre",
            country="CN",
            offers=("CNC teacher training", "数控教师培训"),
            programs=("staff exchange",),
            description="Trains CNC teachers for Luban Workshops; 数控 and welding labs.",
        ),
        Profile(
            id=3,
            name="Vientiane Hotel School",
            country="LA",
            needs=("chef exchange",),
            description="Challenges: kitchen equipment\nStrategies: partner hotels in China",
        ),
        Profile(id=4, name="Takeo Technical School", country="KH", fields=("electrical",)),
    ]


def _dense(vectors: PhraseVectors, profile: Profile, width: int, **corpus: object) -> np.ndarray:
    (block,) = vectors.blocks({text_of(profile): profile}, **corpus)  # type: ignore[arg-type]
    rows = np.zeros((len(block.lengths), width), dtype=np.float32)
    owner = np.repeat(np.arange(len(block.lengths)), block.lengths)
    rows[owner, block.indices] = block.data
    return rows


def _analysed_and_read(profiles: list[Profile], profile: Profile) -> tuple[np.ndarray, np.ndarray]:
    """A profile's phrase rows analysed, and with the about row read from the index."""
    ranker = ReciprocalRanker(taxonomy=Taxonomy.from_dict(load_taxonomy())).fit(profiles)
    width = len(ranker.terms_)
    analysed = _dense(PhraseVectors(ranker.weights_, ranker.taxonomy), profile, width)
    read = _dense(
        PhraseVectors(ranker.weights_, ranker.taxonomy), profile, width, corpus=ranker.corpus_
    )
    return analysed, read


def test_the_about_row_read_from_the_index_is_the_analysed_one() -> None:
    profiles = _profiles()
    for profile in profiles:
        analysed, read = _analysed_and_read(profiles, profile)
        assert analysed[-1].any()  # the about row holds terms: the comparison says something
        assert np.array_equal(analysed, read), profile.name


def test_a_profile_the_index_does_not_hold_as_given_is_analysed() -> None:
    changed = Profile(id=1, name="Kampot Polytechnic", country="KH", description="Solar panels.")
    analysed, read = _analysed_and_read(_profiles(), changed)
    assert np.array_equal(analysed, read)


def _rows_of(vectors: PhraseVectors, profiles: list[Profile], width: int) -> list[np.ndarray]:
    """Each profile's phrase rows, all asked for in one call."""
    blocks = vectors.blocks({text_of(profile): profile for profile in profiles})
    dense = []
    for block in blocks:
        rows = np.zeros((len(block.lengths), width), dtype=np.float32)
        rows[np.repeat(np.arange(len(block.lengths)), block.lengths), block.indices] = block.data
        dense.append(rows)
    return dense


def test_a_phrase_shared_by_profiles_gives_each_the_row_it_gives_alone() -> None:
    profiles = _profiles()
    sharing = Profile(
        id=5,
        name="Battambang Institute",
        country="KH",
        needs=("student internships", "CNC teacher training"),  # said by 1 and by 2
        fields=("electrical", "mechatronics"),  # fields of 4 and of 1
    )
    ranker = ReciprocalRanker(taxonomy=Taxonomy.from_dict(load_taxonomy())).fit(profiles)
    width = len(ranker.terms_)
    assert ranker.weights_ is not None

    def alone(profile: Profile) -> np.ndarray:
        return _dense(PhraseVectors(ranker.weights_, ranker.taxonomy), profile, width)

    # One store sees the others first, then the sharer; another holds room for only a
    # profile's worth of phrases, so it forgets what it saw between the two calls.
    for capacity in (1 << 14, 1):
        vectors = PhraseVectors(ranker.weights_, ranker.taxonomy, capacity=capacity)
        first = _rows_of(vectors, profiles, width)
        (shared,) = _rows_of(vectors, [sharing], width)
        for profile, rows in zip(profiles, first, strict=True):
            assert np.array_equal(rows, alone(profile)), profile.name
        assert np.array_equal(shared, alone(sharing))
        # Each need and field of the sharer has the row of its phrase vectorised alone.
        for row, phrase in zip(shared, [*sharing.needs, *sharing.fields], strict=False):
            terms = phrase_terms([phrase], ranker.taxonomy)
            assert row.any()
            alone_row = vectorize(ranker.weights_, [terms]).toarray()[0]
            assert np.array_equal(row, alone_row), phrase
