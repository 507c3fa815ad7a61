from __future__ import annotations

import unicodedata

import pytest

from matching.text import STOP_WORDS, analyze, analyze_phrases, clusters, normalize


def test_english_words_are_folded_and_paired_within_a_phrase() -> None:
    terms = analyze("New Energy Vehicles")
    assert terms == ["new", "energy", "new energy", "vehicle", "energy vehicle"]


def test_punctuation_ends_a_phrase_but_a_hyphen_does_not() -> None:
    terms = analyze("CNC teacher-training, robotics")
    assert "teacher training" in terms
    assert "training robotic" not in terms


def test_phrases_never_share_a_bigram() -> None:
    assert "cnc welding" not in analyze_phrases(["CNC", "welding"])


def test_stop_words_are_dropped_and_break_bigrams() -> None:
    assert analyze("welding of the pipes") == ["welding", "pipe"]


def test_generic_tvet_words_count_only_inside_bigrams() -> None:
    assert analyze("teacher training") == ["teacher", "teacher training"]
    assert not set(analyze("language exchange")) & set(analyze("competition exchange"))


def test_chinese_is_cut_into_character_ngrams() -> None:
    terms = analyze("新能源汽车")
    assert {"新能", "能源", "汽车", "新能源"} <= set(terms)
    assert "新能源汽车" not in terms


def test_a_single_han_character_is_kept_whole() -> None:
    assert analyze("车") == ["车"]


def test_full_width_latin_meets_ascii() -> None:
    assert analyze("ＣＮＣ") == analyze("CNC") == ["cnc"]


def test_khmer_clusters_keep_subscripts_and_vowel_signs() -> None:
    # "បណ្តាល" = ប + ណ្តា + ល: the coeng (U+17D2) binds ត under ណ with its vowel sign.
    assert clusters("បណ្តាល") == ["ប", "ណ្តា", "ល"]
    for term in analyze("បណ្តុះបណ្តាលគ្រូ"):
        assert unicodedata.category(term[0]) not in ("Mn", "Mc"), term


def test_thai_terms_never_start_on_a_vowel_mark() -> None:
    for term in analyze("การฝึกอบรมครู"):
        assert unicodedata.category(term[0]) not in ("Mn", "Mc"), term


def test_shared_khmer_word_gives_shared_terms() -> None:
    teacher_training = set(analyze("បណ្តុះបណ្តាលគ្រូ"))
    training_teachers_in_cnc = set(analyze("បណ្តុះបណ្តាលគ្រូបច្ចេកទេស"))
    assert len(teacher_training & training_teachers_in_cnc) >= 5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  CNC  ", "CNC"),
        ("Vie\u0323\u0302t Nam", "Vi\u1ec7t Nam"),  # decomposed marks compose under NFC
        ("", ""),
    ],
)
def test_normalize_is_nfc_and_stripped(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_the_stop_words_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from matching.stop_words import ENGLISH_STOP_WORDS as COPIED

    assert COPIED == ENGLISH_STOP_WORDS
    assert COPIED <= STOP_WORDS
