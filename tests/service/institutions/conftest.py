from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from matching import Taxonomy
from seed import load_taxonomy
from service.config import Settings
from service.institutions.generations import Generations
from service.institutions.index import MatchIndex

Start = Callable[..., MatchIndex]


@pytest.fixture
def taxonomy() -> Taxonomy:
    return Taxonomy.from_dict(load_taxonomy())


@pytest.fixture
def generations(settings: Settings) -> Generations:
    """The index generations in the test's data directory."""
    return Generations(settings.data_dir / "index")


@pytest.fixture
def started(engine: Engine, generations: Generations, taxonomy: Taxonomy) -> Iterator[Start]:
    """Start indexes the way a worker does (map CURRENT, catch up); close them after."""
    indexes: list[MatchIndex] = []

    def start(**options: Any) -> MatchIndex:
        match_index = MatchIndex(engine, taxonomy=taxonomy, generations=generations, **options)
        indexes.append(match_index)
        match_index.load()
        return match_index

    yield start
    for match_index in indexes:
        match_index.close()
