"""A clock set back, as the engine meets it: noticed, and no ended license comes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.license import LicenseState
from app.engine import engine as engine_module
from app.engine.vocabulary import Notice
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS


def test_a_clock_set_back_is_told_and_an_ended_license_stays_ended(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ui = make_window()
    with ui.expect_notice(Notice.LICENSE_EXPIRED):
        ui.activate(ui.issue(3))
    assert ui.engine.snapshot.state is LicenseState.EXPIRED

    # Someone sets the computer's clock back a day: by it, the license runs again.
    monkeypatch.setattr(engine_module, "utcnow", lambda: datetime.now(UTC) - timedelta(days=1))
    with ui.expect_notice(Notice.CLOCK_SET_BACK):
        ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    snap = ui.engine.snapshot
    assert snap.clock_set_back
    assert snap.state is LicenseState.EXPIRED  # judged by the latest time seen
    ui.qtbot.waitUntil(lambda: "clock" in ui.text("notificationText").lower(), timeout=WAIT_MS)


def test_profile_and_details_count_time_by_the_engines_clock(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An end is judged by the engine's time (the snapshot's ``now``), not by the wall
    clock: the state and the expiry row always agree."""
    ui = make_window()
    ui.activate(ui.issue(3600))
    page = ui.window.profile_page
    assert "left" in ui.text("licenseExpiryLabel")

    # The engine's time runs a day ahead of the wall clock the views used to read.
    monkeypatch.setattr(engine_module, "utcnow", lambda: datetime.now(UTC) + timedelta(days=1))
    page.refresh()
    assert ui.engine.snapshot.state is LicenseState.EXPIRED
    assert ui.text("licenseStatusLabel") == "Expired"
    assert page.expiry_title.text() == "Expired on"
    assert "left" not in ui.text("licenseExpiryLabel")
    details = ui.open_details()
    assert ui.text("detailsLicenseStateLabel", details) == "Expired"
    assert "left" not in ui.text("detailsExpiryLabel", details)
