from __future__ import annotations

import pytest

from matching import Concept, Profile, ReciprocalRanker, Taxonomy
from seed import load_taxonomy

SMALL = Taxonomy(
    [
        Concept(
            "nev", "field", {"en": "New energy vehicles", "zh": "新能源汽车"}, {"en": ("NEV",)}
        ),
        Concept("renewable", "field", {"en": "Renewable energy"}, {"en": ("new energy",)}),
        Concept("it", "field", {"en": "Information technology"}, {"en": ("IT",)}),
        Concept(
            "teacher_training",
            "program",
            {"en": "Teacher training", "km": "បណ្តុះបណ្តាលគ្រូ"},
        ),
    ]
)
SHIPPED = Taxonomy.from_dict(load_taxonomy())


def ids(text: str, taxonomy: Taxonomy = SMALL) -> list[str]:
    return [concept.id for concept in taxonomy.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("new energy vehicles maintenance", ["nev"]),  # longest match wins over "new energy"
        ("new energy for villages", ["renewable"]),
        ("新能源汽车维修", ["nev"]),  # a term inside a longer run of Han characters
        ("NEV and new energy vehicle", ["nev"]),  # each concept once
        ("never", []),  # whole words only
        ("it is important", []),  # a stop word is not an abbreviation
        ("ការបណ្ដុះបណ្ដាលគ្រូ", ["teacher_training"]),  # the other subscript spelling
    ],
)
def test_find_maps_text_to_concepts(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_labels_fall_back_to_english() -> None:
    (nev,) = SMALL.find("NEV")
    assert nev.label(["zh"]) == "新能源汽车"
    assert nev.label(["km"]) == "New energy vehicles"
    assert nev.term == "~field:nev"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("新能源汽车", "new_energy_vehicles"),
        ("NEV", "new_energy_vehicles"),
        ("new energy vehicles", "new_energy_vehicles"),
        ("ยานยนต์ไฟฟ้า", "new_energy_vehicles"),
        ("数控教师培训", "cnc"),
        ("CNC machining", "cnc"),
        ("教师培训", "teacher_training"),
        ("បណ្តុះបណ្តាលគ្រូ", "teacher_training"),
        ("Internet of Things", "industrial_iot"),
        ("物联网", "industrial_iot"),
    ],
)
def test_shipped_taxonomy_covers_the_workshop_vocabulary(text: str, concept: str) -> None:
    assert concept in ids(text, SHIPPED)


CHINESE_ONLY = Profile(
    id=1,
    country="CN",
    fields=("新能源汽车", "工业机器人"),
    needs=("柬埔寨实习基地",),
    offers=("新能源汽车教师培训", "工业机器人实训设备"),
)
ENGLISH_ONLY = Profile(
    id=2,
    country="KH",
    fields=("electric vehicles",),
    needs=("NEV teacher training", "industrial robot training equipment"),
    offers=("internships for Chinese students",),
)
UNRELATED = (
    Profile(id=3, country="TH", fields=("hotel management",), needs=("chef exchange",)),
    Profile(id=4, country="VN", fields=("smart agriculture",), offers=("rice farming base",)),
    Profile(id=5, country="MY", fields=("logistics",), needs=("port internships",)),
)


def test_chinese_only_and_english_only_complements_meet_through_the_taxonomy() -> None:
    corpus = (CHINESE_ONLY, ENGLISH_ONLY, *UNRELATED)
    plain = ReciprocalRanker().fit(corpus)
    assert ENGLISH_ONLY.id not in [m.id for m in plain.rank(CHINESE_ONLY)]
    ranker = ReciprocalRanker(taxonomy=SHIPPED).fit(corpus)
    assert ranker.rank(CHINESE_ONLY)[0].id == ENGLISH_ONLY.id
    best = ranker.rank(ENGLISH_ONLY)[0]
    assert best.id == CHINESE_ONLY.id
    # Reasons quote each side in its own script.
    assert any("“新能源汽车教师培训”" in r and "“NEV teacher training”" in r for r in best.reasons)


def test_khmer_and_thai_profiles_meet_english_ones() -> None:
    khmer = Profile(id=1, country="KH", needs=("បណ្តុះបណ្តាលគ្រូ",), offers=("ទេសចរណ៍",))
    thai = Profile(id=2, country="TH", needs=("การฝึกอบรมครู",), offers=("ยานยนต์ไฟฟ้า",))
    english = Profile(
        id=9,
        country="CN",
        needs=("electric vehicles", "tourism internships"),
        offers=("teacher training",),
    )
    ranker = ReciprocalRanker(taxonomy=SHIPPED).fit([khmer, thai, english, *UNRELATED])
    assert ranker.rank(khmer)[0].id == english.id
    assert ranker.rank(thai)[0].id == english.id
