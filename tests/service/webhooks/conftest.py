"""The receiver on loopback that the webhook tests deliver to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.receiver import Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running
