"""``standby --background`` and ``standby license``, as real processes against a real server."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.server.services import Services
from tests.engine.processes import (
    PATIENCE,
    YEAR,
    Background,
    env,
    show,
    spawn,
    standby,
    wait_for,
)
from tests.needs import missing_commands, need
from tests.proxy import Proxy
from tests.servers import RunningServer, issue_code


@pytest.fixture
def background(tmp_path: Path, server: RunningServer) -> Iterator[Background]:
    engine = Background(tmp_path / "device", server.url)
    yield engine
    engine.stop()


def test_in_the_background_the_reserve_takes_over_with_no_window(
    background: Background, services: Services
) -> None:
    background.start()
    first, reserve = issue_code(services, 10), issue_code(services, YEAR)
    added = standby("license", "add", first, "--data-dir", str(background.data_dir))
    assert added.returncode == 0, added.stderr
    assert "Activated" in added.stdout
    saved = standby("license", "add", reserve, "--data-dir", str(background.data_dir))
    assert saved.returncode == 0, saved.stderr
    assert "reserve" in saved.stdout
    state = show(background.data_dir)
    assert state["code_last5"] == first[-5:]
    assert state["reserve"]["code_last5"] == reserve[-5:]
    assert state["reserve"]["state"] == "held"  # its seat held, its license signed ahead
    wait_for(lambda: show(background.data_dir)["code_last5"] == reserve[-5:], "the takeover")
    state = show(background.data_dir)
    assert state["state"] == "active"
    assert state["reserve"] is None
    facts = services.operator.code_info(reserve)
    assert facts["devices_used"] == 1
    assert background.process is not None
    assert background.process.poll() is None  # still running, still no window asked for


def test_a_second_launch_hands_over_and_exits(background: Background) -> None:
    background.start()
    second = standby("--data-dir", str(background.data_dir))
    assert second.returncode == 0, second.stderr
    assert background.process is not None
    assert background.process.poll() is None


def test_a_lock_left_by_kill_9_does_not_block_and_the_takeover_completes(
    background: Background, services: Services
) -> None:
    background.start()
    first, reserve = issue_code(services, 10), issue_code(services, YEAR)
    assert standby("license", "add", first, "--data-dir", str(background.data_dir)).returncode == 0
    assert (
        standby("license", "add", reserve, "--data-dir", str(background.data_dir)).returncode == 0
    )
    assert background.process is not None
    background.process.kill()  # SIGKILL: no clean-up of the lock or the socket
    background.process.wait()
    assert (background.data_dir / "standby.lock").exists()
    wait_for(
        lambda: services.operator.code_info(first)["state"] == "expired", "the first license to end"
    )
    background.start()
    wait_for(lambda: show(background.data_dir)["code_last5"] == reserve[-5:], "the takeover")
    assert services.operator.code_info(reserve)["devices_used"] == 1
    assert services.operator.code_info(first)["devices_used"] <= 1


def test_license_commands_act_on_the_directory_when_nothing_runs(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    data_dir = tmp_path / "device"
    first, reserve = issue_code(services, YEAR), issue_code(services, 2 * YEAR)
    common = ("--server", server.url, "--data-dir", str(data_dir))
    assert standby("license", "add", first, *common).returncode == 0
    assert standby("license", "add", reserve, *common).returncode == 0
    state = show(data_dir)
    assert state["state"] == "active"
    assert state["reserve"]["code_last5"] == reserve[-5:]
    again = standby("license", "add", reserve, *common)
    assert again.returncode == 1
    assert again.stderr.startswith("error: same_code: ")
    removed = standby("license", "remove", "--reserve", *common)
    assert removed.returncode == 0, removed.stderr
    assert show(data_dir)["reserve"] is None
    # Removing the license frees its seat on the server.
    assert standby("license", "remove", *common).returncode == 0
    assert show(data_dir)["state"] == "none"
    assert services.operator.code_info(first)["devices_used"] == 0


def test_bad_input_gets_a_clear_message_and_changes_nothing(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    data_dir = tmp_path / "device"
    common = ("--server", server.url, "--data-dir", str(data_dir))
    malformed = standby("license", "add", "ABCDE-12345", *common)
    assert malformed.returncode == 2
    assert malformed.stderr.startswith("error: invalid_format: ")
    assert not data_dir.exists()
    unknown = standby("license", "renew", *common)
    assert unknown.returncode == 2
    assert "invalid choice" in unknown.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    code = issue_code(services, YEAR)
    # show reads: a folder that cannot be, holds no device yet. add must write: refused.
    nothing = standby("license", "show", "--json", "--data-dir", str(blocker / "device"))
    assert nothing.returncode == 0
    assert json.loads(nothing.stdout)["device_id"] is None
    unwritable = standby("license", "add", code, *common[:2], "--data-dir", str(blocker / "d"))
    assert unwritable.returncode == 1
    assert unwritable.stderr.startswith("error: cannot_write: ")
    assert "cannot be written" in unwritable.stderr
    away = standby(
        "license", "add", code, "--server", "http://127.0.0.1:9", "--data-dir", str(data_dir)
    )
    assert away.returncode == 3
    assert away.stderr.startswith("error: unreachable: ")
    assert show(data_dir)["state"] == "none"
    assert services.operator.code_info(code)["devices_used"] == 0


@pytest.fixture
def session_bus(tmp_path: Path) -> Iterator[str]:
    """A private D-Bus session bus; its address."""
    missing = missing_commands("dbus-daemon", "gdbus")
    need(
        "session-bus",
        f"{', '.join(missing)} missing; Debian: apt-get install dbus-daemon libglib2.0-bin"
        if missing
        else None,
    )
    daemon = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--print-address=1",
            f"--address=unix:path={tmp_path / 'bus'}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    yield address
    daemon.terminate()
    daemon.wait(timeout=10)
    daemon.stdout.close()


def test_with_no_window_and_no_tray_the_desktop_notifies_the_takeover(
    tmp_path: Path, server: RunningServer, services: Services, session_bus: str
) -> None:
    received = tmp_path / "notifications.jsonl"
    bus_env = {**env(), "DBUS_SESSION_BUS_ADDRESS": session_bus}
    service = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).parent.parent / "notification_service.py"),
            str(received),
        ],
        env=bus_env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert service.stdout is not None
    try:
        assert service.stdout.readline().strip() == "ready"
        data_dir = tmp_path / "device"
        background = Background(data_dir, server.url)
        background.extra_env = {"DBUS_SESSION_BUS_ADDRESS": session_bus}
        background.start()  # offscreen: no notification area for a tray icon
        try:
            first, reserve = issue_code(services, 10), issue_code(services, YEAR)
            assert standby("license", "add", first, "--data-dir", str(data_dir)).returncode == 0
            assert standby("license", "add", reserve, "--data-dir", str(data_dir)).returncode == 0
            wait_for(
                lambda: received.exists() and "Reserve code activated" in received.read_text(),
                "the takeover's notification",
            )
        finally:
            background.stop()
    finally:
        service.terminate()
        service.wait(timeout=10)
        service.stdout.close()
    notes = [json.loads(line) for line in received.read_text().splitlines()]
    takeover = next(note for note in notes if note["summary"] == "Reserve code activated")
    assert takeover["app"] == "Standby"
    assert "You are protected until" in takeover["body"]
    assert reserve not in json.dumps(notes)  # never the whole code


def test_kill_9_in_the_middle_of_a_takeover_loses_no_seat_and_the_takeover_completes(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    """The reserve's license, signed ahead, is installed with no network at the expiry
    instant; the process is killed while the server is confirming it."""
    proxy = Proxy(server.url)
    try:
        background = Background(tmp_path / "device", proxy.url)
        background.start()
        first, reserve = issue_code(services, 10), issue_code(services, YEAR)
        for code in (first, reserve):
            added = standby("license", "add", code, "--data-dir", str(background.data_dir))
            assert added.returncode == 0, added.stderr
        assert services.operator.code_info(reserve)["devices_held"] == 1
        # The takeover's confirmation reaches the server only after the process is gone.
        proxy.held = lambda method, path: method == "POST" and path.endswith("/licenses/status")
        assert proxy.holding.wait(PATIENCE), "the takeover was never confirmed"
        assert background.process is not None
        background.process.kill()
        background.process.wait()
        proxy.release()  # the server now confirms the seat for a client that is gone
        facts = services.operator.code_info
        wait_for(lambda: facts(reserve)["devices_held"] == 0, "the server's confirmation")
        proxy.held = lambda method, path: False
        background.start()
        state = show(background.data_dir)
        assert state["code_last5"] == reserve[-5:]
        assert state["state"] == "active"
        assert state["reserve"] is None
        background.stop()
        assert facts(reserve)["devices_used"] == 1  # the same seat, not a second
        assert facts(reserve)["devices_held"] == 0
    finally:
        proxy.close()


def test_an_engine_that_stopped_answering_is_said_and_not_waited_for_long(
    background: Background,
) -> None:
    background.start()
    assert background.process is not None
    background.process.send_signal(signal.SIGSTOP)  # alive, holding the lock, answering nothing
    try:
        asked = standby(
            "license", "show", "--data-dir", str(background.data_dir), STANDBY_ANSWER_TIMEOUT="2"
        )
    finally:
        background.process.send_signal(signal.SIGCONT)
    assert asked.returncode == 1
    assert "did not answer in 2 s" in asked.stderr
    assert show(background.data_dir)["state"] == "none"  # and it answers again


def test_a_launch_while_a_license_command_holds_the_directory_waits_for_it(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    proxy = Proxy(server.url)
    background = Background(tmp_path / "device", proxy.url)
    try:
        code = issue_code(services, YEAR)
        proxy.held = lambda method, path: path.endswith("/activations")
        command = spawn(
            "license", "add", code, "--server", proxy.url, "--data-dir", str(background.data_dir)
        )
        assert proxy.holding.wait(PATIENCE)  # the command owns the directory, mid-activation
        launch = spawn(
            "--background", "--server", proxy.url, "--data-dir", str(background.data_dir)
        )
        background.process = launch
        proxy.held = lambda method, path: False
        proxy.release()
        assert command.wait(timeout=60) == 0
        wait_for(lambda: show(background.data_dir)["code_last5"] == code[-5:], "the license")
        assert launch.poll() is None  # it waited, then took the directory
        from app.engine.ask import ask

        assert ask(background.data_dir, {"op": "license", "action": "show"}) is not None
    finally:
        background.stop()
        proxy.close()
