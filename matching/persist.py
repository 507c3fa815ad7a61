"""A fitted state in a directory: one ``.npy`` file per array, the profiles, a manifest.

``write_state`` writes every array with ``np.save`` (``allow_pickle=False``), the
profiles as JSON lines, then ``manifest.json`` last: the format, the scalars, the
profile count, the sha256 of every file, and whatever the owner adds (the service adds
the change-log position the state reflects). Every file is fsynced before the manifest
is written, so a manifest on disk means complete data beneath it.

``read_state`` checks the manifest and every checksum, then maps the arrays read-only
(``np.load(mmap_mode="r")``): processes mapping the same files share one copy in the
page cache. Nothing read here is unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matching.fitted import AnyArray, FittedState, Scalar, StateError
from matching.types import Profile

__all__ = ["MANIFEST", "Manifest", "read_manifest", "read_state", "write_state"]

MANIFEST = "manifest.json"
_PROFILES = "profiles.jsonl"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a state directory holds: scalars, profile count, checksums, the owner's extra."""

    scalars: Mapping[str, Scalar]
    profile_count: int
    files: Mapping[str, str]
    extra: Mapping[str, Any]


def write_state(directory: Path, state: FittedState, *, extra: Mapping[str, Any]) -> Manifest:
    """Write ``state`` into the existing, empty ``directory``; return its manifest."""
    files: dict[str, str] = {}
    for name, array in state.arrays.items():
        path = directory / f"{name}.npy"
        with path.open("wb") as out:
            np.save(out, np.ascontiguousarray(array), allow_pickle=False)
            os.fsync(out.fileno())
        files[path.name] = _sha256(path)
    with (directory / _PROFILES).open("w", encoding="utf-8") as out:
        for profile in state.profiles:
            out.write(json.dumps(_profile_json(profile), ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    files[_PROFILES] = _sha256(directory / _PROFILES)
    manifest = Manifest(
        scalars=dict(state.scalars),
        profile_count=len(state.profiles),
        files=files,
        extra=dict(extra),
    )
    with (directory / MANIFEST).open("w", encoding="utf-8") as out:
        json.dump(asdict(manifest), out, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    return manifest


def read_manifest(directory: Path) -> Manifest:
    """Return the manifest of a state directory; :class:`StateError` if missing or unreadable."""
    try:
        raw = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            scalars=dict(raw["scalars"]),
            profile_count=int(raw["profile_count"]),
            files={str(k): str(v) for k, v in raw["files"].items()},
            extra=dict(raw["extra"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise StateError(f"no readable manifest in {directory}: {error}") from error


def read_state(directory: Path, *, verify: bool = True) -> tuple[FittedState, Manifest]:
    """Map the state in ``directory`` read-only, after checking every file's sha256."""
    manifest = read_manifest(directory)
    if verify:
        for name, digest in manifest.files.items():
            try:
                actual = _sha256(directory / name)
            except OSError as error:
                raise StateError(f"{name} is missing: {error}") from error
            if actual != digest:
                raise StateError(f"{name} does not match its checksum")
    arrays: dict[str, AnyArray] = {}
    try:
        for name in manifest.files:
            if name.endswith(".npy"):
                arrays[name.removesuffix(".npy")] = np.load(
                    directory / name, mmap_mode="r", allow_pickle=False
                )
        with (directory / _PROFILES).open(encoding="utf-8") as lines:
            profiles = [_profile(json.loads(line)) for line in lines]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise StateError(f"cannot read the state in {directory}: {error}") from error
    if len(profiles) != manifest.profile_count:
        raise StateError(f"{len(profiles)} profiles, the manifest says {manifest.profile_count}")
    return FittedState(arrays=arrays, scalars=manifest.scalars, profiles=profiles), manifest


def _profile_json(profile: Profile) -> dict[str, Any]:
    fields = asdict(profile)
    fields["existing_partners"] = sorted(profile.existing_partners)
    fields["worked_with"] = sorted(profile.worked_with)
    return fields


def _profile(raw: dict[str, Any]) -> Profile:
    return Profile(
        id=int(raw["id"]),
        name=raw["name"],
        country=raw["country"],
        city=raw["city"],
        kind=raw["kind"],
        fields=tuple(raw["fields"]),
        needs=tuple(raw["needs"]),
        offers=tuple(raw["offers"]),
        programs=tuple(raw["programs"]),
        description=raw["description"],
        languages=tuple(raw["languages"]),
        existing_partners=frozenset(int(p) for p in raw["existing_partners"]),
        worked_with=frozenset(int(p) for p in raw.get("worked_with", ())),
    )


def _sha256(path: Path) -> str:
    with path.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()
