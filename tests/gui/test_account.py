"""Profile's account block names the device (renamed there, the server learns it at the next
sync), and License details says when the reserve was saved in the account on the web."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.client.state import ReserveSource
from app.engine.account import host_name
from app.engine.vocabulary import Failure, Ours
from app.gui import account_words, texts
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS, Driver


def _name_on_server(ui: Driver, account_id: int) -> str | None:
    (device,) = ui.services.fleet.devices(account_id)
    return device.name


def test_the_device_is_renamed_in_profile_and_the_server_learns_it(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    account_id = ui.sign_in_new_account()
    assert _name_on_server(ui, account_id) == host_name()
    ui.activate(ui.issue())
    ui.window.show_profile()
    edit = ui.find(QLineEdit, "deviceNameEdit")
    save = ui.find(QPushButton, "saveDeviceNameButton")
    assert edit.text() == host_name()
    assert not save.isEnabled()  # nothing to rename yet

    edit.setFocus()
    edit.selectAll()
    ui.qtbot.keyClicks(edit, "Office PC")
    assert save.isEnabled()
    ui.click("saveDeviceNameButton")
    assert ui.engine.snapshot.device_name == "Office PC"
    assert "Renamed" in ui.text("deviceNameNote")
    ui.qtbot.waitUntil(lambda: _name_on_server(ui, account_id) == "Office PC", timeout=WAIT_MS)

    # From the keyboard alone: Enter in the field renames too.
    edit.selectAll()
    ui.qtbot.keyClicks(edit, "Den")
    ui.qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert ui.engine.snapshot.device_name == "Den"
    ui.qtbot.waitUntil(lambda: _name_on_server(ui, account_id) == "Den", timeout=WAIT_MS)
    edit.clear()
    assert not save.isEnabled()  # no name is no name


def _account_reserve(ui: Driver) -> str:
    """The device signed in, with a license, and the account's reserve handed over."""
    account_id = ui.sign_in_new_account()
    ui.activate(ui.issue())
    reserve = ui.issue(2 * 365 * 86400)
    ui.services.account_reserves.save(account_id, reserve)
    ui.action("refreshLicenseAction").trigger()
    ui.qtbot.waitUntil(lambda: ui.engine.snapshot.reserve is not None, timeout=WAIT_MS)
    ui.wait_idle()
    held = ui.engine.snapshot.reserve
    assert held is not None
    assert held.source is ReserveSource.ACCOUNT
    return reserve


def test_license_details_says_the_reserve_came_from_the_account(make_window: MakeWindow) -> None:
    ui = make_window()
    reserve = _account_reserve(ui)
    said = "Saved for all your devices in your account on the web."
    assert said in ui.text("reserveCodeLabel")
    details = ui.open_details()
    assert ui.text("detailsReserveCodeLabel", details).endswith(reserve[-5:])
    source = ui.find(QLabel, "detailsReserveSourceLabel", details)
    assert source.isVisible()
    assert source.text() == said


def test_in_polish_the_account_words_are_polish(make_window: MakeWindow) -> None:
    ui = make_window(language="pl")
    _account_reserve(ui)
    details = ui.open_details()
    assert ui.text("detailsReserveSourceLabel", details) == (
        "Zapisany dla wszystkich urządzeń na Twoim koncie w internecie."
    )
    ui.window.show_profile()
    assert ui.find(QPushButton, "saveDeviceNameButton").text() == "Zmień nazwę"


def test_the_accounts_reserve_without_its_hold_is_told_in_plain_words(qtbot: QtBot) -> None:
    # In the language loaded last:
    said = texts.failure_words(Failure(ours=Ours.ACCOUNT_RESERVE_GONE))
    assert said == account_words.account_reserve_gone()
    assert said != texts.failure_words(Failure(ours=Ours.LOCAL_PROBLEM))
