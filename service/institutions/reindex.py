"""Fit the index from the database and publish it as the next generation, in its own process.

``tvet-match reindex`` runs :func:`reindex`; a worker whose index needs a refit starts the
same thing with :func:`spawn_reindex` (``python -m service.institutions.reindex``), so
the fit never shares a GIL with requests. One refit at a time across every process on
the data directory (``Generations.reindex_lock``); the workers notice the new
``CURRENT`` on their next poll and switch to it.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from matching import ReciprocalRanker, Taxonomy
from service.institutions.generations import Generations
from service.institutions.profiles import read_everything

log = logging.getLogger(__name__)


def reindex(engine: Engine, store: Generations, taxonomy: Taxonomy | None) -> str | None:
    """Fit every stored profile and publish the generation; ``None`` if a refit is running."""
    with store.reindex_lock() as held:
        if not held:
            log.info("another refit is running; this one is not needed")
            return None
        started = time.perf_counter()
        position, profiles = read_everything(engine)
        ranker = ReciprocalRanker(taxonomy=taxonomy).fit(profiles)
        name = store.write(ranker, position)
        removed = store.clean()
    log.info(
        "index generation %s: %d profiles in %.1fs (removed %s)",
        name,
        len(profiles),
        time.perf_counter() - started,
        ", ".join(removed) or "none",
    )
    return name


def main(argv: Sequence[str] | None = None) -> int:
    """Run one refit on the database the settings name, into ``--index-dir``."""
    from seed import load_taxonomy
    from service.config import get_settings
    from service.db import make_engine

    parser = argparse.ArgumentParser(prog="python -m service.institutions.reindex")
    parser.add_argument("--index-dir", type=Path, help="default: <data_dir>/index")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    engine = make_engine(settings)
    try:
        store = Generations(args.index_dir or settings.data_dir / "index")
        reindex(engine, store, Taxonomy.from_dict(load_taxonomy()))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
