"""What a device remembers: restored after a restart, never trusted when altered."""

from __future__ import annotations

import base64
import json
import shutil
import stat
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QLabel

from app.client.state import STATE_FILE
from app.domain.errors import ErrorCode
from app.engine.vocabulary import Notice, Problem
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS
from tests.keyrings import MemoryKeyring

YEAR = 365 * 86400


def test_a_restart_restores_license_and_reserve(make_window: MakeWindow, tmp_path: Path) -> None:
    folder = tmp_path / "device"
    ui = make_window(folder)
    ui.activate(ui.issue(YEAR))
    reserve = ui.issue(2 * YEAR)
    ui.reserve(reserve)
    device_id = ui.engine.snapshot.device_id
    expiry = ui.text("licenseExpiryLabel")
    reserve_line = ui.text("reserveCodeLabel")
    ui.window.show_profile()
    ui.window.close()

    again = make_window(folder)

    assert again.engine.snapshot.device_id == device_id
    assert again.window.pages.currentWidget() is again.window.profile_page  # last page shown
    assert again.text("licenseStatusLabel") == "Active"
    assert again.text("licenseExpiryLabel") == expiry
    assert again.text("reserveCodeLabel") == reserve_line
    assert again.engine.snapshot.checked_at is not None


def test_codes_are_kept_in_the_keyring_and_nowhere_on_disk(
    make_window: MakeWindow, memory_keyring: MemoryKeyring
) -> None:
    ui = make_window()
    current, reserve = ui.license_and_reserve()
    ui.window.shutdown()

    assert reserve.replace("-", "") in memory_keyring.passwords.values()
    for path in ui.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for code in (current, reserve):
                assert code.encode() not in data, path
                assert code.replace("-", "").encode() not in data, path
    state = ui.data_dir / STATE_FILE
    assert stat.S_IMODE(state.stat().st_mode) == 0o600


def _claims(token: str) -> dict[str, int]:
    payload = token.split(".")[1]
    claims: dict[str, int] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def _tamper(token: str) -> str:
    header, _payload, signature = token.split(".")
    claims = _claims(token)
    claims["expires_at"] += 10 * YEAR
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_an_altered_license_file_is_not_believed_and_the_real_one_comes_back(
    make_window: MakeWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "device"
    ui = make_window(folder)
    ui.activate(ui.issue(YEAR))
    expiry = ui.text("licenseExpiryLabel")
    ui.window.close()
    state_file = folder / STATE_FILE
    state = json.loads(state_file.read_text())
    genuine = state["license_token"]
    state["license_token"] = _tamper(genuine)
    state_file.write_text(json.dumps(state))

    from app.gui import build_main_window

    window = build_main_window(data_dir=folder, server_url=ui.engine.api.base_url)
    try:
        ui.qtbot.addWidget(window)
        with ui.qtbot.waitSignal(
            window.engine.notice,
            timeout=WAIT_MS,
            check_params_cb=lambda value: value == Notice.STATE_RESTORED,
        ):
            window.show()
        ui.qtbot.waitUntil(lambda: window.engine.snapshot.busy is None, timeout=WAIT_MS)
        for name, text in (("licenseStatusLabel", "Active"), ("licenseExpiryLabel", expiry)):
            label = window.findChild(QLabel, name)
            assert label is not None
            assert label.text() == text  # the server's license, not the altered one
        banner = window.findChild(QLabel, "notificationText")
        assert banner is not None
        assert "activation server" in banner.text()
        assert window.engine.snapshot.problem is None
        saved = json.loads(state_file.read_text())["license_token"]
        assert _claims(saved)["expires_at"] == _claims(genuine)["expires_at"]
    finally:
        window.shutdown()


def test_a_damaged_state_file_is_set_aside(make_window: MakeWindow, tmp_path: Path) -> None:
    folder = tmp_path / "device"
    folder.mkdir()
    (folder / STATE_FILE).write_text("{ not json")
    ui = make_window(folder)
    assert ui.text("licenseStatusLabel") == "No license"
    assert (folder / f"{STATE_FILE}.damaged").read_text() == "{ not json"
    ui.activate(ui.issue(YEAR))  # and the device works again


def test_without_a_keyring_codes_go_to_a_private_file_and_the_window_says_so(
    make_window: MakeWindow,
) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    ui = make_window()
    ui.window.show_profile()
    problem = ui.find(QLabel, "secretsStorageLabel")
    # The keyring is asked only when a code must be kept: not at start.
    assert not problem.isVisible()
    ui.activate(ui.issue(YEAR))
    reserve = ui.issue(2 * YEAR)
    ui.reserve(reserve)
    assert problem.isVisible()
    # One short line on the panel; where the file is, License details says.
    assert "No password keyring" in problem.text()
    assert "\n" not in problem.text()
    secrets_file = ui.data_dir / "secrets.json"
    assert str(secrets_file) not in problem.text()
    details = ui.open_details()
    assert str(secrets_file) in ui.text("detailsSecretsLabel", details)
    assert "no password keyring" in ui.text("detailsSecretsLabel", details)
    details.close()
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert reserve.replace("-", "") in secrets_file.read_text()
    assert reserve[:5] not in (ui.data_dir / STATE_FILE).read_text()


def test_a_copy_of_the_data_folder_on_another_computer_cannot_act_for_the_device(
    make_window: MakeWindow, tmp_path: Path
) -> None:
    """The device's key stays in its keyring: a copy of its folder, on a computer whose
    keyring does not have it, knows it cannot act for the device (it makes no new key the
    server would refuse), and the window says why and what to do."""
    ui = make_window(tmp_path / "device")
    code = ui.issue(YEAR)
    ui.activate(code)
    ui.window.shutdown()
    copy = tmp_path / "copy"
    shutil.copytree(ui.data_dir, copy)
    keyring.set_keyring(MemoryKeyring())  # the other computer's keyring

    other = make_window(copy)
    other.window.show_profile()
    other.qtbot.waitUntil(
        lambda: other.engine.snapshot.problem is Problem.DEVICE_KEY_MISSING, timeout=WAIT_MS
    )
    assert "key is missing" in other.text("licenseProblemLabel")
    assert "free this device's seat" in other.text("licenseProblemLabel")
    assert "confirmed" not in other.text("licenseCheckedLabel")
    # The seat is still the first computer's: the copy could not free it.
    other.action("removeLicenseAction").trigger()
    with other.qtbot.waitSignal(other.engine.removeFinished, timeout=WAIT_MS) as removed:
        other.answer_confirm(yes=True)
    refusal = removed.args[0]
    assert refusal is not None
    assert refusal.error is ErrorCode.DEVICE_NOT_PROVEN
    assert ui.services.operator.code_info(code)["devices_used"] == 1


def test_a_full_disk_is_said_and_what_could_not_be_kept_is_not_done(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(The disk is played by failing every write; the real read-only folder, with real
    processes, is in tests/engine/test_device_owns_its_state.py.)"""
    import errno

    from app.client import files

    ui = make_window()
    _current, reserve = ui.license_and_reserve()
    ui.window.show_profile()

    def full(path: Path, _data: bytes, mode: int = 0o600) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(files, "atomic_write", full)
    with ui.qtbot.waitSignal(ui.engine.reserveRemoved, timeout=WAIT_MS) as removed:
        ui.engine.remove_reserve()
    assert removed.args[0] is not None
    assert removed.args[0].key == "cannot_write"
    assert ui.engine.snapshot.reserve is not None  # not kept, so not done
    assert ui.services.operator.code_info(reserve)["devices_held"] == 1  # nor freed
    assert "cannot write to its data folder" in ui.text("licenseProblemLabel")
    assert "cannot write to its data folder" in ui.text("notificationText")

    monkeypatch.undo()  # space again: the next change is kept, and the problem is gone
    ui.engine.refresh()
    ui.qtbot.waitUntil(lambda: ui.engine.snapshot.problem is None, timeout=WAIT_MS)
    assert "data folder" not in ui.text("licenseProblemLabel")
