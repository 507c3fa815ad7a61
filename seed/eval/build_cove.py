"""Build ``cove.json``: a time split of real Erasmus+ CoVE partnerships (2021–2025).

Run from the repository root::

    python -m seed.eval.build_cove ../shared/data/erasmus-cove/participations.csv

The CSV (one row per organisation in a project; source and licence in
``seed/eval/README.md``) is read, never shipped. What was known after the 2021–2023
calls becomes the profiles and the declared partnerships; who joined whom in the
2024–2025 calls is hidden, whole projects at once, so no pair of a hidden consortium
stays known and leaks the answer through the partner graph:

* every organisation (by case-folded name and country) is a profile: its registered
  name, its country, a kind guessed from its name, and as description the titles of its
  earlier projects (empty for newcomers, as in an imported directory);
* ``declared``: one group per earlier project, its participants;
* ``pairs``: two participants of one later project who were not earlier partners, where
  at least one of them has an earlier project; ``askers`` are those with one (a newcomer
  has nothing to ask with, but is a candidate like everyone else).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["build", "guess_kind"]

OUTPUT = Path(__file__).with_name("cove.json")
LAST_KNOWN_CALL = 2023

# Words of registered names that say what kind of organisation it is, most specific first.
_KINDS = (
    ("university", r"univ|hochschule|politecnic|polytechnic|\bhogeschool|akademi|academy"),
    (
        "college",
        r"colleg|school|schule|scuola|escola|escuela|lyce|liceu|licej|skola|skole"
        r"|gymnas|istituto|instituto|institut|ecole|école|centro de formaci|vocational|vet\b"
        r"|opleiding|koolitus|kutse|srednja|szkoła|szkola|zespol|zespół|colegiul|\bcfp\b",
    ),
    (
        "government",
        r"minist|municipal|council|region|county|city of|comune|ayuntamiento"
        r"|gemeente|kommune|agency|agencia|agenzia|authority|government|provincia|state\b",
    ),
    (
        "organisation",
        r"chamber|kamer|camera|kammer|cámara|association|asociaci|associa"
        r"|verband|verein|foundation|fundaci|fondazione|stichting|network|cluster|federation"
        r"|union|confedera|forening|förening",
    ),
    (
        "company",
        r"\b(ltd|limited|gmbh|s\.?a\.?|s\.?r\.?l\.?|s\.?p\.?a\.?|ag|ab|as|oy|bv|nv"
        r"|doo|d\.o\.o\.|plc|inc|sas|sl|kft|sro|s\.r\.o\.|aps|a/s|ou|oü|uab|ike|ee)\b",
    ),
)


def guess_kind(name: str) -> str:
    """The kind an organisation's registered name suggests, else ``organisation``."""
    folded = name.casefold()
    for kind, pattern in _KINDS:
        if re.search(pattern, folded):
            return kind
    return "organisation"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build(rows: Iterable[Mapping[str, str]], *, source: str = "") -> dict[str, Any]:
    """Return the time-split dataset in the format of ``matching.evaluation``."""
    organisations: dict[tuple[str, str], dict[str, Any]] = {}
    projects: dict[str, dict[str, Any]] = {}
    for row in rows:
        identity = (" ".join(row["organisation"].split()).casefold(), row["country"])
        organisation = organisations.setdefault(
            identity, {"name": " ".join(row["organisation"].split()), "country": row["country"]}
        )
        project = projects.setdefault(
            row["acronym"],
            {"year": int(row["call_year"]), "title": row["project_title"], "members": []},
        )
        if identity not in project["members"]:
            project["members"].append(identity)
        organisation.setdefault("projects", []).append(row["acronym"])
    keys = {identity: f"o{number:04d}" for number, identity in enumerate(organisations, 1)}
    earlier = {a: p for a, p in projects.items() if p["year"] <= LAST_KNOWN_CALL}
    later = {a: p for a, p in projects.items() if p["year"] > LAST_KNOWN_CALL}
    known_pairs = {
        frozenset((x, y)) for p in earlier.values() for x in p["members"] for y in p["members"]
    }
    has_history = {m for p in earlier.values() for m in p["members"]}
    profiles = []
    for identity, organisation in organisations.items():
        titles = [
            earlier[a]["title"] for a in dict.fromkeys(organisation["projects"]) if a in earlier
        ]
        profiles.append(
            {
                "key": keys[identity],
                "name": organisation["name"],
                "country": organisation["country"],
                "kind": guess_kind(organisation["name"]),
                "description": ". ".join(titles),
            }
        )
    pairs: list[list[str]] = []
    seen: set[frozenset[tuple[str, str]]] = set()
    for project in later.values():
        members = project["members"]
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                pair = frozenset((x, y))
                if pair in known_pairs or pair in seen or not ({x, y} & has_history):
                    continue
                seen.add(pair)
                pairs.append([keys[x], keys[y]])
    return {
        "name": "cove",
        "description": (
            "Erasmus+ Centres of Vocational Excellence, calls 2021-2025 (European "
            "Commission, DG EMPL, CoVE Project Participants data 2021-2025; CC BY 4.0). "
            f"Known: the {len(earlier)} projects of the 2021-{LAST_KNOWN_CALL} calls; "
            f"hidden: the pairs of the {len(later)} later projects. "
            f"Built by python -m seed.eval.build_cove{f' from {source}' if source else ''}."
        ),
        "split": "time",
        "profiles": profiles,
        "pairs": pairs,
        "declared": [[keys[m] for m in p["members"]] for p in earlier.values()],
        "askers": sorted({key for pair in pairs for key in pair} & {keys[m] for m in has_history}),
    }


def main() -> None:
    """Write ``cove.json`` beside this module from the participations CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="participations.csv of the CoVE data")
    args = parser.parse_args()
    digest = hashlib.sha256(args.csv.read_bytes()).hexdigest()
    data = build(_rows(args.csv), source=f"participations.csv sha256 {digest[:16]}")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(data['profiles'])} profiles, {len(data['pairs'])} pairs to find")


if __name__ == "__main__":
    main()
