"""The window as a whole: keyboard access, Polish, the embedded server and its demo codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
)

from app.domain import codes
from app.domain.errors import ErrorCode
from app.engine.vocabulary import Failure, Notice
from app.gui import texts, theme
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS

YEAR = 365 * 86400


def test_everything_is_reachable_by_keyboard(make_window: MakeWindow) -> None:
    ui = make_window()
    ui.window.activateWindow()
    ui.qtbot.keyClick(ui.window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert ui.window.pages.currentWidget() is ui.window.profile_page

    # Tab walks to the three-dots button, and Space opens its menu.
    button = ui.find(QToolButton, "licenseMenuButton")
    assert button.accessibleName() == "License options"
    ui.window.nav_profile.setFocus()
    for _ in range(20):
        if QApplication.focusWidget() is button:
            break
        ui.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is button
    menu = ui.find(QMenu, "licenseMenu")
    seen: list[list[str]] = []

    def look_and_close() -> None:
        seen.append([a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()])
        menu.close()

    QTimer.singleShot(200, look_and_close)
    ui.qtbot.keyClick(button, Qt.Key.Key_Space)
    ui.qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen[0][:2] == ["Enter activation code", "License details"]

    # Ctrl+E opens Enter activation code; Enter saves.
    code = ui.issue(YEAR)
    ui.qtbot.keyClick(ui.window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = ui.visible_dialog("activationCodeDialog")
    edit = ui.find(QLineEdit, "activationCodeEdit", dialog)
    ui.qtbot.waitUntil(lambda: QApplication.focusWidget() is edit, timeout=WAIT_MS)
    ui.qtbot.keyClicks(edit, code)
    with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=WAIT_MS):
        ui.qtbot.keyClick(edit, Qt.Key.Key_Return)
    ui.wait_idle()
    assert ui.text("licenseStatusLabel") == "Active"


def test_the_license_shortcuts_work_from_every_page(make_window: MakeWindow) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    ui.window.activateWindow()
    ui.qtbot.waitUntil(lambda: QApplication.activeWindow() is ui.window, timeout=WAIT_MS)
    for key, dialog_name in (
        (Qt.Key.Key_E, "activationCodeDialog"),
        (Qt.Key.Key_I, "licenseDetailsDialog"),
    ):
        ui.window.show_home()
        ui.qtbot.keyClick(ui.window, key, Qt.KeyboardModifier.ControlModifier)
        dialog = ui.visible_dialog(dialog_name)
        assert ui.window.pages.currentWidget() is ui.window.profile_page
        dialog.close()
        assert not dialog.isVisible()
    ui.window.show_home()
    with ui.qtbot.waitSignal(ui.engine.changed, timeout=WAIT_MS):  # F5 asks the server now
        ui.qtbot.keyClick(ui.window, Qt.Key.Key_F5)


def test_polish_window(make_window: MakeWindow) -> None:
    ui = make_window(language="pl")
    assert ui.window.nav_profile.text() == "Profil"
    assert ui.text("licenseStatusLabel") == "Brak licencji"
    assert ui.action("enterActivationCodeAction").text() == "Wprowadź kod aktywacyjny"
    assert ui.action("licenseDetailsAction").text() == "Szczegóły licencji"

    ui.activate(ui.issue(YEAR))
    assert ui.text("licenseStatusLabel") == "Aktywna"
    assert "dni" in ui.text("licenseExpiryLabel")
    dialog, outcome = ui.save_code(ui.issue(YEAR, app_versions=">=9"))
    assert outcome.failure is not None
    assert outcome.failure.error is ErrorCode.INCOMPATIBLE_VERSION
    message = ui.text("activationCodeError", dialog)
    assert message == texts.failure_words(Failure(ErrorCode.INCOMPATIBLE_VERSION))
    assert "wersją" in message
    dialog.close()
    ui.reserve(ui.issue(2 * YEAR))
    details = ui.open_details()
    assert details.windowTitle() == "Szczegóły licencji"
    assert (
        ui.text("detailsReserveStatusLabel", details)
        == "Gotowy: przejmie ochronę nawet bez połączenia z internetem"
    )
    details.close()

    ui.action("removeLicenseAction").trigger()
    box = ui.confirm_box()
    assert box.windowTitle() == "Usunąć licencję?"
    assert ui.find(QPushButton, "confirmNoButton", box).text() == "Anuluj"  # Qt's own, in Polish
    ui.answer_confirm(yes=False)


def test_fourteen_days_before_expiry_without_a_reserve_the_user_is_warned(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    with ui.expect_notice(Notice.EXPIRING_NO_RESERVE):
        ui.activate(ui.issue(10 * 86400))
    assert ui.text("licenseStatusLabel") == "Expires soon"
    banner = ui.find(QLabel, "notificationText")
    assert "ends soon (10 days left)" in banner.text()
    ui.window.show_home()
    assert ui.text("homeHeadline") == "Your license ends soon"
    assert ui.window.home_page.view.tone == "warn"
    ui.click("homeActionButton")  # "Enter activation code" opens it, from Home
    dialog = ui.visible_dialog("activationCodeDialog")
    dialog.close()
    ui.qtbot.waitUntil(lambda: not ui.dialog_is_open("activationCodeDialog"), timeout=WAIT_MS)

    ui.reserve(ui.issue(YEAR))  # the advice was followed: the warning goes away
    assert ui.find(QFrame, "notificationBanner").isHidden()
    ui.window.show_home()
    # A reserve that takes over is good news: nothing to fix, the device stays protected.
    assert ui.text("homeHeadline") == "Your device stays protected"
    assert ui.window.home_page.view.tone == "ok"
    assert ui.find(QPushButton, "homeActionButton").text() == "Manage license"
    ui.click("homeActionButton")
    assert ui.window.pages.currentWidget() is ui.window.profile_page


def test_a_license_that_ends_with_no_reserve_says_so(make_window: MakeWindow) -> None:
    ui = make_window()
    with ui.expect_notice(Notice.LICENSE_EXPIRED):
        ui.activate(ui.issue(3))
    ui.window.show_profile()
    assert ui.text("licenseStatusLabel") == "Expired"
    assert "has expired" in ui.find(QLabel, "notificationText").text()
    assert ui.find(QPushButton, "notificationActionButton").text() == "Enter activation code"
    assert not ui.find(QLabel, "licenseExpiryLabel").text().endswith(")")  # no "time left"


def test_embedded_server_and_demo_codes(make_window: MakeWindow) -> None:
    ui = make_window(embedded=True)
    assert ui.window.embedded is not None
    assert ui.engine.snapshot.checked_at is not None  # it answered the status sync
    ui.window.open_demo_codes()
    dialog = ui.visible_dialog("demoCodesDialog")
    ui.qtbot.waitUntil(lambda: "short" in dialog.codes, timeout=WAIT_MS)  # type: ignore[attr-defined]
    shown = {
        key: ui.text(f"demoCode_{key}", dialog)
        for key in ("short", "year", "three_devices", "account")
    }
    assert all(codes.is_valid(code) for code in shown.values())
    assert "password" in ui.text("demoAccountLabel", dialog)
    dialog.close()

    before = datetime.now(UTC)
    ui.activate(shown["short"])
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert timedelta(minutes=2) < lic.expires_at - before <= timedelta(minutes=3, seconds=5)
    ui.reserve(shown["year"])
    assert ui.text("reserveCodeLabel").startswith(codes.mask(shown["year"]))


def test_the_theme_follows_a_switch_to_dark(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ui = make_window()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    monkeypatch.setenv("STANDBY_THEME", "dark")  # what the system now says
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    window_colour = app.palette().color(QPalette.ColorRole.Window)
    assert window_colour.name() == theme.DARK.window
    monkeypatch.setenv("STANDBY_THEME", "light")
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert app.palette().color(QPalette.ColorRole.Window).name() == theme.LIGHT.window
    assert ui.window.isVisible()


def test_a_closed_dialog_keeps_nothing_typed_into_it(make_window: MakeWindow) -> None:
    ui = make_window()
    dialog = ui.type_code(ui.issue(YEAR))
    dialog.close()
    ui.qtbot.waitUntil(
        lambda: not ui.window.findChildren(QDialog, "activationCodeDialog"), timeout=WAIT_MS
    )


def test_demo_codes_open_once(make_window: MakeWindow) -> None:
    ui = make_window(embedded=True)
    first = ui.window.open_demo_codes()
    assert ui.window.open_demo_codes() is first
    ui.qtbot.waitUntil(lambda: "short" in first.codes, timeout=WAIT_MS)  # type: ignore[attr-defined]
    first.close()
    ui.qtbot.waitUntil(
        lambda: not ui.window.findChildren(QDialog, "demoCodesDialog"), timeout=WAIT_MS
    )


def test_after_the_help_menu_only_the_page_shown_looks_selected(make_window: MakeWindow) -> None:
    ui = make_window()
    ui.window.activateWindow()
    ui.window.show_profile()
    help_button = ui.window.help_button
    QTimer.singleShot(200, ui.window.help_menu.close)
    ui.qtbot.mouseClick(help_button, Qt.MouseButton.LeftButton)  # opens its menu
    ui.qtbot.waitUntil(lambda: not ui.window.help_menu.isVisible(), timeout=WAIT_MS)
    entries = ui.window.nav.findChildren(QPushButton)
    assert [e.objectName() for e in entries if e.property("current")] == ["navProfile"]
    assert ui.window.focusWidget() is ui.window.nav_profile  # no focus ring on Help
