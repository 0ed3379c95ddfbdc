"""``standby account sign-in|sign-out`` as real processes against the real server: the
password from stdin, the device's name, the exit statuses of the license commands; and the
account's reserve as ``standby license show --json`` tells it."""

from __future__ import annotations

from pathlib import Path

from app.engine.account import host_name
from app.server.services import Services
from tests.engine.processes import YEAR, Background, account_sign_in, show, standby
from tests.server.console import PASSWORD, new_account
from tests.servers import RunningServer, free_port, issue_code


def _shown_text(device: Path) -> str:
    done = standby("license", "show", "--data-dir", str(device))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sign_in_names_the_device_and_sign_out_forgets_the_account(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    device = tmp_path / "device"
    email, account_id = new_account(services)

    signed = account_sign_in(device, server.url, email, PASSWORD, "--name", "Kitchen laptop")
    assert signed.returncode == 0, signed.stderr
    assert "Kitchen laptop" in signed.stdout
    assert email in signed.stdout
    assert PASSWORD not in signed.stdout + signed.stderr
    (line,) = services.fleet.devices(account_id)
    assert line.name == "Kitchen laptop"
    assert f"Account: {email}" in _shown_text(device)

    # The account's reserve reaches this device at its next sync: show --json says whence.
    code = issue_code(services, YEAR)
    added = standby("license", "add", code, "--server", server.url, "--data-dir", str(device))
    assert added.returncode == 0, added.stderr
    reserve = issue_code(services, 2 * YEAR)
    services.account_reserves.save(account_id, reserve)
    synced = standby("license", "sync", "--server", server.url, "--data-dir", str(device))
    assert synced.returncode == 0, synced.stderr
    shown = show(device)
    assert shown["reserve"]["code_last5"] == reserve[-5:]
    assert shown["reserve"]["state"] == "held"
    assert shown["reserve"]["source"] == "account"

    out = standby("account", "sign-out", "--data-dir", str(device))
    assert out.returncode == 0, out.stderr
    assert "local only" in out.stdout
    assert "Account: not signed in" in _shown_text(device)
    # The server still links the device (it has no sign-out): a sync does not bring it back.
    synced = standby("license", "sync", "--server", server.url, "--data-dir", str(device))
    assert synced.returncode == 0, synced.stderr
    assert "Account: not signed in" in synced.stdout
    again = standby("account", "sign-out", "--data-dir", str(device))
    assert again.returncode == 0
    assert "Not signed in" in again.stdout


def test_without_a_name_the_device_is_named_after_the_computer(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    email, account_id = new_account(services)
    signed = account_sign_in(tmp_path / "device", server.url, email, PASSWORD)
    assert signed.returncode == 0, signed.stderr
    (line,) = services.fleet.devices(account_id)
    assert line.name == host_name()


def test_a_wrong_password_is_refused_and_a_server_away_is_told_apart(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    device = tmp_path / "device"
    email, account_id = new_account(services)
    wrong = account_sign_in(device, server.url, email, "not the password")
    assert wrong.returncode == 1
    assert wrong.stderr.startswith("error: unauthorized: "), wrong.stderr
    assert services.fleet.devices(account_id) == []

    away = account_sign_in(device, f"http://127.0.0.1:{free_port()}", email, PASSWORD)
    assert away.returncode == 3, away.stderr
    assert away.stderr.startswith("error: unreachable: "), away.stderr
    assert "Account: not signed in" in _shown_text(device)


def test_bad_usage_exits_2_and_the_password_never_comes_from_the_command_line(
    tmp_path: Path, server: RunningServer
) -> None:
    device = str(tmp_path / "device")
    no_stdin_flag = standby("account", "sign-in", "someone@example.com", "--data-dir", device)
    assert no_stdin_flag.returncode == 2
    assert "--password-stdin" in no_stdin_flag.stderr
    empty = account_sign_in(tmp_path / "device", server.url, "someone@example.com", "")
    assert empty.returncode == 2
    assert "no password" in empty.stderr
    long_name = account_sign_in(
        tmp_path / "device", server.url, "a@example.com", "pw", "--name", "x" * 101
    )
    assert long_name.returncode == 2
    helped = standby("account", "--help")
    assert helped.returncode == 0
    assert "sign-in" in helped.stdout
    assert "sign-out" in helped.stdout
    sign_out_help = standby("account", "sign-out", "--help")
    assert "Local only" in " ".join(sign_out_help.stdout.split())
    assert show(tmp_path / "device")["state"] == "none"  # nothing was done


def test_through_a_running_standby_the_account_commands_reach_its_engine(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    device = tmp_path / "device"
    email, account_id = new_account(services)
    background = Background(device, server.url)
    background.start()
    try:
        signed = account_sign_in(device, server.url, email, PASSWORD, "--name", "Den")
        assert signed.returncode == 0, signed.stderr
        (line,) = services.fleet.devices(account_id)
        assert line.name == "Den"
        assert f"Account: {email}" in _shown_text(device)
        out = standby("account", "sign-out", "--data-dir", str(device))
        assert out.returncode == 0, out.stderr
        assert "Account: not signed in" in _shown_text(device)
    finally:
        background.stop()
