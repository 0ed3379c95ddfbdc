"""A slow or dead server never blocks the window; the app recovers when it is back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.engine.vocabulary import Busy
from app.failures import Unreachable
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS
from tests.servers import free_port, running_server, services_for

YEAR = 365 * 86400


@contextmanager
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers: a server that hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_hanging_server_leaves_the_window_working(make_window: MakeWindow) -> None:
    with silent_server() as url:
        ui = make_window(server_url=url, read_timeout=3.0, wait=False)
        ui.qtbot.waitUntil(lambda: ui.engine.snapshot.busy is Busy.SYNCING, timeout=WAIT_MS)

        # The status request is in flight; the window still answers the keyboard and mouse.
        dialog = ui.type_code(ui.issue(YEAR))
        before = ui.engine.snapshot.busy
        ui.click("saveActivationCodeButton", dialog)
        after = ui.engine.snapshot.busy
        # The save does not wait behind the status check: that gives way to it.
        assert (before, after) == (Busy.SYNCING, Busy.SAVING)
        assert ui.find(QLabel, "activationCodeResult", dialog).isHidden()
        assert ui.find(QLineEdit, "activationCodeEdit", dialog).isReadOnly()  # saving…
        with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=1000) as cancelled:
            ui.click("activationCancelButton", dialog)
        assert cancelled.args[0].result.value == "cancelled"
        assert "Cancelled" in ui.text("activationCodeResult", dialog)
        # The cancelled call still hangs, but no longer holds the line: another save goes
        # out at once.
        freed = ui.engine.snapshot.busy
        ui.find(QLineEdit, "activationCodeEdit", dialog).setText(ui.issue(YEAR))
        ui.click("saveActivationCodeButton", dialog)
        assert freed is not Busy.SAVING
        assert ui.engine.snapshot.busy is Busy.SAVING
        with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=1000):
            ui.click("activationCancelButton", dialog)
        dialog.close()

        ui.window.show_profile()
        ui.qtbot.waitUntil(lambda: ui.engine.snapshot.unreachable is not None, timeout=WAIT_MS)
        problem = ui.find(QLabel, "licenseProblemLabel")
        ui.qtbot.waitUntil(problem.isVisible, timeout=WAIT_MS)
        assert ui.engine.snapshot.unreachable is Unreachable.TIMED_OUT
        assert f"({url.removeprefix('http://')}) did not answer in time" in problem.text()


def test_server_down_then_back(make_window: MakeWindow, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'own.db'}"
    port = free_port()
    with services_for(db_url) as own:
        with running_server(db_url, port=port) as down_later:
            ui = make_window(server_url=down_later.url)
            ui.services = own
            ui.activate(ui.issue(YEAR))
            reserve = ui.issue(2 * YEAR)
        # The server is gone now.
        ui.window.show_profile()
        ui.action("refreshLicenseAction").trigger()
        ui.qtbot.waitUntil(lambda: ui.engine.snapshot.unreachable is not None, timeout=WAIT_MS)
        problem = ui.find(QLabel, "licenseProblemLabel")
        # Nothing listens at the port: the connection is refused, and the window says so.
        assert f"(127.0.0.1:{port}) is not accepting connections" in problem.text()
        assert ui.text("licenseStatusLabel") == "Active"  # a valid license stays valid offline

        dialog, outcome = ui.save_code(reserve)
        assert outcome.result.value == "refused"
        assert outcome.failure is not None
        assert outcome.failure.unreachable is Unreachable.REFUSED
        assert "is not accepting connections" in ui.text("activationCodeError", dialog)
        assert ui.find(QPushButton, "saveActivationCodeButton", dialog).isEnabled()

        with running_server(db_url, port=port):
            # Nobody clicks anything: the app's own retries find the server again.
            ui.qtbot.waitUntil(lambda: ui.engine.snapshot.unreachable is None, timeout=WAIT_MS)
            assert problem.isHidden()
            with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=WAIT_MS) as saved:
                ui.click("saveActivationCodeButton", dialog)
            assert saved.args[0].result.value == "reserved"


def test_a_server_that_stops_is_noticed_without_asking(
    make_window: MakeWindow, tmp_path: Path
) -> None:
    """While the window is shown the app syncs every few minutes (here a second): a server
    that stopped shows on its own, and the confirmation line then says when the license
    was last confirmed rather than that it is confirmed now."""
    db_url = f"sqlite:///{tmp_path / 'own.db'}"
    with services_for(db_url) as own:
        with running_server(db_url) as stops:
            ui = make_window(server_url=stops.url)
            ui.services = own
            ui.activate(ui.issue(YEAR))
            ui.window.show_profile()
            checked = ui.find(QLabel, "licenseCheckedLabel")
            assert checked.text() == (
                "License status confirmed with the activation server just now."
            )
        ui.engine.timing.watched_sync_interval = 1.0
        ui.engine.watch(True)  # the shorter interval, from now on
        problem = ui.find(QLabel, "licenseProblemLabel")
        ui.qtbot.waitUntil(problem.isVisible, timeout=WAIT_MS)  # nobody pressed F5
        assert "is not accepting connections" in problem.text()
        assert checked.text() == "Last confirmed with the activation server just now."


def test_a_server_name_that_does_not_resolve_is_told_apart(make_window: MakeWindow) -> None:
    """Not "check your internet connection" for everything: a name that does not resolve
    is told as such, and License details shows the address Standby is using."""
    ui = make_window(server_url="http://no-such-host.invalid:8765", wait=False)
    ui.qtbot.waitUntil(
        lambda: ui.engine.snapshot.unreachable is Unreachable.NO_SUCH_HOST, timeout=WAIT_MS
    )
    ui.window.show_profile()
    problem = ui.find(QLabel, "licenseProblemLabel")
    ui.qtbot.waitUntil(problem.isVisible, timeout=WAIT_MS)
    assert "address (no-such-host.invalid:8765) cannot be found" in problem.text()
    details = ui.open_details()
    assert ui.text("detailsServerLabel", details) == "no-such-host.invalid:8765"


def test_a_command_given_while_loading_waits_for_the_first_status_check(
    make_window: MakeWindow,
) -> None:
    ui = make_window(wait=False)
    assert not ui.engine.snapshot.loaded
    with ui.qtbot.waitSignal(ui.engine.signInFinished, timeout=WAIT_MS) as finished:
        ui.engine.sign_in("nobody@example.com", "not a password")
    assert finished.args[0] is not None  # refused: there is no such account
    ui.wait_idle()
    assert ui.engine.snapshot.checked_at is not None  # the start-up sync still ran


def test_a_local_write_failure_does_not_stall_the_app(make_window: MakeWindow) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    keys = ui.data_dir / "server-keys.json"
    keys.unlink()
    keys.mkdir()  # the keys cannot be cached any more
    ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    # The app carries on: the next command runs and the window still shows the license.
    ui.action("refreshLicenseAction").trigger()
    ui.wait_idle()
    assert ui.text("licenseStatusLabel") == "Active"
