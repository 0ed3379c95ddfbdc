"""The reserve code takes over by itself: at expiry, on removal, on Activate now, on Try again.

A license ends when the test moves the time on past its end (:func:`tests.gui.conftest.clock`,
which the server of this module reads too), not after real seconds a slow machine might
spend before the reserve is even saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.client.state import ReserveStatus
from app.domain.errors import ErrorCode
from app.engine.vocabulary import Failure, Notice
from app.gui import texts
from app.server.services import Services
from tests.clocks import MovableClock
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS, Driver
from tests.server.helpers import activate, error_of, new_device
from tests.servers import RunningServer, held_rows, services_for

YEAR = 365 * 86400

pytestmark = pytest.mark.usefixtures("clock")  # each test starts at this computer's time


@pytest.fixture(scope="module")
def server(clocked_server: RunningServer) -> RunningServer:
    return clocked_server


@pytest.fixture(scope="module")
def services(server: RunningServer) -> Iterator[Services]:
    with services_for(server.db_url) as on_its_database:
        yield on_its_database


def wait_notice(ui: Driver, notice: Notice) -> None:
    with ui.expect_notice(notice):
        pass


def license_with_reserve(ui: Driver, reserve: str) -> str:
    current = ui.issue(YEAR)
    ui.activate(current)
    ui.reserve(reserve)
    return current


def end_the_license(ui: Driver, clock: MovableClock) -> None:
    """Time moves on to a second after the current license's end, at once."""
    lic = ui.engine.snapshot.license
    assert lic is not None
    clock.move(lic.expires_at - clock.now() + timedelta(seconds=1))


def reserve_fails_for_want_of_a_seat(
    ui: Driver, server: RunningServer, clock: MovableClock
) -> tuple[str, str]:
    """A license whose reserve's held seat is freed from elsewhere and taken by another
    device before it ends; the reserve code and that other device's license (to give the
    seat back with). The other device starts the code's term: it lasts past the license,
    and past one more."""
    reserve = ui.issue(3 * YEAR)
    license_with_reserve(ui, reserve)
    ui.lose_hold()
    taken = activate(server, reserve, new_device())
    assert taken.status_code == 201
    with ui.expect_notice(Notice.RESERVE_FAILED):
        end_the_license(ui, clock)
    ui.wait_idle()
    return reserve, str(taken.json()["license"])


def test_at_expiry_the_reserve_code_activates_by_itself(
    make_window: MakeWindow, clock: MovableClock
) -> None:
    ui = make_window()
    reserve = ui.issue(YEAR)
    license_with_reserve(ui, reserve)
    current = ui.engine.snapshot.license
    assert current is not None
    assert ui.engine.snapshot.reserve is not None
    assert held_rows(ui.services, reserve) == 1
    # Time moves on to a second before the end: the engine notices, and its own timer
    # wakes it at the end.
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        clock.move(current.expires_at - clock.now() - timedelta(seconds=1))
    assert clock.now() >= current.expires_at  # not before
    # The server's time agrees: it confirms the seat it held for the reserve until now.
    ui.qtbot.waitUntil(lambda: held_rows(ui.services, reserve) == 0, timeout=WAIT_MS)

    snap = ui.engine.snapshot
    assert snap.license is not None
    assert snap.license.code_last5 == reserve[-5:]
    assert snap.reserve is None
    assert ui.text("licenseStatusLabel") == "Active"
    assert not ui.find(QLabel, "reserveCodeLabel").isVisible()
    banner = ui.find(QLabel, "notificationText")
    assert banner.isVisible()
    assert "reserve activation code has been activated" in banner.text()


def test_removing_the_license_hands_over_to_the_reserve(make_window: MakeWindow) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    reserve = ui.issue(2 * YEAR)
    ui.reserve(reserve)

    ui.action("removeLicenseAction").trigger()
    assert "reserve code then activates by itself" in ui.confirm_box().informativeText()
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        ui.answer_confirm(yes=True)

    assert ui.engine.snapshot.license is not None
    assert ui.engine.snapshot.license.code_last5 == reserve[-5:]


def test_remove_license_can_be_called_off(make_window: MakeWindow, server: RunningServer) -> None:
    ui = make_window()
    code = ui.issue(YEAR)
    ui.activate(code)
    ui.action("removeLicenseAction").trigger()
    ui.answer_confirm(yes=False)
    ui.wait_idle()
    # The server still holds this device's seat: no other device can take the one seat,
    # and the status the server confirms next is still this license.
    assert ui.services.operator.code_info(code)["devices_used"] == 1
    assert error_of(activate(server, code, new_device())) == "device_limit_reached"
    with ui.qtbot.waitSignal(ui.engine.changed, timeout=WAIT_MS):
        ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    assert ui.engine.snapshot.license is not None
    assert ui.engine.snapshot.license.code_last5 == code[-5:]
    assert ui.text("licenseStatusLabel") == "Active"


def test_without_a_reserve_removing_leaves_no_license_and_frees_the_seat(
    make_window: MakeWindow, server: RunningServer
) -> None:
    ui = make_window()
    code = ui.issue(YEAR)
    ui.activate(code)
    ui.action("removeLicenseAction").trigger()
    with ui.qtbot.waitSignal(ui.engine.removeFinished, timeout=WAIT_MS):
        ui.answer_confirm(yes=True)
    ui.wait_idle()
    assert ui.text("licenseStatusLabel") == "No license"
    assert ui.text("notificationText") == "The license was removed from this device."
    assert activate(server, code, new_device()).status_code == 201  # the one seat is free again


def test_a_blocked_license_switches_to_the_reserve_with_activate_now(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    current, reserve = ui.license_and_reserve()
    ui.services.operator.block_code(current)

    with ui.expect_notice(Notice.LICENSE_BLOCKED):
        ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    assert ui.text("licenseStatusLabel") == "Blocked"
    details = ui.open_details()
    assert not ui.find(QPushButton, "retryButton", details).isVisible()

    held = ui.engine.snapshot.reserve
    assert held is not None
    assert held.held  # its license signed ahead starts when the blocked one would end
    pressed = datetime.now(UTC).replace(microsecond=0)
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        ui.click("activateNowButton", details)

    assert ui.text("licenseStatusLabel") == "Active"
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert lic.code_last5 == reserve[-5:]
    # Moved through the server: the license starts now, and runs its whole term from now.
    assert pressed <= lic.starts_at <= datetime.now(UTC)
    assert lic.expires_at - lic.starts_at == timedelta(seconds=2 * YEAR)
    assert not lic.held
    facts = ui.services.operator.code_info(reserve)
    assert (facts["devices_used"], facts["devices_held"]) == (1, 0)
    assert not ui.find(QPushButton, "activateNowButton", details).isVisible()
    assert ui.text("detailsReserveCodeLabel", details) == ""


def test_a_reserve_blocked_days_ahead_is_told_at_the_next_sync_and_loses_its_hold(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    _current, reserve = ui.license_and_reserve()
    assert ui.services.operator.code_info(reserve)["devices_held"] == 1
    ui.services.operator.block_code(reserve)
    with ui.expect_notice(Notice.RESERVE_AT_RISK):
        ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    snap = ui.engine.snapshot
    assert snap.reserve is not None
    assert snap.reserve.status is ReserveStatus.FAILED
    assert snap.reserve.failure == ErrorCode.CODE_BLOCKED.value
    assert not snap.reserve.held
    assert ui.services.operator.code_info(reserve)["devices_used"] == 0  # the hold is gone
    details = ui.open_details()
    status = ui.text("detailsReserveStatusLabel", details)
    assert texts.failure_words(Failure(ErrorCode.CODE_BLOCKED)) in status


def test_a_failed_activation_waits_for_try_again(
    make_window: MakeWindow, server: RunningServer, clock: MovableClock
) -> None:
    ui = make_window()
    reserve, taken = reserve_fails_for_want_of_a_seat(ui, server, clock)

    snap = ui.engine.snapshot
    assert snap.reserve is not None
    assert snap.reserve.status is ReserveStatus.FAILED
    assert snap.reserve.failure == ErrorCode.DEVICE_LIMIT_REACHED.value
    assert ui.text("licenseStatusLabel") == "Expired"
    details = ui.open_details()
    status = ui.text("detailsReserveStatusLabel", details)
    assert status.startswith("Activation failed")
    assert texts.failure_words(Failure(ErrorCode.DEVICE_LIMIT_REACHED)) in status
    assert ui.find(QLabel, "notificationText").isVisible()

    # The other device gives the seat back; Try again now succeeds.
    assert server.post("/deactivations", {"license": taken}).ok
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        ui.click("retryButton", details)
    assert ui.text("licenseStatusLabel") == "Active"
    assert not ui.find(QPushButton, "retryButton", details).isVisible()
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert lic.code_last5 == reserve[-5:]


def test_a_reserve_that_needs_an_account_asks_for_sign_in_when_saved(
    make_window: MakeWindow, clock: MovableClock
) -> None:
    """Its license is signed ahead, to be installed with no server to ask: the account it
    needs is asked for when it is saved, not at the expiry instant."""
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    reserve = ui.issue(YEAR, requires_account=True)
    ui.services.accounts.create("reserve-owner@example.com", "correct horse battery")
    dialog, outcome = ui.save_code(reserve)
    assert outcome.failure is not None
    assert outcome.failure.error is ErrorCode.ACCOUNT_REQUIRED
    ui.click("activationSignInButton", dialog)
    sign_in = ui.visible_dialog("signInDialog")
    ui.qtbot.keyClicks(ui.find(QLineEdit, "signInEmailEdit", sign_in), "reserve-owner@example.com")
    ui.qtbot.keyClicks(ui.find(QLineEdit, "signInPasswordEdit", sign_in), "wrong password")
    with ui.qtbot.waitSignal(ui.engine.signInFinished, timeout=WAIT_MS):
        ui.click("signInSubmitButton", sign_in)
    assert ui.text("signInError", sign_in) == texts.failure_words(Failure(ErrorCode.UNAUTHORIZED))

    password = ui.find(QLineEdit, "signInPasswordEdit", sign_in)
    password.clear()
    ui.qtbot.keyClicks(password, "correct horse battery")
    with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=WAIT_MS) as saved:
        ui.click("signInSubmitButton", sign_in)
    assert saved.args[0].result.value == "reserved"
    assert not ui.dialog_is_open("signInDialog")
    assert "reserve-owner@example.com" in ui.text("accountLabel")
    snap = ui.engine.snapshot
    assert snap.reserve is not None
    assert snap.reserve.held
    ui.wait_idle()
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        end_the_license(ui, clock)
    assert ui.engine.snapshot.license is not None
    assert ui.engine.snapshot.license.code_last5 == reserve[-5:]


def test_account_required_when_saving_offers_sign_in_and_saves_again(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    code = ui.issue(YEAR, requires_account=True)
    ui.services.accounts.create("buyer@example.com", "another good password")
    dialog, outcome = ui.save_code(code)
    assert outcome.failure is not None
    assert outcome.failure.error is ErrorCode.ACCOUNT_REQUIRED
    ui.click("activationSignInButton", dialog)
    sign_in = ui.visible_dialog("signInDialog")
    ui.qtbot.keyClicks(ui.find(QLineEdit, "signInEmailEdit", sign_in), "buyer@example.com")
    ui.qtbot.keyClicks(ui.find(QLineEdit, "signInPasswordEdit", sign_in), "another good password")
    with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=WAIT_MS) as saved:
        ui.click("signInSubmitButton", sign_in)
    assert saved.args[0].result.value == "activated"
    assert ui.text("licenseStatusLabel") == "Active"


def test_a_license_that_expired_while_the_app_was_closed_is_renewed_at_start(
    make_window: MakeWindow, tmp_path: Path, clock: MovableClock
) -> None:
    folder = tmp_path / "device"
    ui = make_window(folder)
    reserve = ui.issue(YEAR)
    license_with_reserve(ui, reserve)
    ui.window.shutdown()  # closed before the license ends
    ui.window.close()
    end_the_license(ui, clock)

    again = make_window(folder, wait=False)
    wait_notice(again, Notice.RESERVE_ACTIVATED)
    renewed = again.engine.snapshot.license
    assert renewed is not None
    assert renewed.code_last5 == reserve[-5:]
    assert again.engine.snapshot.reserve is None


def test_after_a_failure_the_reserve_follows_a_newly_activated_license(
    make_window: MakeWindow, server: RunningServer, clock: MovableClock
) -> None:
    ui = make_window()
    reserve, taken = reserve_fails_for_want_of_a_seat(ui, server, clock)
    details = ui.open_details()
    assert ui.find(QPushButton, "retryButton", details).isVisible()
    assert server.post("/deactivations", {"license": taken}).ok

    # Instead of Try again, the user activates another code: the reserve is checked again
    # against it, waits for it, and takes over when it ends.
    ui.activate(ui.issue(YEAR))
    ui.wait_idle()
    snap = ui.engine.snapshot
    assert snap.reserve is not None
    assert snap.reserve.status is ReserveStatus.SAVED
    assert snap.license is not None
    assert snap.reserve.takes_over_at == snap.license.expires_at
    assert not ui.find(QPushButton, "retryButton", details).isVisible()
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        end_the_license(ui, clock)
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert lic.code_last5 == reserve[-5:]


def test_a_removal_confirmed_after_the_reserve_took_over_removes_nothing(
    make_window: MakeWindow, clock: MovableClock
) -> None:
    ui = make_window()
    reserve = ui.issue(YEAR)
    license_with_reserve(ui, reserve)
    ui.action("removeLicenseAction").trigger()
    ui.confirm_box()  # the user hesitates while the license ends and the reserve takes over
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        end_the_license(ui, clock)
    with ui.qtbot.waitSignal(ui.engine.removeFinished, timeout=WAIT_MS):
        ui.answer_confirm(yes=True)
    ui.wait_idle()
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert lic.code_last5 == reserve[-5:]
    assert ui.text("licenseStatusLabel") == "Active"


def test_a_blocked_license_that_ends_hands_over_by_itself(
    make_window: MakeWindow, clock: MovableClock
) -> None:
    ui = make_window()
    reserve = ui.issue(YEAR)
    current = license_with_reserve(ui, reserve)
    ui.services.operator.block_code(current)
    ui.action("refreshLicenseAction").trigger()
    ui.qtbot.waitUntil(lambda: ui.text("licenseStatusLabel") == "Blocked", timeout=WAIT_MS)
    ui.wait_idle()
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):  # nobody pressed Activate now
        end_the_license(ui, clock)
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert lic.code_last5 == reserve[-5:]


def test_removing_the_license_gives_a_failed_reserve_another_try(
    make_window: MakeWindow, server: RunningServer
) -> None:
    ui = make_window()
    current, reserve = ui.license_and_reserve()
    ui.lose_hold()
    taken = activate(server, reserve, new_device()).json()["license"]
    ui.services.operator.block_code(current)
    ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    details = ui.open_details()
    with ui.expect_notice(Notice.RESERVE_FAILED):
        ui.click("activateNowButton", details)  # the only seat is taken elsewhere
    assert server.post("/deactivations", {"license": taken}).ok  # …and given back later
    details.close()

    ui.action("removeLicenseAction").trigger()
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        ui.answer_confirm(yes=True)
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert lic.code_last5 == reserve[-5:]


def test_a_license_removed_on_the_server_is_reported(
    make_window: MakeWindow, server: RunningServer
) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    lic = ui.engine.snapshot.license
    assert lic is not None
    # e.g. from the account (on this device's behalf: signed with its key)
    assert server.post("/deactivations", {"license": lic.token}, key=ui.device_key()).ok
    with ui.expect_notice(Notice.LICENSE_GONE):
        ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    assert ui.text("licenseStatusLabel") == "No license"
    assert "no longer holds a license" in ui.text("notificationText")


def test_an_expiry_slept_through_is_caught_when_the_computer_wakes(
    make_window: MakeWindow, clock: MovableClock
) -> None:
    ui = make_window()
    _current, reserve = ui.license_and_reserve()
    # The computer slept for a year: timers did not run, but the clock moved on.
    with ui.expect_notice(Notice.RESERVE_ACTIVATED):
        clock.move(timedelta(days=366))
    lic = ui.engine.snapshot.license
    assert lic is not None
    assert lic.code_last5 == reserve[-5:]
