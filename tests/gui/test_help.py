"""Help: the log file (opened, or where it is when nothing can open it) and About."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QPushButton

from app import logs
from app.gui.opener import Failed
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS
from tests.servers import RunningServer


def test_help_opens_the_log_file(make_window: MakeWindow) -> None:
    ui = make_window()
    opened: list[Path] = []
    # The desktop's viewer is not ours to start: record what would be shown.
    ui.window.open_file = lambda path, _parent, _failed: opened.append(path)
    ui.action("openLogAction").trigger()  # nothing written yet: the window says so
    box = ui.find(QMessageBox, "noLogDialog")
    assert box.isVisible()
    box.close()
    path = logs.setup(ui.data_dir)
    try:
        logging.getLogger("standby.test").info("a line for the log")
        ui.action("openLogAction").trigger()
    finally:
        logs.close()
    assert path is not None
    assert opened == [path]
    assert "a line for the log" in path.read_text()


def test_when_nothing_opens_the_log_file_the_window_says_where_it_is(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A desktop with no program for text files: the real xdg-open, with no desktop, no
    # browser and a home of its own, answers "no method available" (or there is no xdg-open
    # at all); either way the window must say so.
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "none"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    ui = make_window()
    path = logs.setup(ui.data_dir)
    logs.close()
    assert path is not None
    ui.action("openLogAction").trigger()
    ui.qtbot.waitUntil(lambda: ui.dialog_is_open("logFileDialog"), timeout=WAIT_MS)
    dialog = ui.visible_dialog("logFileDialog")
    shown = ui.find(QLineEdit, "logFilePath", dialog)
    assert shown.text() == str(path)
    assert shown.isReadOnly()
    ui.click("logFileCopyButton", dialog)
    assert QGuiApplication.clipboard().text() == str(path)
    assert ui.find(QPushButton, "logFileCopyButton", dialog).text() == "Copied"
    assert dialog.isVisible()  # copying does not close it
    ui.click("logFileCloseButton", dialog)
    ui.qtbot.waitUntil(
        lambda: not ui.window.findChildren(QDialog, "logFileDialog"), timeout=WAIT_MS
    )


def test_about_has_one_button_to_close_it(make_window: MakeWindow) -> None:
    ui = make_window()
    ui.action("aboutAction").trigger()
    box = ui.find(QMessageBox, "aboutDialog")
    ui.qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    closing = [
        b.text().replace("&", "")
        for b in box.buttons()
        if box.buttonRole(b) != QMessageBox.ButtonRole.ActionRole
    ]
    assert closing == ["OK"]
    assert [
        b.text() for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole
    ] == ["Open the log file"]
    box.close()


def test_help_opens_the_account_on_the_web(make_window: MakeWindow, server: RunningServer) -> None:
    ui = make_window()
    action = ui.action("accountWebAction")
    assert action.text() == "Your account on the web"
    assert action.isEnabled()
    assert action in ui.window.help_menu.actions()
    asked: list[tuple[str, Failed]] = []
    # The browser is not ours to start: record the address it would be asked to show.
    ui.window.open_url = lambda url, _parent, failed: asked.append((url, failed))
    action.trigger()
    assert [url for url, _failed in asked] == [f"{server.url}/account/"]

    # No browser could be started: the window gives the address, to copy.
    url, failed = asked[0]
    failed("no method available")
    ui.qtbot.waitUntil(lambda: ui.dialog_is_open("accountWebDialog"), timeout=WAIT_MS)
    dialog = ui.visible_dialog("accountWebDialog")
    shown = ui.find(QLineEdit, "accountWebAddress", dialog)
    assert shown.text() == url
    assert shown.isReadOnly()
    ui.click("accountWebCopyButton", dialog)
    assert QGuiApplication.clipboard().text() == url
    ui.click("accountWebCloseButton", dialog)
    ui.qtbot.waitUntil(
        lambda: not ui.window.findChildren(QDialog, "accountWebDialog"), timeout=WAIT_MS
    )


def test_the_account_entry_is_in_polish_too(make_window: MakeWindow) -> None:
    ui = make_window(language="pl")
    assert ui.action("accountWebAction").text() == "Twoje konto w internecie"
