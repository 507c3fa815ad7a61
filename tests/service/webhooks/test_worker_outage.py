"""The delivery worker while its database fails: it backs off, and logs one traceback."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from sqlmodel import create_engine

from service.webhooks.backoff import Backoff
from service.webhooks.delivery import DeliveryWorker


def test_a_failing_database_gives_few_log_lines_and_one_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A database without the service's tables: every round fails, as in an outage.
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    worker = DeliveryWorker(
        engine, backoff=Backoff(base=1, max_attempts=3), poll_seconds=0.02, dispose_engine=True
    )
    with caplog.at_level(logging.INFO, logger="service.webhooks.delivery"):
        worker.start()
        time.sleep(2.0)
        worker.close()
    failures = [r for r in caplog.records if "failed" in r.getMessage()]
    # Polling every 0.02 s without backing off would fail about 100 times in 2 s; waits
    # doubling from 0.04 s allow 6 rounds.
    assert 2 <= len(failures) <= 7, [r.getMessage() for r in failures]
    assert sum(1 for r in failures if r.exc_info) == 1
