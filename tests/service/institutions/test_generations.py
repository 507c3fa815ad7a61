"""The persisted index: generations written whole, mapped on start, switched, cleaned."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from matching import CandidateFilter, Profile, Taxonomy
from matching.fitted import FORMAT_VERSION
from service.institutions import crud
from service.institutions.generations import CURRENT, Generations
from service.institutions.index import MatchIndex
from service.institutions.models import InstitutionCreate
from service.institutions.reindex import reindex
from service.values.validation import Kind
from tests.service.institutions.conftest import Start

CNC = {"country": "KH", "needs": ("CNC teacher training",)}


def store(engine: Engine, name: str, **fields: Any) -> int:
    with Session(engine) as session:
        (row,) = crud.create_institutions(
            session=session,
            items=[InstitutionCreate(kind=Kind.college, name=name, country="CN", **fields)],
        )
        session.commit()
        assert row.id is not None
        return row.id


def delete(engine: Engine, institution_id: int) -> None:
    with Session(engine) as session:
        row = crud.get_institution(session=session, institution_id=institution_id)
        assert row is not None
        crud.delete_institution(session=session, row=row)
        session.commit()


def ranked(match_index: MatchIndex, **fields: Any) -> list[int]:
    return [m.id for m in match_index.rank(Profile(**fields), k=10, where=CandidateFilter())]


def test_start_maps_the_current_generation_and_catches_up_on_later_writes(
    engine: Engine, generations: Generations, taxonomy: Taxonomy, started: Start
) -> None:
    wuxi = store(engine, "Wuxi", offers=["CNC teacher training"])
    gone = store(engine, "Gone", offers=["CNC teacher training"])
    name = reindex(engine, generations, taxonomy)
    assert name == "gen-000001"
    later = store(engine, "Later", offers=["CNC teacher training"])
    delete(engine, gone)
    match_index = started()
    assert match_index.generation == name
    assert match_index.refits == 0  # mapped, not fitted
    assert ranked(match_index, **CNC) == [wuxi, later]


def test_a_generation_older_than_the_kept_change_log_is_not_used(
    engine: Engine, generations: Generations, taxonomy: Taxonomy, started: Start
) -> None:
    wuxi = store(engine, "Wuxi", offers=["CNC teacher training"])
    reindex(engine, generations, taxonomy)
    match_index = started(change_log_keep=timedelta(0))
    assert match_index.generation is None
    assert match_index.refits == 1  # rebuilt from the database instead
    assert ranked(match_index, **CNC) == [wuxi]


def test_a_half_written_generation_is_ignored_and_cleaned(
    engine: Engine, generations: Generations, taxonomy: Taxonomy, started: Start
) -> None:
    wuxi = store(engine, "Wuxi", offers=["CNC teacher training"])
    complete = reindex(engine, generations, taxonomy)
    # What a kill -9 leaves: a temporary directory, a next generation whose data is
    # cut short before the switch, a pointer file never moved into place.
    (generations.root / "tmp-0a1b2c").mkdir()
    (generations.root / "tmp-0a1b2c" / "ids.npy").write_bytes(b"\x93NUMPY")
    cut = generations.root / "gen-000002"
    (generations.root / str(complete)).rename(cut)
    (generations.root / str(complete)).mkdir()
    for path in cut.iterdir():
        (generations.root / str(complete) / path.name).write_bytes(path.read_bytes())
    (cut / "stacked_t.data.npy").write_bytes(b"\x93NUMPY cut short")
    (generations.root / f"{CURRENT}.5e6f").write_text("gen-000002\n")
    match_index = started()
    assert match_index.generation == complete
    assert ranked(match_index, **CNC) == [wuxi]
    assert not cut.exists()  # an unused generation: the start that mapped another removed it
    assert generations.clean() == ["tmp-0a1b2c"]
    assert sorted(p.name for p in generations.root.iterdir()) == [
        CURRENT,
        str(complete),
        "reindex.lock",
    ]


def corrupt(directory: Path) -> None:
    target = directory / "ids.npy"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF
    target.write_bytes(bytes(data))


def older_format(directory: Path) -> None:
    manifest = directory / "manifest.json"
    written = json.loads(manifest.read_text(encoding="utf-8"))
    written["scalars"]["format"] = FORMAT_VERSION - 1
    manifest.write_text(json.dumps(written), encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "rebuilt_before_serving"), [(corrupt, False), (older_format, True)]
)
def test_an_unusable_current_generation_falls_back_to_the_database(
    engine: Engine,
    generations: Generations,
    taxonomy: Taxonomy,
    started: Start,
    spoil: Callable[[Path], None],
    rebuilt_before_serving: bool,
) -> None:
    wuxi = store(engine, "Wuxi", offers=["CNC teacher training"])
    name = reindex(engine, generations, taxonomy)
    spoil(generations.root / str(name))
    # An older format is seen in the manifest: `serve` publishes a new one first.
    assert generations.current_is_recent() is not rebuilt_before_serving
    match_index = started()
    assert match_index.generation is None
    assert match_index.refits == 1  # fitted from the database
    assert ranked(match_index, **CNC) == [wuxi]


def test_a_running_index_switches_to_the_next_generation_and_the_old_one_goes(
    engine: Engine, generations: Generations, taxonomy: Taxonomy, started: Start
) -> None:
    wuxi = store(engine, "Wuxi", offers=["CNC teacher training"])
    first = reindex(engine, generations, taxonomy)
    match_index = started()
    second = reindex(engine, generations, taxonomy)
    assert (generations.root / str(first)).is_dir()  # still mapped: not deleted
    meanwhile = store(engine, "Meanwhile", offers=["CNC teacher training"])
    assert match_index.follow_generation()
    assert match_index.generation == second
    assert ranked(match_index, **CNC) == [wuxi, meanwhile]
    assert not (generations.root / str(first)).exists()  # its last user removed it


def test_only_one_refit_runs_at_a_time(
    engine: Engine, generations: Generations, taxonomy: Taxonomy, started: Start
) -> None:
    store(engine, "Wuxi", offers=["CNC teacher training"])
    with generations.reindex_lock() as held:
        assert held
        assert generations.reindex_running()
        assert reindex(engine, generations, taxonomy) is None
    assert not generations.reindex_running()


def test_a_large_index_refits_in_another_process_and_switches_to_its_generation(
    engine: Engine, generations: Generations, taxonomy: Taxonomy, started: Start
) -> None:
    store(engine, "Wuxi", offers=["CNC teacher training"])
    match_index = started(refit_after_changes=1, sync_refit_max_profiles=0)
    assert match_index.generation is None
    new = store(engine, "Ayutthaya", offers=["การฝึกอบรมครู"])
    match_index.sync([new])  # one change is enough: a refit process starts
    match_index.wait_for_refit(120)
    assert match_index.generation == "gen-000001"
    assert match_index.refits == 1  # the load only: the refit ran in the other process
    assert ranked(match_index, country="KH", needs=("การฝึกอบรมครู",))[0] == new
