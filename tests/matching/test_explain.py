"""Reasons: quoted from the phrases that met, in the asker's language where we can."""

from __future__ import annotations

import dataclasses

from matching import Profile, Reason, ReciprocalRanker
from matching.explain import say

CHINESE = Profile(
    id=1,
    country="CN",
    fields=("数控技术",),
    needs=("柬埔寨实习基地",),
    offers=("数控教师培训",),
    programs=("教师培训",),
)
PARTNER = Profile(
    id=2,
    country="KH",
    fields=("数控技术",),
    needs=("数控教师培训",),
    offers=("柬埔寨实习基地",),
    programs=("教师培训",),
)


def test_a_chinese_profile_reads_its_reasons_in_chinese() -> None:
    ranker = ReciprocalRanker().fit([CHINESE, PARTNER])
    (best,) = ranker.rank(CHINESE)
    assert best.reasons == (
        "对方提供“柬埔寨实习基地”，可满足您的需求“柬埔寨实习基地”。",
        "对方需要“数控教师培训”，您提供的“数控教师培训”正好满足。",
        "共同的技术领域：“数控技术”。",
        "双方都希望合作开展“教师培训”。",
    )


def test_reasons_are_kinds_and_quoted_items_said_in_any_language() -> None:
    ranker = ReciprocalRanker().fit([CHINESE, PARTNER])
    (best,) = ranker.rank(CHINESE)
    assert best.why == (
        Reason("offer", ("柬埔寨实习基地", "柬埔寨实习基地")),
        Reason("need", ("数控教师培训", "数控教师培训")),
        Reason("fields", ("数控技术",)),
        Reason("programs", ("教师培训",)),
    )
    assert best.reasons == tuple(say(reason, "zh") for reason in best.why)
    assert [say(reason, "en") for reason in best.why] == [
        "They offer “柬埔寨实习基地”, which meets your need “柬埔寨实习基地”.",
        "They need “数控教师培训”, which your offer “数控教师培训” meets.",
        "Shared technical fields: “数控技术”.",
        "Both want to collaborate on “教师培训”.",
    ]
    assert (
        say(Reason("partners", ("NPIC", "Yalong Group")), "zh")
        == "双方都与NPIC、Yalong Group合作。"
    )
    assert say(Reason("city", ("Phnom Penh",)), "en") == "Both are in Phnom Penh."


def test_declared_languages_choose_the_sentence_language() -> None:
    english_speaker = dataclasses.replace(CHINESE, languages=("km", "en", "zh"))
    ranker = ReciprocalRanker().fit([english_speaker, PARTNER])
    (best,) = ranker.rank(english_speaker)
    assert best.reasons[0] == "They offer “柬埔寨实习基地”, which meets your need “柬埔寨实习基地”."


def test_words_most_profiles_share_are_never_quoted() -> None:
    # A survey import writes its headings into every description.
    def surveyed(pid: int, name: str, text: str) -> Profile:
        return Profile(
            id=pid,
            name=name,
            country="KH" if pid % 2 else "CN",
            fields=("CNC machining",),
            description=f"{text} Challenges: funding. Strategies: workshops.",
        )

    profiles = [
        surveyed(1, "Kampot School", "Robotic welding cells."),
        surveyed(2, "Wuxi College", "Robotic welding training."),
        *(surveyed(pid, f"School {pid}", f"Course {pid}.") for pid in range(3, 9)),
    ]
    ranker = ReciprocalRanker().fit(profiles)
    (match,) = ranker.explain_pairs([(1, 2)])
    described = [r for r in match.reasons if r.startswith("Their description")]
    assert described
    assert "robotic" in described[0]
    assert not any(word in described[0] for word in ("challenge", "strategie", "funding"))
