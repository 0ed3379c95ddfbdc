"""Start-up order: the window paints first, then the license is loaded and the server starts."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.gui import build_main_window
from tests.gui.driver import WAIT_MS
from tests.servers import RunningServer


def test_work_waits_for_the_first_paint(
    qtbot: QtBot, tmp_path: Path, server: RunningServer
) -> None:
    window = build_main_window(data_dir=tmp_path, server_url=server.url, language="en")
    qtbot.addWidget(window)
    try:
        # Nothing has been started yet: no loading, no state file, no server call.
        assert not window.controller.snapshot.loaded
        assert window.controller.snapshot.busy is None
        assert not (tmp_path / "license.json").exists()

        window.show()
        qtbot.waitUntil(lambda: window.controller.snapshot.loaded, timeout=WAIT_MS)
        assert window.controller.snapshot.device_id
    finally:
        window.shutdown()


def test_a_window_never_shown_still_loads_and_starts_its_server(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Started hidden (say, straight to the tray), the app must not wait for a paint."""
    window = build_main_window(data_dir=tmp_path, language="en")
    qtbot.addWidget(window)
    try:
        assert window.embedded is not None
        qtbot.waitUntil(
            lambda: (
                window.controller.snapshot.loaded
                and window.controller.snapshot.busy is None
                and window.controller.snapshot.unreachable is None
            ),
            timeout=WAIT_MS,
        )
        assert not window.isVisible()
        assert window.controller.api.health()["status"] == "ok"
    finally:
        window.shutdown()
