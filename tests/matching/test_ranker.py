from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from matching import CandidateFilter, Profile, ReciprocalRanker, analyze

# A Cambodian institute that needs CNC teacher training and equipment, and offers internships.
ASKER = Profile(
    id=1,
    name="Kampot Demo Institute",
    country="KH",
    kind="college",
    fields=("CNC machining", "mechatronics"),
    needs=("CNC teacher training", "5-axis CNC machining equipment"),
    offers=("student internships in the special economic zone", "Khmer language courses"),
    programs=("teacher training", "student exchange"),
)
# Its true complement: offers what it needs and needs what it offers.
COMPLEMENT = Profile(
    id=2,
    name="Wuxi Demo CNC Training Centre",
    country="CN",
    kind="college",
    fields=("CNC machining", "smart manufacturing"),
    needs=("overseas student internships", "Khmer language training for staff"),
    offers=("CNC teacher training programme", "5-axis CNC machining equipment donation"),
    programs=("teacher training",),
)
# A look-alike competitor: same fields, same needs, same offers, other country.
LOOK_ALIKE = dataclasses.replace(ASKER, id=3, name="Chonburi Demo Institute", country="TH")
# Offers exactly what the asker needs but needs nothing the asker offers.
ONE_SIDED = Profile(
    id=4,
    name="Shenzhen Demo Equipment Vendor",
    country="CN",
    kind="company",
    fields=("CNC machining",),
    needs=("distributors for industrial robots", "sales agents"),
    offers=("CNC teacher training", "5-axis CNC machining equipment"),
)
HOTEL_SCHOOL = Profile(
    id=5,
    name="Hue Demo Hotel School",
    country="VN",
    kind="college",
    fields=("tourism and hospitality",),
    needs=("chef exchange",),
    offers=("hotel internships with free accommodation",),
    programs=("student exchange",),
)
CORPUS = (ASKER, COMPLEMENT, LOOK_ALIKE, ONE_SIDED, HOTEL_SCHOOL)


def pid(profile: Profile) -> int:
    assert profile.id is not None
    return profile.id


@pytest.fixture
def ranker() -> ReciprocalRanker:
    return ReciprocalRanker().fit(CORPUS)


def _ids(ranker: ReciprocalRanker, query: Profile, **where: object) -> list[int]:
    return [m.id for m in ranker.rank(query, where=CandidateFilter(**where))]  # type: ignore[arg-type]


def _whole_profile_order(query: Profile, candidates: tuple[Profile, ...]) -> list[int]:
    """Plain whole-profile TF-IDF cosine: the baseline reciprocal scoring must beat."""

    def text(p: Profile) -> str:
        return " ".join((*p.fields, *p.needs, *p.offers, *p.programs, p.description))

    vectorizer = TfidfVectorizer(analyzer=analyze).fit([text(p) for p in CORPUS])
    matrix = vectorizer.transform([text(p) for p in candidates])
    scores = (matrix @ vectorizer.transform([text(query)]).T).toarray().ravel()
    return [pid(candidates[i]) for i in np.argsort(-scores, kind="stable")]


def test_complement_outranks_look_alike_where_whole_profile_cosine_does_not(
    ranker: ReciprocalRanker,
) -> None:
    ranked = _ids(ranker, ASKER)
    assert ranked.index(pid(COMPLEMENT)) < ranked.index(pid(LOOK_ALIKE))
    # The same question answered by whole-profile similarity gets it backwards.
    baseline = _whole_profile_order(ASKER, (COMPLEMENT, LOOK_ALIKE))
    assert baseline[0] == pid(LOOK_ALIKE)


def test_mutual_partner_outranks_one_sided_offer(ranker: ReciprocalRanker) -> None:
    ranked = ranker.rank(ASKER)
    by_id = {m.id: m for m in ranked}
    assert ranked[0].id == pid(COMPLEMENT)
    one_sided = by_id[pid(ONE_SIDED)].components
    # It meets the asker's needs better than the complement does, yet ranks lower.
    assert one_sided.they_meet_my_needs > by_id[pid(COMPLEMENT)].components.they_meet_my_needs
    assert one_sided.i_meet_their_needs == 0.0
    assert one_sided.reciprocal == 0.0


def test_cnc_college_ranks_cnc_centre_above_hotel_school(ranker: ReciprocalRanker) -> None:
    ranked = _ids(ranker, ASKER)
    assert pid(HOTEL_SCHOOL) not in ranked or ranked.index(pid(COMPLEMENT)) < ranked.index(
        pid(HOTEL_SCHOOL)
    )


def test_reciprocal_is_the_harmonic_mean_of_both_directions(ranker: ReciprocalRanker) -> None:
    (best, *_) = ranker.rank(ASKER)
    parts = best.components
    a, b = parts.they_meet_my_needs, parts.i_meet_their_needs
    assert parts.reciprocal == pytest.approx(2 * a * b / (a + b), rel=1e-5)
    assert best.score == pytest.approx(0.75 * parts.reciprocal + 0.25 * parts.overlap, rel=1e-5)


def test_reasons_quote_the_phrases_that_met(ranker: ReciprocalRanker) -> None:
    (best, *_) = ranker.rank(ASKER)
    text = " ".join(best.reasons)
    assert "“CNC teacher training programme”" in text
    assert "your need “CNC teacher training”" in text
    assert "“overseas student internships”" in text
    for reason in best.reasons:
        assert reason.strip(), best.reasons


def test_a_part_that_scored_zero_gives_no_reason(ranker: ReciprocalRanker) -> None:
    match = next(m for m in ranker.rank(ASKER) if m.id == pid(ONE_SIDED))
    assert match.components.i_meet_their_needs == 0.0
    assert not any(reason.startswith("They need") for reason in match.reasons)


def test_never_suggests_itself_or_declared_partners() -> None:
    declared = dataclasses.replace(ASKER, existing_partners=frozenset({pid(COMPLEMENT)}))
    ranker = ReciprocalRanker().fit((declared, *CORPUS[1:]))
    ranked = _ids(ranker, declared)
    assert pid(ASKER) not in ranked
    assert pid(COMPLEMENT) not in ranked
    # Declared on one side only: still never suggested from the other side.
    assert pid(ASKER) not in _ids(ranker, COMPLEMENT)


def test_cross_border_is_the_default(ranker: ReciprocalRanker) -> None:
    same_country = dataclasses.replace(COMPLEMENT, id=9, name="Phnom Penh Demo", country="KH")
    ranker.upsert([same_country])
    assert 9 not in _ids(ranker, ASKER)
    assert 9 in _ids(ranker, ASKER, cross_border=False)


def test_country_kind_and_min_score_filters(ranker: ReciprocalRanker) -> None:
    assert set(_ids(ranker, ASKER, countries=frozenset({"TH"}))) == {pid(LOOK_ALIKE)}
    assert set(_ids(ranker, ASKER, kinds=frozenset({"company"}))) == {pid(ONE_SIDED)}
    scores = {m.id: m.score for m in ranker.rank(ASKER)}
    floor = scores[pid(COMPLEMENT)]
    assert _ids(ranker, ASKER, min_score=floor) == [pid(COMPLEMENT)]


def test_ties_are_broken_by_ascending_id() -> None:
    twins = [dataclasses.replace(COMPLEMENT, id=i, name=f"Twin {i}") for i in (30, 10, 20)]
    ranker = ReciprocalRanker().fit([ASKER, *twins])
    assert _ids(ranker, ASKER) == [10, 20, 30]
    assert [m.id for m in ranker.rank(ASKER, k=2)] == [10, 20]


def test_k_larger_than_corpus_returns_every_scoring_candidate(ranker: ReciprocalRanker) -> None:
    assert len(ranker.rank(ASKER, k=1000)) <= len(CORPUS) - 1


def test_k_must_be_positive(ranker: ReciprocalRanker) -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        ranker.rank(ASKER, k=0)


def test_unfitted_ranker_refuses_to_rank() -> None:
    with pytest.raises(NotFittedError):
        ReciprocalRanker().rank(ASKER)


@pytest.mark.parametrize("corpus", [(), (Profile(id=1, country="KH"),)])
def test_empty_text_ranks_nothing(corpus: tuple[Profile, ...]) -> None:
    assert ReciprocalRanker().fit(corpus).rank(ASKER) == []


def test_first_upsert_into_an_empty_index_fits_a_vocabulary() -> None:
    ranker = ReciprocalRanker().fit([])
    ranker.upsert([COMPLEMENT])
    assert _ids(ranker, ASKER) == [pid(COMPLEMENT)]


def test_refit_replaces_previous_state(ranker: ReciprocalRanker) -> None:
    ranker.fit([ASKER, HOTEL_SCHOOL])
    assert len(ranker) == 2
    assert pid(COMPLEMENT) not in _ids(ranker, ASKER)


def test_upsert_replaces_and_remove_hides(ranker: ReciprocalRanker) -> None:
    changed = dataclasses.replace(
        COMPLEMENT, fields=("tourism",), programs=(), offers=("hotel management",), needs=()
    )
    ranker.upsert([changed])
    assert ranker.profiles[pid(COMPLEMENT)] == changed
    assert pid(COMPLEMENT) not in _ids(ranker, ASKER)
    ranker.upsert([COMPLEMENT])
    assert _ids(ranker, ASKER)[0] == pid(COMPLEMENT)
    ranker.remove([pid(COMPLEMENT), 999])
    assert pid(COMPLEMENT) not in _ids(ranker, ASKER)
    assert pid(COMPLEMENT) not in ranker.profiles


def test_upsert_counts_terms_the_vocabulary_has_not_seen(ranker: ReciprocalRanker) -> None:
    ranker.upsert([dataclasses.replace(HOTEL_SCHOOL, id=50, name="X", needs=("zymurgy",))])
    assert ranker.changes_since_fit_ == 1
    assert ranker.unseen_terms_since_fit_ == 1


def test_profile_without_offers_still_ranks_by_what_it_needs(ranker: ReciprocalRanker) -> None:
    needy = dataclasses.replace(ASKER, id=None, offers=())
    ranked = ranker.rank(needy)
    assert ranked[0].id in {pid(COMPLEMENT), pid(ONE_SIDED)}
    best = ranked[0].components
    assert best.reciprocal == pytest.approx(0.5 * best.they_meet_my_needs)


def test_profile_with_only_fields_and_programs_gets_suggestions(ranker: ReciprocalRanker) -> None:
    ticked = Profile(
        id=None, country="KH", fields=("CNC machining",), programs=("teacher training",)
    )
    ranked = _ids(ranker, ticked)
    # The CNC colleges share both ticked boxes; the vendor ticked no program, so it is
    # scored on the field it shares (unknown is not zero); the hotel school shares neither.
    assert set(ranked) == {pid(COMPLEMENT), pid(LOOK_ALIKE), pid(ONE_SIDED)}


def test_chinese_only_complements_find_each_other_first() -> None:
    a = Profile(
        id=1,
        country="CN",
        fields=("数控技术", "工业机器人"),
        needs=("柬埔寨实习基地", "高棉语培训"),
        offers=("数控教师培训", "五轴数控设备"),
    )
    b = Profile(
        id=2,
        country="KH",
        fields=("数控技术",),
        needs=("数控教师培训", "数控设备"),
        offers=("柬埔寨实习基地", "高棉语课程"),
    )
    unrelated = [
        Profile(
            id=3, country="TH", fields=("酒店管理",), needs=("厨师交流",), offers=("旅游实习",)
        ),
        Profile(
            id=4,
            country="VN",
            fields=("智慧农业",),
            needs=("无人机植保",),
            offers=("水稻种植基地",),
        ),
        Profile(id=5, country="MY", fields=("物流",), needs=("供应链软件",), offers=("港口实习",)),
    ]
    ranker = ReciprocalRanker().fit([a, b, *unrelated])
    assert _ids(ranker, a)[0] == pid(b)
    assert _ids(ranker, b)[0] == pid(a)
    (best,) = ranker.rank(a, k=1)
    assert any("“数控教师培训”" in reason for reason in best.reasons)


def test_khmer_profiles_meet_on_khmer_words() -> None:
    needs_teachers = Profile(
        id=1, country="KH", needs=("បណ្តុះបណ្តាលគ្រូមេកាត្រូនិច",), offers=("កន្លែងហាត់ការ",)
    )
    trains_teachers = Profile(
        id=2, country="TH", needs=("កន្លែងហាត់ការសម្រាប់និស្សិត",), offers=("បណ្តុះបណ្តាលគ្រូ",)
    )
    unrelated = Profile(id=3, country="VN", needs=("ម៉ាស៊ីនត្រជាក់",), offers=("ទេសចរណ៍",))
    ranker = ReciprocalRanker().fit([needs_teachers, trains_teachers, unrelated])
    assert _ids(ranker, needs_teachers) == [pid(trains_teachers)]


def test_thai_profiles_meet_on_thai_words() -> None:
    needs = Profile(id=1, country="TH", needs=("การฝึกอบรมครูช่าง",), offers=("ฝึกงานพร้อมที่พัก",))
    offers = Profile(id=2, country="CN", needs=("ฝึกงาน",), offers=("การฝึกอบรมครู",))
    unrelated = Profile(id=3, country="VN", needs=("การท่องเที่ยว",), offers=("โรงแรม",))
    ranker = ReciprocalRanker().fit([needs, offers, unrelated])
    assert _ids(ranker, needs) == [pid(offers)]


@pytest.mark.parametrize(
    "params",
    [
        {"reciprocal_weight": -1.0},
        {"one_sided_factor": -0.1},
        {"graph_weight": 1.5},
        {"graph_places": -1},
        {
            "reciprocal_weight": 0.0,
            "fields_weight": 0.0,
            "programs_weight": 0.0,
            "description_weight": 0.0,
            "city_weight": 0.0,
        },
        {"concept_weight": 0.0},
    ],
)
def test_bad_parameters_are_refused_at_fit(params: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must"):
        ReciprocalRanker(**params).fit(CORPUS)


def test_stored_profiles_need_ids() -> None:
    with pytest.raises(ValueError, match="needs an id"):
        ReciprocalRanker().fit([Profile(id=None)])


def test_profile_with_only_a_description_is_ranked_by_it() -> None:
    storyteller = Profile(
        id=70,
        country="KH",
        description="Our institute trains welders and pipe fitters for the shipyards of Kampot.",
    )
    welding = Profile(
        id=71,
        country="CN",
        description="A college known for welding and pipe fitting, with a shipyard partner.",
    )
    ranker = ReciprocalRanker().fit([storyteller, welding, HOTEL_SCHOOL, COMPLEMENT])
    (first, *_) = ranker.rank(storyteller)
    assert first.id == 71
    assert first.score > 0
    assert first.components.description > 0
