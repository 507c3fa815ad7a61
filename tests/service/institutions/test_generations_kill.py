"""A kill -9 of the refit process while it writes the next generation loses nothing.

The refit is the real ``python -m service.institutions.reindex`` on the test database. A
write of a small corpus takes milliseconds, so instead of racing it with a timer the
process is made to stop at a chosen point (``_PAUSE``: after the third file is fsynced
in the temporary directory, or just before ``CURRENT`` is replaced) and waits there for
the SIGKILL; the test polls the directory until it sees that state, then kills.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from matching import CandidateFilter, ReciprocalRanker, Taxonomy
from service.config import Settings
from service.institutions import crud
from service.institutions.generations import CURRENT, Generations
from service.institutions.index import MatchIndex
from service.institutions.models import InstitutionCreate, InstitutionUpdate
from service.institutions.profiles import read_everything
from service.institutions.reindex import reindex
from service.values.validation import Kind
from tests.service.institutions.conftest import Start
from tests.service.institutions.test_generations import delete
from tests.support.server import server_env

# Run the refit module with os.fsync or os.replace wrapped so that it stops at one point
# of the write, leaves a marker file, and waits for the kill.
_PAUSE = """
import os, runpy, sys, time
stage, marker = sys.argv[1], sys.argv[2]
real_fsync, real_replace, synced = os.fsync, os.replace, []

def stop_here():
    with open(marker, "w") as out:
        out.write(stage)
    time.sleep(600)

def fsync(fd):
    real_fsync(fd)
    synced.append(fd)
    if stage == "files" and len(synced) == 3:
        stop_here()

def replace(source, target):
    if stage == "switch" and os.path.basename(target) == "CURRENT":
        stop_here()
    real_replace(source, target)

os.fsync, os.replace = fsync, replace
sys.argv = ["reindex"]
runpy.run_module("service.institutions.reindex", run_name="__main__")
"""
_STAGES = ("files", "switch")
_TOPICS = ("CNC machining", "welding", "hotel management", "solar installation", "nursing")


def _store(engine: Engine, first: int, count: int) -> list[int]:
    items = []
    for number in range(first, first + count):
        need, offer = _TOPICS[number % 5], _TOPICS[(number * 2 + 1) % 5]
        items.append(
            InstitutionCreate(
                kind=Kind.college,
                name=f"Institute {number}",
                country=("KH", "CN", "TH", "VN")[number % 4],
                needs=[f"{need} teacher training"],
                offers=[f"{offer} internships", f"{need} lab equipment"],
                description=f"A college in district {number % 7} teaching {offer}.",
            )
        )
    with Session(engine) as session:
        rows = crud.create_institutions(session=session, items=items)
        session.commit()
        return [row.id for row in rows if row.id is not None]


def _update(engine: Engine, institution_id: int, changes: InstitutionUpdate) -> None:
    with Session(engine) as session:
        row = crud.get_institution(session=session, institution_id=institution_id)
        assert row is not None
        crud.update_institution(session=session, row=row, changes=changes)
        session.commit()


def _top10(ranker: ReciprocalRanker | MatchIndex, ids: list[int]) -> dict[int, list[int]]:
    lists = {}
    for pid in ids:
        query = ranker.profile(pid) if isinstance(ranker, MatchIndex) else ranker.profiles[pid]
        assert query is not None
        lists[pid] = [m.id for m in ranker.rank(query, k=10, where=CandidateFilter())]
    return lists


def _kill_during_write(settings: Settings, stage: str, tmp_path: Path) -> None:
    """Start the refit process, wait until it stands at ``stage``, SIGKILL it."""
    index_dir = settings.data_dir / "index"
    marker = tmp_path / "paused"
    env = server_env(data_dir=settings.data_dir, database_url=settings.database_url)
    process = subprocess.Popen(
        [sys.executable, "-c", _PAUSE, stage, str(marker)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120  # a deadline, not a measure: Python starting
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), f"the refit never reached {stage}: {process.poll()}"
        # Mid-write: the pointer has not moved, the next generation's files lie beside it.
        assert (index_dir / CURRENT).read_text() == "gen-000001\n"
        if stage == "files":
            (temporary,) = index_dir.glob("tmp-*")
            assert len(list(temporary.glob("*.npy"))) == 3
            assert not (temporary / "manifest.json").exists()
        else:
            assert (index_dir / "gen-000002" / "manifest.json").is_file()
            assert len(list(index_dir.glob(f"{CURRENT}.*"))) == 1
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("stage", _STAGES)
def test_a_refit_killed_mid_write_loses_nothing(
    stage: str,
    engine: Engine,
    settings: Settings,
    generations: Generations,
    taxonomy: Taxonomy,
    started: Start,
    tmp_path: Path,
) -> None:
    ids = _store(engine, 0, 40)
    first = reindex(engine, generations, taxonomy)
    assert first == "gen-000001"
    # Written after the first generation: only the change log brings these in.
    ids += _store(engine, 40, 10)
    delete(engine, ids.pop(0))
    renamed = InstitutionUpdate(offers=["nursing simulation lab", "welding internships"])
    _update(engine, ids[1], renamed)
    before = started()
    expected = _top10(before, ids)
    before.close()

    _kill_during_write(settings, stage, tmp_path)

    after = started()
    assert after.generation == first  # the last complete generation, not the half-written one
    assert sorted(p.id for p in read_everything(engine)[1] if p.id) == sorted(ids)
    assert all(after.profile(pid) is not None for pid in ids)
    assert after.profile(ids[1]) == before.profile(ids[1])
    assert "nursing simulation lab" in str(after.profile(ids[1]))
    assert _top10(after, ids) == expected
    # A complete generation never switched to is removed by the start that mapped another;
    # a temporary directory by the next refit's clean (only it knows no refit is running).
    assert not (generations.root / "gen-000002").exists()
    half_written = [path.name for path in generations.root.glob("tmp-*")]
    assert len(half_written) == (stage == "files")
    assert generations.clean() == half_written
    assert sorted(p.name for p in generations.root.iterdir()) == [CURRENT, first, "reindex.lock"]

    # The next refit succeeds, and the running index switches to it: every list is then
    # exactly what a fresh fit of every stored profile gives.
    second = reindex(engine, generations, taxonomy)
    assert second == "gen-000002"
    assert after.follow_generation()
    fresh = ReciprocalRanker(taxonomy=taxonomy).fit(read_everything(engine)[1])
    assert _top10(after, ids) == _top10(fresh, ids)
    assert not (generations.root / first).exists()  # released by its last user, removed
