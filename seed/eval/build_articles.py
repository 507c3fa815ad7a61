"""Regenerate ``articles.json`` from the seed: the partnerships named in the public articles.

Run from the repository root: ``python -m seed.eval.build_articles``. It keeps the seed
entries with ``"illustrative": false``, uses their ``key`` as the dataset key and their
``existing_partners`` as known pairs (each unordered pair once, in first-seen order).

Descriptions are left out: they were written from the same articles that report the
partnerships and often name the partner ("works with IBM and AWS"), which would hand any
text-similarity ranker the answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from seed import load_institutions

_PROFILE_MEMBERS = (
    "name",
    "country",
    "kind",
    "fields",
    "needs",
    "offers",
    "programs",
    "languages",
)
OUTPUT = Path(__file__).with_name("articles.json")


def build() -> dict[str, Any]:
    """Return the articles dataset in the format of ``matching.evaluation``."""
    entries = [entry for entry in load_institutions() if not entry.illustrative]
    keys = {entry.key for entry in entries}
    profiles = []
    pairs: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for entry in entries:
        profile: dict[str, Any] = {"key": entry.key}
        profile.update((m, entry.profile[m]) for m in _PROFILE_MEMBERS if m in entry.profile)
        profiles.append(profile)
        for partner in entry.partner_keys:
            if partner not in keys:
                raise ValueError(f"{entry.key}: partner {partner!r} is not from the articles")
            if frozenset((entry.key, partner)) not in seen:
                seen.add(frozenset((entry.key, partner)))
                pairs.append([entry.key, partner])
    return {
        "name": "articles",
        "description": (
            "Institutions named in the public articles behind seed/institutions.json "
            "(illustrative entries left out) and the partnerships the articles report; "
            "descriptions left out because they name the partners. "
            "Regenerate with: python -m seed.eval.build_articles"
        ),
        "profiles": profiles,
        "pairs": pairs,
    }


def main() -> None:
    """Write ``articles.json`` beside this module."""
    text = json.dumps(build(), ensure_ascii=False, indent=2)
    OUTPUT.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
