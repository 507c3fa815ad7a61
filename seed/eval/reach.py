"""Print how many hidden partners any ranking monotone in shared signals could find.

Run from the repository root (see :mod:`matching.evaluation.reach` for the bound)::

    python -m seed.eval.reach thin
    python -m seed.eval.reach thin --without fields city

``--without`` empties field labels, cities or both everywhere first (the thin set's
diagnostic variants in ``docs/ranking.md``: names and descriptions, as new registrations
hold them). The bound is for profiles without needs and offers (the thin sets).
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from matching import Taxonomy
from matching.evaluation import load_dataset
from matching.evaluation.reach import reach
from seed import load_taxonomy

_HERE = Path(__file__).parent


def main() -> None:
    """Print the bound for one dataset, by name or path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="a shipped set (generated, thin, articles) or a path")
    parser.add_argument("--k", type=int, default=10, help="length of the list (default 10)")
    parser.add_argument(
        "--without", nargs="*", default=[], choices=["city", "fields"], help="members to empty"
    )
    args = parser.parse_args()
    path = Path(args.dataset)
    dataset = load_dataset(path if path.is_file() else _HERE / f"{args.dataset}.json")
    without = set(args.without)
    profiles = tuple(
        dataclasses.replace(
            p,
            fields=() if "fields" in without else p.fields,
            city="" if "city" in without else p.city,
        )
        for p in dataset.profiles
    )
    dataset = dataclasses.replace(dataset, profiles=profiles)
    found = reach(dataset, k=args.k, taxonomy=Taxonomy.from_dict(load_taxonomy()))
    total = len(found.queries)
    print(
        f"{dataset.name}: {total} queries; reachable in a top {found.k}: {found.reachable} "
        f"({found.reachable / total:.3f}); expected with ties broken at random: "
        f"{found.expected:.1f} ({found.expected / total:.3f})"
    )
    for row in found.queries:
        if row.above >= found.k:
            print(
                f"  out of reach: {row.asker} -> {row.target} ({row.above} above, {row.tied} tied)"
            )


if __name__ == "__main__":
    main()
