"""Profiles as columns: every field read back as written, built only when read."""

from __future__ import annotations

import numpy as np
import pytest

from matching import Profile
from matching.columns import (
    IdSets,
    Layered,
    ProfileColumns,
    id_sets_arrays,
    laid_over,
    profile_arrays,
)

PROFILES = [
    Profile(
        id=30,
        name="Guangxi Vocational College",
        country="CN",
        city="南宁",
        kind="college",
        fields=("CNC machining", "焊接"),
        needs=("Khmer language courses",),
        offers=("CNC teacher training", "welding certification"),
        programs=("Mechatronics",),
        description="Trains teachers; 培训教师.",
        languages=("zh", "en"),
        existing_partners=frozenset({7, 12}),
        worked_with=frozenset({12}),
    ),
    Profile(id=7, name="Empty", country="KH"),  # every list empty, every text blank
    Profile(id=12, name="Phnom Penh Institute", country="KH", needs=("", "CNC")),
]


@pytest.fixture
def columns() -> ProfileColumns:
    arrays = {name: array.copy() for name, array in profile_arrays(PROFILES).items()}
    for array in arrays.values():
        array.flags.writeable = False  # as mapped from a generation
    return ProfileColumns(arrays)


def test_every_profile_reads_back_as_written_in_the_order_written(
    columns: ProfileColumns,
) -> None:
    assert list(columns) == [30, 7, 12]
    assert len(columns) == 3
    assert [columns[p.id or 0] for p in PROFILES] == PROFILES
    assert dict(columns) == {p.id: p for p in PROFILES}


def test_a_profile_read_twice_is_the_same_object(columns: ProfileColumns) -> None:
    assert columns[30] is columns[30]


@pytest.mark.parametrize("missing", [0, 8, 31, -1, "30", None, 30.5])
def test_an_id_not_held_is_not_found(columns: ProfileColumns, missing: object) -> None:
    assert missing not in columns
    assert columns.get(missing) is None  # type: ignore[call-overload]


def test_an_empty_set_of_profiles_round_trips() -> None:
    empty = ProfileColumns(profile_arrays([]))
    assert len(empty) == 0
    assert list(empty) == []
    assert 1 not in empty


def test_columns_that_do_not_hold_together_are_refused() -> None:
    arrays = profile_arrays(PROFILES)
    arrays["profiles.name.offsets"] = arrays["profiles.name.offsets"][:-1]
    with pytest.raises(ValueError, match=r"profiles\.name"):
        ProfileColumns(arrays)
    arrays = profile_arrays(PROFILES)
    arrays["profiles.needs.rows"] = arrays["profiles.needs.rows"] + 1
    with pytest.raises(ValueError, match=r"profiles\.needs"):
        ProfileColumns(arrays)


def test_id_sets_read_back_by_id() -> None:
    declared_by = {12: frozenset({30}), 7: frozenset({30, 12}), 40: frozenset()}
    sets = IdSets(id_sets_arrays("declared_by", declared_by), "declared_by")
    assert dict(sets) == declared_by
    assert sets.get(99, frozenset()) == frozenset()


def test_changes_laid_over_a_base_replace_remove_and_add() -> None:
    base = {1: "a", 2: "b", 3: "c"}
    layered = laid_over(base, {2: "B", 3: None, 4: "d"})
    assert isinstance(layered, Layered)
    assert dict(layered) == {1: "a", 2: "B", 4: "d"}
    assert list(layered) == [1, 2, 4]  # the base's order, then what was added
    assert len(layered) == 3
    assert 3 not in layered
    assert 4 in layered
    with pytest.raises(KeyError):
        layered[3]
    again = laid_over(layered, {3: "C", 4: None, 5: None})
    assert dict(again) == {1: "a", 2: "B", 3: "C"}
    assert len(again) == 3
    assert base == {1: "a", 2: "b", 3: "c"}  # the base is never written
    assert dict(layered) == {1: "a", 2: "B", 4: "d"}  # nor an earlier layer


def test_no_changes_leave_the_mapping_as_it_is() -> None:
    base = {1: "a"}
    assert laid_over(base, {}) is base


def test_arrays_are_plain_numbers_and_bytes() -> None:
    arrays = profile_arrays(PROFILES)
    assert {array.dtype.kind for array in arrays.values()} <= {"i", "u"}
    assert np.array_equal(arrays["profiles.sorted_ids"], [7, 12, 30])
