"""A fitted ranker written to files and mapped back ranks exactly as the one that wrote it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from matching import Profile, ReciprocalRanker, Taxonomy
from matching.columns import Layered, ProfileColumns
from matching.evaluation.datasets import parse_dataset
from matching.evaluation.synthetic import generate
from matching.fitted import FORMAT_VERSION, StateError, export_state, restore_state
from matching.persist import read_manifest, read_state, write_state
from seed import load_taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.from_dict(load_taxonomy())


@pytest.fixture(scope="module")
def profiles() -> list[Profile]:
    """A synthetic corpus with partners declared and workshop outcomes, so the graph signal
    counts too, and one city written in two scripts (the gazetteer's places)."""
    dataset = parse_dataset(generate(n_pairs=20, seed=3))
    declared = {
        p.id: frozenset({b for a, b in dataset.pairs[:15] if a == p.id}) for p in dataset.profiles
    }
    worked = {
        p.id: frozenset({b for a, b in dataset.pairs[15:18] if a == p.id}) for p in dataset.profiles
    }
    cities = ("Nanning", "南宁")
    return [
        dataclasses.replace(
            p,
            existing_partners=declared[p.id],
            worked_with=worked[p.id],
            city=cities[i % 2] if i % 7 == 0 else "",
        )
        for i, p in enumerate(dataset.profiles)
    ]


@pytest.fixture
def written(profiles: list[Profile], taxonomy: Taxonomy) -> ReciprocalRanker:
    """A ranker with a delta segment, a replaced row and a removed one, as a service has."""
    ranker = ReciprocalRanker(taxonomy=taxonomy).fit(profiles[:-8])
    ranker.upsert(profiles[-8:])
    changed = dataclasses.replace(profiles[0], needs=("welding teacher training",))
    ranker.upsert([changed])
    ranker.remove([int(profiles[1].id or 0)])
    return ranker


def _mapped(ranker: ReciprocalRanker, directory: Path, taxonomy: Taxonomy) -> ReciprocalRanker:
    write_state(directory, export_state(ranker), extra={"position": 42})
    state, _ = read_state(directory)
    return restore_state(ReciprocalRanker(taxonomy=taxonomy), state)


def test_mapped_ranker_ranks_every_profile_exactly_as_the_writer(
    written: ReciprocalRanker, tmp_path: Path, taxonomy: Taxonomy
) -> None:
    loaded = _mapped(written, tmp_path, taxonomy)
    # Still the read-only mapping, not a copy: workers share these pages.
    assert not loaded.corpus_.base.stacked_t.data.flags.writeable
    # The profiles too: columns over the mapped files, each built only when read.
    assert isinstance(loaded.profiles, ProfileColumns)
    assert dict(loaded.profiles) == dict(written.profiles)
    assert dict(loaded.corpus_.declared_by) == dict(written.corpus_.declared_by)
    for query in written.profiles.values():
        expected = written.rank(query, k=10)
        got = loaded.rank(query, k=10)
        assert [m.id for m in got] == [m.id for m in expected]
        assert [m.score for m in got] == pytest.approx([m.score for m in expected], abs=1e-6)
        assert [m.reasons for m in got] == [m.reasons for m in expected]
    query = next(iter(written.profiles.values()))
    varied = [m.id for m in written.rank(query, k=10, diversity=0.5, exposure=0.5)]
    assert [m.id for m in loaded.rank(query, k=10, diversity=0.5, exposure=0.5)] == varied


def test_mapped_ranker_takes_writes_and_counts_like_the_writer(
    written: ReciprocalRanker, profiles: list[Profile], tmp_path: Path, taxonomy: Taxonomy
) -> None:
    loaded = _mapped(written, tmp_path, taxonomy)
    assert loaded.changes_since_fit_ == written.changes_since_fit_
    newcomer = dataclasses.replace(profiles[1], id=10_000)
    for ranker in (written, loaded):
        ranker.upsert([newcomer]).remove([int(profiles[2].id or 0)])
    ids = sorted(written.profiles)[:30]
    np.testing.assert_allclose(loaded.score_matrix(ids), written.score_matrix(ids), atol=1e-6)
    assert [m.id for m in loaded.rank(newcomer)] == [m.id for m in written.rank(newcomer)]
    # The writes lie over the mapped columns; nothing was copied out of them.
    assert isinstance(loaded.profiles, Layered)
    assert dict(loaded.profiles) == dict(written.profiles)
    assert dict(loaded.corpus_.declared_by) == dict(written.corpus_.declared_by)


def test_manifest_lists_a_checksum_per_file_and_the_owners_extra(
    written: ReciprocalRanker, tmp_path: Path
) -> None:
    write_state(tmp_path, export_state(written), extra={"position": 42})
    manifest = read_manifest(tmp_path)
    assert manifest.extra == {"position": 42}
    assert manifest.profile_count == len(written.profiles)
    assert set(manifest.files) == {p.name for p in tmp_path.iterdir()} - {"manifest.json"}


def test_a_corrupt_file_is_refused(written: ReciprocalRanker, tmp_path: Path) -> None:
    write_state(tmp_path, export_state(written), extra={})
    target = tmp_path / "stacked_t.data.npy"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(StateError, match="checksum"):
        read_state(tmp_path)


def test_a_state_in_another_format_is_refused_before_its_files_are_read(
    written: ReciprocalRanker, tmp_path: Path
) -> None:
    state = export_state(written)
    older = dataclasses.replace(state, scalars={**state.scalars, "format": FORMAT_VERSION - 1})
    write_state(tmp_path, older, extra={})
    (tmp_path / "ids.npy").unlink()
    with pytest.raises(StateError, match=f"format {FORMAT_VERSION - 1}, expected"):
        read_state(tmp_path)


def test_profile_columns_not_those_of_the_live_rows_are_refused(
    written: ReciprocalRanker, tmp_path: Path, taxonomy: Taxonomy
) -> None:
    state = export_state(written)
    shuffled = {**state.arrays, "profiles.ids": state.arrays["profiles.ids"][::-1].copy()}
    with pytest.raises(StateError, match="not those of the live rows"):
        restore_state(
            ReciprocalRanker(taxonomy=taxonomy), dataclasses.replace(state, arrays=shuffled)
        )
    cut = {**state.arrays, "profiles.needs.rows": state.arrays["profiles.needs.rows"][:-1]}
    with pytest.raises(StateError, match=r"profiles\.needs\.rows"):
        restore_state(ReciprocalRanker(taxonomy=taxonomy), dataclasses.replace(state, arrays=cut))


def test_a_missing_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="manifest"):
        read_state(tmp_path)


def test_a_state_fitted_with_other_parameters_is_refused(
    written: ReciprocalRanker, tmp_path: Path, taxonomy: Taxonomy
) -> None:
    write_state(tmp_path, export_state(written), extra={})
    state, _ = read_state(tmp_path)
    with pytest.raises(StateError, match="graph_weight"):
        restore_state(ReciprocalRanker(taxonomy=taxonomy, graph_weight=0.5), state)
    with pytest.raises(StateError, match="graph_places"):
        restore_state(ReciprocalRanker(taxonomy=taxonomy, graph_places=0), state)


def test_an_empty_index_round_trips(tmp_path: Path) -> None:
    loaded = _mapped(ReciprocalRanker().fit([]), tmp_path, Taxonomy.from_dict({}))
    assert len(loaded) == 0
    assert loaded.rank(Profile(needs=("cnc",))) == []
