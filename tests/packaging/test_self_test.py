"""``standby --self-test`` from source: the same checks a bundle runs on itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.needs import desktop_platform_missing, need

ROOT = Path(__file__).resolve().parents[2]


def run_self_test(tmp_path: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.update(
        # No OS keyring: the reserve code goes to the private file, and a developer's own
        # keyring is never written to by the test.
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        TMPDIR=str(tmp_path),
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    command = [sys.executable, "-m", "app", "--self-test"]
    if code is not None:
        command = [sys.executable, "-c", code]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_self_test_passes_without_a_display_and_cleans_up(tmp_path: Path) -> None:
    need("desktop-platform", desktop_platform_missing())
    result = run_self_test(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("self-test passed: 10 checks")
    for check in (
        "files",
        "embedded server",
        "account console",
        "activation",
        "signature",
        "reserve code",
    ):
        assert any(line.startswith(f"ok    {check}:") for line in lines), check
    takeover = next(line for line in lines if line.startswith("ok    takeover:"))
    assert "activated itself" in takeover
    assert "private file" in result.stdout  # no keyring here, and it says so
    # Its temporary data folder is gone, no start-at-login entry names it, and no code is
    # printed whole.
    assert not list(tmp_path.glob("standby-self-test-*"))
    assert not (tmp_path / "config" / "autostart").exists()
    assert "…" in result.stdout


def test_a_missing_data_file_fails_the_self_test_with_its_name(tmp_path: Path) -> None:
    """What a bundle without its icons or translations would print: FAIL and exit 1."""
    empty = tmp_path / "resources"
    empty.mkdir()
    code = (
        "import pathlib, app.gui.resources as r;"
        f"r.resource_dir = lambda: pathlib.Path({str(empty)!r});"
        "from app.__main__ import main; raise SystemExit(main(['--self-test']))"
    )

    result = run_self_test(tmp_path, code)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL  files: no icons in" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("self-test FAILED after 0 passed checks")
