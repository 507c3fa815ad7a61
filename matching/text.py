"""Turn profile text into TF-IDF terms, respecting scripts written without spaces.

scikit-learn's default word tokenizer keeps a Chinese phrase as one token and cuts
Khmer and Thai at every vowel sign, so two phrases that share a word never meet.
Here each run of text is handled by its script:

* scripts with spaces between words (Latin, Vietnamese, Cyrillic, Hangul...): words,
  case-folded, English stop words dropped, a trailing plural ``s`` removed, plus word
  bigrams within a phrase. Words that every TVET profile uses ("training", "exchange",
  "vocational"...) are kept only inside bigrams: "teacher training" and "student
  exchange" still meet, but "language exchange" no longer meets "competition exchange";
* scripts without spaces (Han, Kana, Khmer, Thai, Lao, Myanmar): character n-grams,
  counted in grapheme clusters so that a Khmer consonant keeps its subscript and vowel
  signs (an n-gram never starts on a dangling mark).

Text is folded before analysis: NFKC (full-width ``ＣＮＣ`` meets ``CNC``), case-folded,
zero-width joiners dropped, and the two Khmer spellings of a subscript ta/da (``្ត`` and
``្ដ``, both in common use for the same words) unified.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from matching.stop_words import ENGLISH_STOP_WORDS

__all__ = [
    "STOP_WORDS",
    "analyze",
    "analyze_phrases",
    "clusters",
    "fold",
    "is_spaceless",
    "match_tokens",
    "normalize",
]

# Characters of scripts written without spaces between words.
_SPACELESS = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer, Khmer symbols
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0002ffff"  # Han extensions
)
_TOKEN = re.compile(rf"(?P<spaceless>[{_SPACELESS}]+)|(?P<word>[^\W_{_SPACELESS}]+)")
# Punctuation between two words ends a phrase: no bigram is made across it. Hyphens,
# slashes and ampersands join ("teacher-training", "R&D") rather than separate.
_PHRASE_BREAK = re.compile(r"[,;:.!?()\[\]{}|\n\r\t•·、，；：。！？（）「」]")
# Marks that glue the next letter to the current cluster (Khmer coeng, Myanmar virama).
_JOINERS = frozenset("\u17d2\u1039")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"etc", "e", "g", "ie"}
# Said by nearly every profile, so they tell partners apart only next to another word.
_GENERIC_WORDS = frozenset(
    [
        "training",
        "education",
        "educational",
        "vocational",
        "technical",
        "exchange",
        "development",
        "programme",
        "program",
        "course",
        "cooperation",
        "collaboration",
        "partnership",
        "partner",
        "institution",
        "institute",
        "college",
        "school",
        "university",
        "service",
        "support",
        "project",
        "skill",
        "tvet",
    ]
)
_SPACELESS_NGRAMS = (2, 3)


_FOLDS = str.maketrans({"\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None})
_KHMER_COENG_DA = "\u17d2\u178a"
_KHMER_COENG_TA = "\u17d2\u178f"
_SPACELESS_CHAR = re.compile(f"[{_SPACELESS}]")


def fold(text: str) -> str:
    """Return ``text`` in the form it is compared in: NFKC, case-folded, spellings unified."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLDS)
    return folded.replace(_KHMER_COENG_DA, _KHMER_COENG_TA)


def is_spaceless(token: str) -> bool:
    """Whether ``token`` is a run of a script written without spaces (Han, Khmer, Thai...)."""
    return bool(_SPACELESS_CHAR.match(token))


def match_tokens(text: str) -> list[str]:
    """Return the folded words and spaceless runs of ``text``, stop words kept, in order."""
    tokens = []
    for match in _TOKEN.finditer(fold(text)):
        spaceless = match.group("spaceless")
        tokens.append(spaceless if spaceless is not None else _fold_word(match.group("word")))
    return tokens


def normalize(text: str) -> str:
    """Return ``text`` in Unicode NFC with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", text).strip()


def clusters(run: str) -> list[str]:
    """Split a run of text into grapheme clusters (a base letter with its marks)."""
    out: list[str] = []
    for char in run:
        attaches = unicodedata.category(char) in ("Mn", "Mc", "Me")
        if out and (attaches or out[-1][-1] in _JOINERS):
            out[-1] += char
        else:
            out.append(char)
    return out


def _fold_word(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _spaceless_terms(run: str) -> Iterator[str]:
    units = clusters(run)
    if len(units) < _SPACELESS_NGRAMS[0]:
        yield run
        return
    for n in _SPACELESS_NGRAMS:
        for start in range(len(units) - n + 1):
            yield "".join(units[start : start + n])


def analyze(text: str) -> list[str]:
    """Return the TF-IDF terms of ``text``: words, word bigrams and script n-grams."""
    folded = fold(text)
    terms: list[str] = []
    previous_word: str | None = None
    previous_end = 0
    for match in _TOKEN.finditer(folded):
        if _PHRASE_BREAK.search(folded, previous_end, match.start()):
            previous_word = None
        previous_end = match.end()
        spaceless = match.group("spaceless")
        if spaceless is not None:
            terms.extend(_spaceless_terms(spaceless))
            previous_word = None
            continue
        word = _fold_word(match.group("word"))
        if word in STOP_WORDS:
            previous_word = None
            continue
        # Single letters ("s" of "Ltd.'s") and bare numbers (years) mean something only
        # beside a word, as in "5 axis".
        if word not in _GENERIC_WORDS and len(word) > 1 and not word.isdigit():
            terms.append(word)
        if previous_word is not None:
            terms.append(f"{previous_word} {word}")
        previous_word = word
    return terms


def analyze_phrases(phrases: Iterable[str]) -> list[str]:
    """Return the terms of several phrases, with no bigram spanning two phrases."""
    terms: list[str] = []
    for phrase in phrases:
        terms.extend(analyze(phrase))
    return terms
