"""Atomic file writes: a kill at any moment leaves the old file or the new one, never half;
and a last good copy beside a file that must survive damage done to it later."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            os.chmod(temp, mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def copy_of(path: Path) -> Path:
    """Where the last good copy of ``path`` is kept: beside it."""
    return path.with_name(f"{path.name}.bak")


def write_with_copy(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``path``, then its copy, each atomically: whatever damages one file later (a
    disk, a sync tool, a person), the other still holds the last state written whole."""
    atomic_write(path, data, mode)
    atomic_write(copy_of(path), data, mode)
