"""Start-up order: the window paints first, then the license is loaded and the server starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.gui import build_main_window, start_main_window
from app.gui.main_window import MainWindow
from tests.gui.driver import WAIT_MS
from tests.servers import RunningServer


def test_work_waits_for_the_first_paint(
    qtbot: QtBot, tmp_path: Path, server: RunningServer
) -> None:
    window = build_main_window(data_dir=tmp_path, server_url=server.url, language="en")
    qtbot.addWidget(window)
    try:
        # Nothing has been started yet: no loading, no state file, no server call.
        assert not window.engine.snapshot.loaded
        assert window.engine.snapshot.busy is None
        assert not (tmp_path / "license.json").exists()

        window.show()
        qtbot.waitUntil(lambda: window.engine.snapshot.loaded, timeout=WAIT_MS)
        assert window.engine.snapshot.device_id
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
                window.engine.snapshot.loaded
                and window.engine.snapshot.busy is None
                and window.engine.snapshot.unreachable is None
            ),
            timeout=WAIT_MS,
        )
        assert not window.isVisible()
        assert window.engine.api.health().status == "ok"
    finally:
        window.shutdown()


def test_the_app_shows_its_frame_first_and_completes_it_after_the_first_paint(
    qtbot: QtBot, tmp_path: Path, server: RunningServer
) -> None:
    """What ``standby`` does: the navigation is on screen before the pages are built."""
    window = start_main_window(data_dir=tmp_path, server_url=server.url, language="en")
    qtbot.addWidget(window)
    try:
        assert window.isVisible()
        assert window.nav.current is window.nav_home
        assert window.pages.count() == 0  # nothing built yet but the frame

        qtbot.waitUntil(lambda: window.pages.count() == 2, timeout=WAIT_MS)
        assert window.pages.currentWidget() is window.home_page
        qtbot.waitUntil(
            lambda: window.engine.snapshot.loaded and window.engine.snapshot.busy is None,
            timeout=WAIT_MS,
        )
        window.nav_profile.click()
        assert window.pages.currentWidget() is window.profile_page
    finally:
        window.shutdown()


def test_closing_before_the_window_is_complete_saves_its_place_and_starts_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = start_main_window(data_dir=tmp_path, language="en")
    qtbot.addWidget(window)
    window.nav.set_current(window.nav_profile)
    window.close()  # before the first paint: no tray yet, so this ends the window

    window._begin()  # what the one-second timer does when no paint came first

    assert window.pages.count() == 0
    assert not (tmp_path / "server").exists()  # the embedded server never started
    settings = (tmp_path / "settings.ini").read_text()
    assert "page=profile" in settings


def test_after_first_paint_runs_on_the_paint_or_at_the_deadline(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    painted = MainWindow(settings)
    qtbot.addWidget(painted)
    calls: list[str] = []
    painted.after_first_paint(lambda: calls.append("painted"), latest_ms=3_600_000)
    assert calls == []
    painted.show()
    qtbot.waitUntil(lambda: calls == ["painted"], timeout=WAIT_MS)

    hidden = MainWindow(settings)
    qtbot.addWidget(hidden)
    hidden.after_first_paint(lambda: calls.append("deadline"), latest_ms=10)
    qtbot.waitUntil(lambda: calls == ["painted", "deadline"], timeout=WAIT_MS)
    assert not hidden.isVisible()


def test_a_window_that_cannot_be_completed_says_so_instead_of_staying_empty(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exits: list[int] = []
    # The app's exit status, caught: ending the test process's QApplication would spoil
    # the tests after this one.
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    (tmp_path / "server").write_text("a file where the embedded server's folder goes")
    window = start_main_window(data_dir=tmp_path, language="en")
    qtbot.addWidget(window)

    def error_box_shown() -> bool:
        box = window.findChild(QMessageBox, "cannotStartDialog")
        return box is not None and box.isVisible()

    qtbot.waitUntil(error_box_shown, timeout=WAIT_MS)
    box = window.findChild(QMessageBox, "cannotStartDialog")
    assert box is not None
    assert box.text() == "Standby could not start"
    assert "reinstall Standby" in box.informativeText()
    assert not window.is_complete
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: exits == [1], timeout=WAIT_MS)
    assert "page=home" in (tmp_path / "settings.ini").read_text()  # shut down properly
