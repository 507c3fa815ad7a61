"""A fitted state in a directory: one ``.npy`` file per array and a manifest.

``write_state`` writes every array with ``np.save`` (``allow_pickle=False``; the
profiles are arrays too, ``matching.columns``), then ``manifest.json`` last: the
scalars (the format among them), the profile count, the sha256 of every file, and
whatever the owner adds (the service adds the change-log position the state reflects).
Every file is fsynced before the manifest is written, so a manifest on disk means
complete data beneath it.

``read_state`` checks the manifest, its format and every checksum, then maps the arrays
read-only (``np.load(mmap_mode="r")``): processes mapping the same files share one copy in the
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

from matching.fitted import FORMAT_VERSION, AnyArray, FittedState, Scalar, StateError

__all__ = ["MANIFEST", "Manifest", "read_manifest", "read_state", "write_state"]

MANIFEST = "manifest.json"


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
    manifest = Manifest(
        scalars=dict(state.scalars),
        profile_count=state.profile_count,
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
    """Map the state in ``directory`` read-only, after checking every file's sha256.

    A state in another format is refused before its files are read (its owner rebuilds it).
    """
    manifest = read_manifest(directory)
    if manifest.scalars.get("format") != FORMAT_VERSION:
        found = manifest.scalars.get("format")
        raise StateError(f"state format {found!r}, expected {FORMAT_VERSION}")
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
        state = FittedState(arrays=arrays, scalars=manifest.scalars)
        count = state.profile_count
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise StateError(f"cannot read the state in {directory}: {error}") from error
    if count != manifest.profile_count:
        raise StateError(f"{count} profiles, the manifest says {manifest.profile_count}")
    return state, manifest


def _sha256(path: Path) -> str:
    with path.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()
