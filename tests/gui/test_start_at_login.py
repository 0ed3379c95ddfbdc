"""*Start Standby when I log in*: on by default once a license is active, then the user's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from tests.gui.conftest import MakeWindow
from tests.needs import need

YEAR = 365 * 86400


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


def test_an_active_license_turns_it_on_and_the_entry_starts_the_engine(
    make_window: MakeWindow, config_home: Path
) -> None:
    ui = make_window()
    ui.window.show_profile()
    switch = ui.find(QCheckBox, "startAtLoginSwitch")
    entry = config_home / "autostart" / "standby.desktop"
    assert not switch.isChecked()
    assert not entry.exists()
    ui.activate(ui.issue(YEAR))
    assert switch.isChecked()
    text = entry.read_text()
    assert "--background" in text
    assert str(ui.data_dir) in text
    validator = shutil.which("desktop-file-validate")
    need("desktop-file-utils", None if validator else "apt-get install desktop-file-utils")
    assert validator is not None
    checked = subprocess.run([validator, str(entry)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_switched_off_it_stays_off_after_a_restart(
    make_window: MakeWindow, config_home: Path
) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    ui.window.show_profile()
    switch = ui.find(QCheckBox, "startAtLoginSwitch")
    entry = config_home / "autostart" / "standby.desktop"
    assert entry.exists()
    switch.setFocus()
    switch.click()  # what Space does on the focused switch
    assert not switch.isChecked()
    assert not entry.exists()
    ui.window.shutdown()
    again = make_window(ui.data_dir)
    again.window.show_profile()
    assert again.engine.snapshot.license is not None
    assert not again.find(QCheckBox, "startAtLoginSwitch").isChecked()
    assert not entry.exists()


def test_a_folder_it_cannot_write_is_said_and_the_switch_stays_off(
    make_window: MakeWindow, config_home: Path
) -> None:
    config_home.mkdir()
    (config_home / "autostart").write_text("a file where the folder should be")
    ui = make_window()
    ui.window.show_profile()
    switch = ui.find(QCheckBox, "startAtLoginSwitch")
    switch.click()
    assert not switch.isChecked()
    assert "could not change what starts" in ui.text("startAtLoginError")


def test_an_entry_that_starts_another_device_is_said_and_never_taken_unasked(
    make_window: MakeWindow, config_home: Path, tmp_path: Path
) -> None:
    from app.engine.autostart import Autostart, launch_command

    other = tmp_path / "another device"
    Autostart(launch_command(data_dir=other, server_url="https://licenses.example")).enable()
    entry = config_home / "autostart" / "standby.desktop"
    theirs = entry.read_text()
    ui = make_window()
    ui.activate(ui.issue(YEAR))  # an active license would turn it on: not over another's entry
    ui.window.show_profile()
    switch = ui.find(QCheckBox, "startAtLoginSwitch")
    assert not switch.isChecked()
    assert entry.read_text() == theirs
    said = ui.text("startAtLoginOther")
    assert str(other) in said
    assert "https://licenses.example" in said
    assert ui.find(QPushButton, "startAtLoginHere").isVisible()

    ui.click("startAtLoginHere")
    assert switch.isChecked()
    assert str(ui.data_dir) in entry.read_text()
    assert str(other) not in entry.read_text()
    assert not ui.find(QLabel, "startAtLoginOther").isVisible()
    assert not ui.find(QPushButton, "startAtLoginHere").isVisible()
    ui.window.shutdown()
    again = make_window(ui.data_dir)  # and after a restart, it is this device's
    again.window.show_profile()
    assert again.find(QCheckBox, "startAtLoginSwitch").isChecked()


def test_the_same_device_against_another_server_is_another_device(
    make_window: MakeWindow, config_home: Path
) -> None:
    from app.engine.autostart import Autostart, launch_command

    ui = make_window()
    ui.window.shutdown()
    Autostart(launch_command(data_dir=ui.data_dir, server_url="http://127.0.0.1:9")).enable()
    again = make_window(ui.data_dir)
    again.window.show_profile()
    assert not again.find(QCheckBox, "startAtLoginSwitch").isChecked()
    assert "http://127.0.0.1:9" in again.text("startAtLoginOther")
