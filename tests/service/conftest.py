"""Fixtures shared by the service's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from service.config import Settings
from service.db import make_engine
from service.migrations.runner import upgrade


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """An engine on the test database, schema upgraded."""
    engine = make_engine(settings)
    upgrade(engine)
    yield engine
    engine.dispose()
