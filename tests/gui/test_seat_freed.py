"""The window tells, in plain words, that this device's license was released from the
account on the web (the account console freed its seats), in English and in Polish."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from app.domain.errors import REASON_SEAT_FREED
from app.engine.vocabulary import Notice
from app.gui import texts
from tests.gui.conftest import MakeWindow
from tests.gui.driver import Driver


def _free_and_sync(ui: Driver, account_id: int) -> None:
    device_id = ui.engine.snapshot.device_id
    assert device_id is not None
    assert ui.services.fleet.free(account_id, device_id).seats > 0
    with ui.expect_notice(Notice.SEAT_FREED):
        ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()


def test_a_freed_device_with_a_reserve_is_told_and_offered_its_reserve(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    account_id = ui.sign_in_new_account()
    _current, reserve = ui.license_and_reserve()
    assert "is connected to the account" in ui.text("accountLabel")

    _free_and_sync(ui, account_id)

    assert ui.text("notificationText") == (
        "This device's license was released from your account on the web. To protect it "
        "again, activate your reserve code in License details, or enter another activation "
        "code."
    )
    assert ui.find(QPushButton, "notificationActionButton").text() == "License details"
    assert ui.text("licenseStatusLabel") == "No license"
    assert "is connected to the account" not in ui.text("accountLabel")
    snap = ui.engine.snapshot
    assert snap.reserve is not None
    assert snap.reserve.failure == REASON_SEAT_FREED
    details = ui.open_details()
    assert ui.text("detailsReserveStatusLabel", details) == texts.reserve_status(snap.reserve)
    assert "released from your account on the web" in texts.reserve_status(snap.reserve)
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        ui.click("retryButton", details)  # Try again: the reserve code, activated by hand
    assert ui.engine.snapshot.license is not None
    assert ui.engine.snapshot.license.code_last5 == reserve[-5:]


def test_a_freed_device_is_told_in_polish(make_window: MakeWindow) -> None:
    ui = make_window(language="pl")
    account_id = ui.sign_in_new_account()
    ui.activate(ui.issue())

    _free_and_sync(ui, account_id)

    assert ui.text("notificationText") == (
        "Licencja tego urządzenia została zwolniona z Twojego konta w internecie. Wprowadź "
        "kod aktywacyjny, aby ponownie chronić to urządzenie."
    )
    assert ui.find(QPushButton, "notificationActionButton").text() == "Wprowadź kod aktywacyjny"
