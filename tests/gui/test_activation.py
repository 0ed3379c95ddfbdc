"""Enter activation code → Save activation code: activated now, or kept as the reserve."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.client import transport
from app.client.transport import Response
from app.domain import codes
from app.engine.vocabulary import Notice
from tests.gui.conftest import MakeWindow
from tests.keyrings import MemoryKeyring

YEAR = 365 * 86400


def test_first_code_activates_and_the_panel_shows_the_license(make_window: MakeWindow) -> None:
    ui = make_window()
    assert ui.text("licenseStatusLabel") == "No license"
    code = ui.issue(365 * 86400, devices=3)

    dialog, outcome = ui.save_code(code.lower().replace("-", " "))

    assert outcome.result.value == "activated"
    assert "Standby is activated" in ui.text("activationCodeResult", dialog)
    assert "covers 3 devices" in ui.text("activationCodeDevicesNote", dialog)
    assert ui.text("licenseStatusLabel") == "Active"
    # The expiry the server recorded, as a date in this computer's time zone.
    expires = datetime.fromisoformat(
        ui.services.operator.code_info(code)["expires_at"]
    ).astimezone()
    assert f"{expires.day} {expires:%B %Y}" in ui.text("licenseExpiryLabel")
    assert "365 days left" in ui.text("licenseExpiryLabel")
    assert ui.text("licenseDevicesLabel") == "1 of 3 devices in use"
    assert not ui.find(QLabel, "reserveCodeLabel").isVisible()
    ui.window.show_home()
    assert ui.text("homeHeadline") == "Your device is protected"


def test_a_second_code_is_saved_as_the_reserve_and_shown_masked(make_window: MakeWindow) -> None:
    ui = make_window()
    ui.activate(ui.issue(30 * 86400))
    reserve = ui.issue(365 * 86400, devices=2)

    dialog, outcome = ui.save_code(reserve)

    assert outcome.result.value == "reserved"
    assert "Saved as your reserve activation code" in ui.text("activationCodeResult", dialog)
    assert "covers 2 devices" in ui.text("activationCodeDevicesNote", dialog)
    assert "on every one of them" in ui.text("activationCodeDevicesNote", dialog)
    masked = codes.mask(reserve)
    assert masked.endswith(reserve[-5:])
    assert ui.text("reserveCodeLabel").startswith(masked)
    assert "takes over on" in ui.text("reserveCodeLabel")
    details = ui.open_details()
    assert ui.text("detailsReserveCodeLabel", details) == masked
    assert (
        ui.text("detailsReserveStatusLabel", details)
        == "Ready: it takes over even with no internet connection"
    )
    # A term of 365 days, not "1 year": a year with a 29 February has 366.
    assert ui.text("detailsReserveTermLabel", details) == "365 days"
    assert ui.text("licenseStatusLabel") == "Active"  # the current license stays as it was


def test_the_input_is_forgiving_and_formats_as_typed(make_window: MakeWindow) -> None:
    ui = make_window()
    code = ui.issue()
    messy = "  " + code.lower().replace("-", "  ").replace("1", "l").replace("0", "o") + " "
    dialog = ui.type_code(messy)
    edit = ui.find(QLineEdit, "activationCodeEdit", dialog)
    assert edit.text() == code
    assert ui.find(QPushButton, "saveActivationCodeButton", dialog).isEnabled()
    assert not ui.find(QLabel, "activationCodeError", dialog).isVisible()


def test_a_mistyped_code_is_caught_before_any_network_call(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ui = make_window()
    code = ui.issue()
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    sent: list[str] = []
    real_request = transport.request

    def recording_request(method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        sent.append(f"{method} {url}")
        return real_request(method, url, *args, **kwargs)

    monkeypatch.setattr(transport, "request", recording_request)
    dialog = ui.type_code(wrong)
    save = ui.find(QPushButton, "saveActivationCodeButton", dialog)
    error = ui.find(QLabel, "activationCodeError", dialog)
    assert not save.isEnabled()
    assert error.isVisible()
    assert "not a valid activation code" in error.text()
    # Enter in the field does not send it either.
    ui.qtbot.keyClick(ui.find(QLineEdit, "activationCodeEdit", dialog), Qt.Key.Key_Return)
    assert sent == []
    assert ui.engine.snapshot.busy is None

    edit = ui.find(QLineEdit, "activationCodeEdit", dialog)
    edit.clear()
    ui.qtbot.keyClicks(edit, "ABCDU")
    assert error.text() == "Activation codes never contain the letter U. Check the code again."
    assert not save.isEnabled()

    edit.clear()
    ui.qtbot.keyClicks(edit, "ABC!D")
    assert "“!” cannot be part of an activation code" in error.text()

    edit.clear()
    ui.qtbot.keyClicks(edit, "ABC")
    assert not error.isVisible()
    assert ui.text("activationCodeHint", dialog) == "3 of 20 characters"
    assert not save.isEnabled()


def test_with_a_reserve_saved_a_new_code_replaces_it_only_if_it_would_be_accepted(
    make_window: MakeWindow, memory_keyring: MemoryKeyring
) -> None:
    """domain.md section 3, Replacing the reserve: the dialog says a reserve is saved, a
    bad code is refused for its own reason and leaves the saved one in place, and a good
    code takes its place in one step."""
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    old = ui.issue(2 * YEAR)
    ui.reserve(old)

    def stored() -> list[str]:  # the codes kept (without their dashes), not the device's key
        entries = memory_keyring.passwords.items()
        return [value for (_service, name), value in entries if name.startswith("reserve-code/")]

    blocked = ui.issue(3 * YEAR)
    ui.services.operator.block_code(blocked)

    dialog = ui.open_code_dialog()
    intro = ui.text("activationCodeIntro", dialog)
    assert "already saved" in intro
    assert codes.mask(old) in intro
    dialog.close()
    for bad, refusal in ((codes.generate(), "code_not_found"), (blocked, "code_blocked")):
        dialog, outcome = ui.save_code(bad)
        assert outcome.failure is not None
        assert outcome.failure.key == refusal
        dialog.close()
        assert ui.text("reserveCodeLabel").startswith(codes.mask(old))
        assert list(stored()) == [codes.normalize(old)]

    better = ui.issue(3 * YEAR)
    dialog, outcome = ui.save_code(better)
    assert outcome.result.value == "reserved"
    assert outcome.replaced_last5 == old[-5:]
    assert f"in place of {codes.mask(old)}" in ui.text("activationCodeResult", dialog)
    dialog.close()
    assert ui.text("reserveCodeLabel").startswith(codes.mask(better))
    assert list(stored()) == [codes.normalize(better)]

    # The new reserve is the one that takes over: removing the license activates it.
    ui.action("removeLicenseAction").trigger()
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        ui.answer_confirm(yes=True)
    assert ui.services.operator.code_info(better)["devices_used"] == 1
    assert ui.services.operator.code_info(old)["devices_used"] == 0
