"""Canonical TVET concepts (technical fields, program types) found in free text.

A :class:`Taxonomy` maps labels, synonyms and abbreviations in many languages onto
canonical concepts, so "新能源汽车", "NEV" and "new energy vehicles" all mention
``new_energy_vehicles``. The ranker adds one extra term per concept mentioned, beside the
ordinary terms (unmapped text still counts). The data itself lives outside this library
(``seed/taxonomy.json`` in the service); :meth:`Taxonomy.from_dict` reads that shape.

Matching rules: text and synonyms are folded alike (NFKC, case-folded, Khmer subscript
spellings unified, a plural ``s`` removed). A synonym written with spaces must match
whole words in order; a synonym in a script without spaces may appear inside a longer
run (``新能源汽车`` inside ``新能源汽车维修``). A one-word synonym that is also an English
stop word (``IT``) is ignored, because it would match ordinary prose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matching.text import STOP_WORDS, is_spaceless, match_tokens

__all__ = ["Concept", "Taxonomy"]

# Fields and programs are what profiles offer and need; sectors are the coarse labels
# directories tag everyone with; places are the cities the service's users are in, so
# "西哈努克港" and "Sihanoukville" are one city.
_SECTIONS = {"fields": "field", "programs": "program", "sectors": "sector", "places": "place"}


@dataclass(frozen=True, slots=True)
class Concept:
    """One canonical entry: a technical field or a program type."""

    id: str
    section: str
    labels: Mapping[str, str]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def term(self) -> str:
        """The extra TF-IDF term this concept adds (no analyzer output contains ``~``)."""
        return f"~{self.section}:{self.id}"

    def label(self, languages: Sequence[str] = ()) -> str:
        """Return the label in the first of ``languages`` it has, else English."""
        for language in (*languages, "en"):
            if language in self.labels:
                return self.labels[language]
        return self.id


class Taxonomy:
    """A set of concepts and the lookup tables that find them in text."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = tuple(concepts)
        self._words: dict[tuple[str, ...], set[int]] = {}
        self._runs: dict[str, set[int]] = {}
        for index, concept in enumerate(self.concepts):
            names = [*concept.labels.values(), *(s for ss in concept.synonyms.values() for s in ss)]
            for name in names:
                tokens = tuple(match_tokens(name))
                if not tokens or (len(tokens) == 1 and tokens[0] in STOP_WORDS):
                    continue
                if len(tokens) == 1 and is_spaceless(tokens[0]):
                    self._runs.setdefault(tokens[0], set()).add(index)
                else:
                    self._words.setdefault(tokens, set()).add(index)
        self._longest_words = max((len(key) for key in self._words), default=0)
        self._longest_run = max((len(key) for key in self._runs), default=0)
        self._places: dict[str, Concept | None] = {}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Taxonomy:
        """Build a taxonomy from ``{"fields": [...], "programs": [...], ...}`` entries."""
        concepts = []
        for key, section in _SECTIONS.items():
            for entry in data.get(key, ()):
                synonyms = {lang: tuple(words) for lang, words in entry.get("synonyms", {}).items()}
                concepts.append(
                    Concept(
                        id=entry["id"],
                        section=section,
                        labels=dict(entry["labels"]),
                        synonyms=synonyms,
                    )
                )
        return cls(concepts)

    def find(self, text: str) -> list[Concept]:
        """Return the concepts ``text`` mentions, each once, in order of first mention.

        Matching is leftmost-longest, so "new energy vehicles" is the vehicle field, not
        also "new energy".
        """
        tokens = match_tokens(text)
        found: dict[int, None] = {}
        position = 0
        while position < len(tokens):
            hits, width = self._longest_words_at(tokens, position)
            if not hits and is_spaceless(tokens[position]):
                hits = self._find_in_run(tokens[position])
            for index in hits:
                found.setdefault(index)
            position += max(width, 1)
        return [self.concepts[index] for index in found]

    def place(self, text: str) -> Concept | None:
        """Return the first place ``text`` names (a city in any script), or None."""
        if text not in self._places:  # cities repeat across profiles: look each up once
            places = [concept for concept in self.find(text) if concept.section == "place"]
            self._places[text] = places[0] if places else None
        return self._places[text]

    def _longest_words_at(self, tokens: Sequence[str], start: int) -> tuple[list[int], int]:
        longest = min(self._longest_words, len(tokens) - start)
        for length in range(longest, 0, -1):
            hits = self._words.get(tuple(tokens[start : start + length]))
            if hits:
                return sorted(hits), length
        return [], 0

    def _find_in_run(self, run: str) -> list[int]:
        hits: list[int] = []
        begin = 0
        while begin < len(run):
            for end in range(min(len(run), begin + self._longest_run), begin, -1):
                found = self._runs.get(run[begin:end])
                if found:
                    hits.extend(sorted(found))
                    begin = end
                    break
            else:
                begin += 1
        return hits
