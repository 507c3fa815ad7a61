"""A seeded synthetic evaluation set: planted partnerships among look-alikes and decoys.

``generate(n_pairs=60, seed=0)`` returns a dataset in the JSON format read by
:func:`matching.evaluation.load_dataset`. Each planted pair is a complement: side A (an
ASEAN institution, mostly) needs X and offers Y, side B (a Chinese one, mostly) offers X
and needs Y, in shared or adjacent fields and different countries. Around the pairs:

* look-alikes: one or two copies of A from another country, with the same fields, needs
  and offers, reworded (another phrasing where one exists, items reordered). They are not
  partners of anyone; whole-profile similarity ranks them first for A;
* one-sided decoys (for about half the pairs): companies that offer what A needs but need
  something nobody offers;
* languages: most pairs are written in English; some wholly in Simplified Chinese; some
  mixed (A in English, B in Chinese: these can only meet once terms are mapped across
  languages); some in Khmer, Thai, Vietnamese or Indonesian (B then being, say, a Chinese
  college's Khmer-language profile). Look-alikes and decoys write in A's language.

The vocabulary is data, in :mod:`~matching.evaluation.topics` (what is offered and
needed) and :mod:`~matching.evaluation.wording` (fields, places, names). Profiles are
shuffled before ids are given, so ties broken by id favour no role. The same seed gives
the same output.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matching.evaluation.topics import A_OFFERS, B_OFFERS, DECOY_NEEDS, Topic
from matching.evaluation.wording import (
    ADJACENT,
    ASEAN,
    COUNTRIES,
    DESCRIPTION_KINDS,
    DESCRIPTIONS,
    FIELDS,
    HOME,
    KIND_NAMES,
    MODE_CYCLE,
    PROGRAMS,
)

__all__ = ["generate"]


@dataclass(frozen=True, slots=True)
class _Side:
    """What one profile is about, before it is written out in a language."""

    kind: str
    country: str
    language: str
    fields: tuple[str, ...]
    needs: tuple[Topic, ...]
    offers: tuple[Topic, ...]
    decoy_needs: bool = False


class _Writer:
    """Writes sides out as profile dicts, choosing names, phrasings and order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()

    def word(self, side: _Side, *, unlike: Mapping[str, str] | None = None) -> dict[str, str]:
        """Choose a phrasing per topic of ``side``, another than ``unlike``'s where one exists.

        Partners choose freely and look-alikes avoid the original's phrasing: then a
        partner's phrase equals the original's as often as a look-alike's, so no role is
        favoured by wording.
        """
        unlike = unlike or {}
        chosen = {}
        for topic in (*side.needs, *side.offers):
            options = topic.text[side.language]
            chosen[topic.key] = self.rng.choice(
                [o for o in options if o != unlike.get(topic.key)] or options
            )
        return chosen

    def write(self, key: str, side: _Side, wording: Mapping[str, str]) -> dict[str, Any]:
        """Return ``side`` as a dataset profile, with the phrasings chosen by :meth:`word`."""
        lang = side.language
        needs = (
            self._decoy_needs(lang)
            if side.decoy_needs
            else [wording[topic.key] for topic in side.needs]
        )
        offers = [wording[topic.key] for topic in side.offers]
        self.rng.shuffle(needs)
        self.rng.shuffle(offers)
        programs = list(dict.fromkeys(t.program for t in (*side.needs, *side.offers)))
        city, city_zh = self.rng.choice(COUNTRIES[side.country][2])
        return {
            "key": key,
            "name": self._name(side, city, city_zh),
            "country": side.country,
            "city": city_zh if lang == "zh" else city,
            "kind": side.kind,
            "fields": [FIELDS[f][lang] for f in side.fields],
            "needs": needs,
            "offers": offers,
            "programs": [PROGRAMS[p].get(lang, p) if lang == "zh" else p for p in programs],
            "description": self._description(side, city, city_zh),
            "languages": [lang],
        }

    def _decoy_needs(self, lang: str) -> list[str]:
        return self.rng.sample(list(DECOY_NEEDS.get(lang, DECOY_NEEDS["en"])), 2)

    def _name(self, side: _Side, city: str, city_zh: str) -> str:
        if side.language == "zh":
            base = f"{city_zh}示例{KIND_NAMES[side.kind]['zh']}"
        else:
            base = f"{city} Synthetic {KIND_NAMES[side.kind]['en']}"
        name, number = base, 1
        while name in self.names:
            number += 1
            name = f"{base} {number}"
        self.names.add(name)
        return name

    def _description(self, side: _Side, city: str, city_zh: str) -> str:
        lang = side.language
        template = DESCRIPTIONS.get(lang)
        if template is None:
            return ""  # no sentence we are sure of in this language
        country_en, country_zh, _ = COUNTRIES[side.country]
        separator = "、" if lang == "zh" else ", "
        return template.format(
            kind=DESCRIPTION_KINDS[lang][side.kind],
            city=city_zh if lang == "zh" else city,
            country=country_zh if lang == "zh" else country_en,
            fields=separator.join(FIELDS[f][lang] for f in side.fields),
        )


def _speaks(topic: Topic, *langs: str) -> bool:
    return all(lang in topic.text for lang in langs) and (
        topic.field is None or all(lang in FIELDS[topic.field] for lang in langs)
    )


def _fields(topics: Sequence[Topic]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.field for t in topics if t.field is not None))


def _pick(rng: random.Random, kinds: Mapping[str, float]) -> str:
    return rng.choices(list(kinds), weights=list(kinds.values()))[0]


def _plant(rng: random.Random, mode: str) -> tuple[_Side, _Side]:
    """Return the two sides of one planted partnership."""
    lang_a, lang_b = ("en", "zh") if mode == "en-zh" else (mode, mode)
    b_offers = [t for t in B_OFFERS if _speaks(t, lang_a, lang_b)]
    a_offers = [t for t in A_OFFERS if _speaks(t, lang_a, lang_b)]
    core = rng.choice([t for t in b_offers if t.field is not None])
    needs = [core, *rng.sample([t for t in b_offers if t is not core], rng.randint(0, 1))]
    offers = rng.sample(a_offers, rng.randint(1, 2))
    extra = [t for t in b_offers if t not in needs]
    country_a = HOME.get(mode) or rng.choice(ASEAN)
    country_b = "CN"
    if mode == "en" and rng.random() < 0.2:
        country_b = rng.choice([c for c in ASEAN if c != country_a])
    fields_a = _fields([*needs, *offers])
    assert core.field is not None
    field_b = core.field
    neighbours = [f for f in ADJACENT[core.field] if _speaks_field(f, lang_b)]
    if neighbours and rng.random() < 0.3:
        field_b = rng.choice(neighbours)
    side_a = _Side(
        kind=_pick(rng, {"college": 0.75, "university": 0.1, "government": 0.15}),
        country=country_a,
        language=lang_a,
        fields=fields_a,
        needs=tuple(needs),
        offers=tuple(offers),
    )
    side_b = _Side(
        kind=_pick(rng, {"college": 0.6, "company": 0.25, "university": 0.15}),
        country=country_b,
        language=lang_b,
        fields=tuple(dict.fromkeys((field_b, *_fields(offers)))),
        needs=tuple(offers),
        # B also offers something A did not ask for, as real profiles do.
        offers=(*needs, *rng.sample(extra, min(len(extra), rng.randint(0, 1)))),
    )
    return side_a, side_b


def _speaks_field(field: str, lang: str) -> bool:
    return lang in FIELDS[field]


def generate(*, n_pairs: int = 60, seed: int = 0) -> dict[str, Any]:
    """Return a synthetic evaluation dataset (the JSON format of ``matching.evaluation``).

    Parameters
    ----------
    n_pairs:
        Number of planted partnerships; the set holds about four profiles per pair.
    seed:
        Seed of the ``random.Random`` behind every choice; the same seed gives the same
        dataset.
    """
    if n_pairs < 1:
        raise ValueError(f"n_pairs must be at least 1, got {n_pairs}")
    rng = random.Random(seed)
    writer = _Writer(rng)
    modes = [MODE_CYCLE[i % len(MODE_CYCLE)] for i in range(n_pairs)]
    rng.shuffle(modes)
    profiles: list[dict[str, Any]] = []
    pairs: list[list[str]] = []
    for number, mode in enumerate(modes, start=1):
        prefix = f"p{number:02d}-{mode}"
        side_a, side_b = _plant(rng, mode)
        wording_a = writer.word(side_a)
        profiles.append(writer.write(f"{prefix}-a", side_a, wording_a))
        profiles.append(writer.write(f"{prefix}-b", side_b, writer.word(side_b)))
        pairs.append([f"{prefix}-a", f"{prefix}-b"])
        others = [c for c in ASEAN if c != side_a.country]
        for copy in range(1, rng.randint(1, 2) + 1):
            look_alike = _Side(
                kind=side_a.kind,
                country=rng.choice(others),
                language=side_a.language,
                fields=side_a.fields,
                needs=side_a.needs,
                offers=side_a.offers,
            )
            wording = writer.word(look_alike, unlike=wording_a)
            profiles.append(writer.write(f"{prefix}-like{copy}", look_alike, wording))
        if rng.random() < 0.5:
            decoy = _Side(
                kind="company",
                country=rng.choice(("CN", "CN", *others)),
                language=side_a.language,
                fields=_fields(side_a.needs),
                needs=(),
                offers=side_a.needs,
                decoy_needs=True,
            )
            profiles.append(writer.write(f"{prefix}-decoy", decoy, writer.word(decoy)))
    rng.shuffle(profiles)
    return {
        "name": "generated",
        "description": (
            "Synthetic set from matching.evaluation.synthetic."
            f"generate(n_pairs={n_pairs}, seed={seed}): "
            "planted complementary pairs, look-alikes of one side that are not partners, "
            "one-sided decoys; English, Chinese, mixed English/Chinese, Khmer, Thai, "
            "Vietnamese and Indonesian profiles."
        ),
        "profiles": profiles,
        "pairs": pairs,
    }
