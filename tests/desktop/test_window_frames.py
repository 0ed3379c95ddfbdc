"""Every window and dialog fits the screen with its frame, under a real window manager.

Offscreen (where the other tests run) windows have no frame, so a dialog as tall as the
screen looks fine there and has its title bar above the screen on a desktop. Here Xvfb at
1366×768 runs openbox, and ``frames.py`` opens each window in turn, in English and Polish:
its frame must lie inside the screen's available area, and dragging its title bar with the
pointer must move it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.frames import DRAG
from tests.displays import virtual_screen
from tests.needs import desktop_platform_missing, missing_commands, need

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "Debian: apt-get install xvfb openbox xdotool x11-utils"
WINDOWS = (
    "main window",
    "activation code",
    "sign in",
    "license details",
    "demo codes",
    "about",
    "remove license",
    "log file",
)


@pytest.fixture(scope="module")
def display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    absent = missing_commands("Xvfb", "openbox", "xdotool", "xprop")
    need("window-manager", f"{', '.join(absent)} not found ({INSTALL})" if absent else None)
    need("desktop-platform", desktop_platform_missing())
    said = tmp_path_factory.mktemp("openbox") / "stderr"
    # A new screen and window manager up to three times: once in a while (a busy machine),
    # openbox never comes up on a new Xvfb; the test is about our windows, not that.
    for _attempt in range(3):
        with virtual_screen() as name, said.open("w") as stderr:
            env = {**os.environ, "DISPLAY": name}
            manager = subprocess.Popen(
                ["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL, stderr=stderr
            )
            try:
                if _window_manager_ready(env, manager):
                    yield name
                    return
            finally:
                manager.terminate()
                manager.wait(timeout=10)
    pytest.fail(f"openbox did not start on Xvfb: {said.read_text()[-500:]}")


def _window_manager_ready(env: dict[str, str], manager: subprocess.Popen[bytes]) -> bool:
    """Wait (10 s at most) until openbox tells the screen how many desktops it has."""
    deadline = time.monotonic() + 10
    while manager.poll() is None and time.monotonic() < deadline:
        asked = ["xdotool", "get_num_desktops"]
        if subprocess.run(asked, env=env, capture_output=True, check=False).returncode == 0:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module", params=["en", "pl"])
def windows(
    request: pytest.FixtureRequest, display: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    home = tmp_path_factory.mktemp(f"frames-{request.param}")
    out = home / "frames.json"
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(home),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.desktop.frames", request.param, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {record["name"]: record for record in json.loads(out.read_text())}


def test_every_window_was_opened(windows: dict[str, dict[str, Any]]) -> None:
    assert sorted(windows) == sorted(WINDOWS)


@pytest.mark.parametrize("name", WINDOWS)
def test_each_frame_lies_inside_the_screen(windows: dict[str, dict[str, Any]], name: str) -> None:
    record = windows[name]
    x, y, width, height = record["frame"]
    ax, ay, aw, ah = record["area"]
    assert record["content"][1] > y, "no title bar: the window manager did not frame it"
    assert ax <= x, record
    assert ay <= y, record
    assert x + width <= ax + aw, record
    assert y + height <= ay + ah, record


@pytest.mark.parametrize("name", WINDOWS)
def test_each_title_bar_can_be_grabbed(windows: dict[str, dict[str, Any]], name: str) -> None:
    record = windows[name]
    before, after = record["frame"], record["after_drag"]
    assert (after[0] - before[0], after[1] - before[1]) == DRAG, record
