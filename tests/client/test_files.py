"""Writes are all or nothing: a failure half-way leaves the previous file as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.client.files import atomic_write


def test_a_write_replaces_the_file_with_private_permissions(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    atomic_write(target, b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_a_write_that_fails_midway_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state.json"
    atomic_write(target, b"old")

    def power_cut(_src: object, _dst: object) -> None:
        raise OSError("the machine stopped here")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="stopped"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left


WRITER = """
import json, sys
from pathlib import Path
from app.client.files import atomic_write
target = Path(sys.argv[1])
n = 0
while True:
    n += 1
    atomic_write(target, json.dumps({"n": n, "padding": "x" * 200_000}).encode())
    if n == 3:
        print("writing", flush=True)
"""


def test_a_process_killed_while_writing_leaves_a_whole_file(tmp_path: Path) -> None:
    import json
    import signal
    import subprocess
    import sys

    target = tmp_path / "state.json"
    for round_number in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target)],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert child.stdout is not None
        assert child.stdout.readline() == b"writing\n"  # it is in its write loop now
        for _ in range(round_number * 3):  # vary where in a write the kill lands
            target.stat()
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        state = json.loads(target.read_text())  # never half a file
        assert state["n"] >= 3
        assert state["padding"] == "x" * 200_000
