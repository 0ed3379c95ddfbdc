"""A device never loses or fakes what it owns: each fault played with real ``standby``
processes against the real server, and the device and the server compared afterwards."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.client.state import STATE_FILE
from app.server.services import Services
from tests.engine.processes import YEAR, Background, show, standby, wait_for
from tests.needs import missing_commands, need
from tests.servers import RunningServer, issue_code


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


class Device:
    """One data folder, driven by ``standby`` commands against ``server``."""

    def __init__(self, folder: Path, server: RunningServer) -> None:
        self.folder, self.server = folder, server

    def run(self, *args: str, user: bool = False) -> Any:
        return standby(
            "license", *args, "--server", self.server.url, "--data-dir", str(self.folder), user=user
        )

    def add(self, *codes: str) -> None:
        for code in codes:
            added = self.run("add", code)
            assert added.returncode == 0, added.stderr

    def license_and_reserve(self, services: Services) -> tuple[str, str, dict[str, Any]]:
        """A one-year license and a two-year reserve added; what show says then."""
        current, reserve = issue_code(services, YEAR), issue_code(services, 2 * YEAR)
        self.add(current, reserve)
        return current, reserve, self.show()

    def sync(self) -> Any:
        return self.run("sync")

    def show(self) -> dict[str, Any]:
        return show(self.folder)

    @property
    def state_file(self) -> Path:
        return self.folder / STATE_FILE

    def state(self) -> dict[str, Any]:
        saved: dict[str, Any] = json.loads(self.state_file.read_text())
        return saved

    def write_state(self, state: dict[str, Any], *, copy_too: bool = True) -> None:
        text = json.dumps(state)
        self.state_file.write_text(text)
        if copy_too:
            self.state_file.with_name(f"{STATE_FILE}.bak").write_text(text)

    def fingerprint(self) -> dict[str, str]:
        """Every file of the folder, by content."""
        return {
            str(path.relative_to(self.folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.folder.rglob("*"))
            if path.is_file()
        }


@pytest.fixture
def device(tmp_path: Path, server: RunningServer) -> Device:
    return Device(tmp_path / "device", server)


def _seats(services: Services, code: str) -> tuple[int, int]:
    facts = services.operator.code_info(code)
    return facts["devices_used"], facts["devices_held"]


@pytest.mark.parametrize("copy", ["kept", "damaged too"])
def test_a_license_file_cut_in_half_loses_nothing(
    device: Device, services: Services, copy: str
) -> None:
    current, reserve, before = device.license_and_reserve(services)
    data = device.state_file.read_bytes()
    device.state_file.write_bytes(data[: len(data) // 2])  # a crash of the disk, a sync tool
    if copy == "damaged too":
        device.state_file.with_name(f"{STATE_FILE}.bak").write_bytes(b"\0" * 100)

    offline = device.show()  # no engine, no server: what the files still say
    assert offline["problem"] == "state_recovered"
    assert offline["device_id"] == before["device_id"]  # never a new device
    if copy == "kept":
        assert offline["code_last5"] == current[-5:]
        assert offline["reserve"]["code_last5"] == reserve[-5:]

    synced = device.sync()  # the server says what this device holds
    assert synced.returncode == 0, synced.stderr
    after = device.show()
    assert after == before
    assert _seats(services, current) == (1, 0)  # the same seats, none taken twice
    assert _seats(services, reserve) == (1, 1)
    again = device.run("add", current)
    assert again.returncode == 1
    assert again.stderr.startswith("error: same_code: ")  # its own seat, not a stranger's


def test_a_license_edited_by_hand_is_not_believed_and_the_reserve_waits_its_turn(
    device: Device, services: Services
) -> None:
    current, reserve, before = device.license_and_reserve(services)
    state = device.state()
    claims = _claims(state["license_token"])
    claims["expires_at"] += 10 * YEAR
    header, _payload, signature = state["license_token"].split(".")
    state["license_token"] = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    device.write_state(state)

    offline = device.show()
    assert offline["problem"] == "license_rejected"
    assert offline["state"] != "active"  # never the edited expiry
    assert offline["reserve"]["state"] == "held"  # and the reserve not started early

    assert device.sync().returncode == 0
    after = device.show()
    assert after == before  # the current license back, 30 days and all
    assert _seats(services, current) == (1, 0)
    assert _seats(services, reserve) == (1, 1)


def test_a_license_signed_with_a_planted_key_is_refused_offline_and_online(
    device: Device, services: Services
) -> None:
    current = issue_code(services, YEAR)
    device.add(current)
    before = device.show()
    forger = Ed25519PrivateKey.generate()
    public = forger.public_key().public_bytes_raw()
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64(public), "kid": "planted", "alg": "EdDSA"}
    (device.folder / "server-keys.json").write_text(json.dumps({"keys": [jwk]}))
    state = device.state()
    claims = {**_claims(state["license_token"]), "expires_at": 2114380800, "exp": 2114380800}
    header = _b64(json.dumps({"alg": "EdDSA", "kid": "planted", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    forged = f"{header}.{body}.{_b64(forger.sign(f'{header}.{body}'.encode()))}"
    state["license_token"] = forged
    device.write_state(state)

    offline = device.show()
    assert offline["problem"] == "license_rejected"
    assert offline["expires_at"] is None

    assert device.sync().returncode == 0
    after = device.show()
    assert after == before  # the server's license, not the forged one
    assert "planted" not in (device.folder / "server-keys.json").read_text()


def test_a_read_only_data_folder_reports_no_success_and_the_server_agrees(
    device: Device, services: Services
) -> None:
    # Root writes anywhere: the commands run with a user's rights on files (setpriv).
    lacking = os.geteuid() == 0 and missing_commands("setpriv")
    need("setpriv", "setpriv missing; Debian: apt-get install util-linux" if lacking else None)
    _current, reserve, before = device.license_and_reserve(services)
    background = Background(device.folder, device.server.url)
    background.user = True
    try:
        for running in (False, True):
            if running:
                background.start()
            device.folder.chmod(0o500)
            try:
                removed = device.run("remove", "--reserve", user=True)
                assert removed.returncode == 1, removed.stdout
                assert removed.stderr.startswith("error: cannot_write: ")
                assert removed.stderr.count("\n") == 1  # one line
                added = device.run("add", issue_code(services, 3 * YEAR), user=True)
                assert added.returncode == 1
                assert added.stderr.startswith("error: cannot_write: ")
                shown = standby(
                    "license", "show", "--json", "--data-dir", str(device.folder), user=True
                )
                assert json.loads(shown.stdout)["problem"] == "cannot_write"
            finally:
                device.folder.chmod(0o700)
            assert _seats(services, reserve) == (1, 1)  # nothing was freed
    finally:
        background.stop()
    assert device.show() == before  # after a restart the reserve is still the device's


def test_a_clock_that_once_ran_far_ahead_is_set_right_by_the_server(
    device: Device, services: Services
) -> None:
    _current, reserve, before = device.license_and_reserve(services)
    state = device.state()
    state["latest_seen"] = "2035-01-01T00:00:00+00:00"
    device.write_state(state)
    offline = device.show()
    assert offline["state"] == "expired"  # judged by the latest time seen
    assert offline["problem"] == "clock_set_back"

    assert device.sync().returncode == 0
    after = device.show()
    assert after == before  # the license is active again, and the reserve still waits
    assert _seats(services, reserve) == (1, 1)
    assert device.state()["latest_seen"] < "2027"


def test_a_deleted_device_key_is_said_with_what_to_do(device: Device, services: Services) -> None:
    current = issue_code(services, YEAR)
    device.add(current)
    secrets_file = device.folder / "secrets.json"
    secrets = json.loads(secrets_file.read_text())
    name = f"device-key/{device.show()['device_id']}"
    del secrets[name]
    secrets_file.write_text(json.dumps(secrets))

    shown = device.show()
    assert shown["state"] == "active"  # the license itself is genuine
    assert shown["problem"] == "device_key_missing"
    text = standby("license", "show", "--data-dir", str(device.folder))
    assert "free this device's seat" in text.stdout
    synced = device.sync()
    assert synced.returncode == 1
    assert synced.stderr.startswith("error: device_not_proven: ")
    assert name not in json.loads(secrets_file.read_text())  # no new key made behind its back
    assert _seats(services, current) == (1, 0)


def test_show_after_the_license_ended_with_no_engine_is_fast_truthful_and_read_only(
    device: Device, services: Services
) -> None:
    current, reserve = issue_code(services, 6), issue_code(services, YEAR)
    device.add(current, reserve)
    ends = device.show()["expires_at"]
    wait_for(lambda: time.time() > _epoch(ends) + 0.5, "the license to end")
    untouched, on_server = device.fingerprint(), services.operator.code_info(reserve)

    started = time.monotonic()
    shown = standby("license", "show", "--json", "--data-dir", str(device.folder))
    took = time.monotonic() - started
    assert shown.returncode == 0
    answer = json.loads(shown.stdout)
    # The reserve's license, signed ahead, is the one in force: not "expired".
    assert (answer["state"], answer["code_last5"]) == ("active", reserve[-5:])
    assert answer["reserve"] is None
    assert device.fingerprint() == untouched  # nothing written
    assert services.operator.code_info(reserve) == on_server  # nothing asked of the server
    print(f"license show took {took:.2f} s")


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_options_stand_before_or_after_the_subcommand(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    folder = str(tmp_path / "device")
    code = issue_code(services, YEAR)
    added = standby("--data-dir", folder, "--server", server.url, "license", "add", code)
    assert added.returncode == 0, added.stderr
    between = standby("license", f"--data-dir={folder}", "show", "--json")
    assert json.loads(between.stdout)["code_last5"] == code[-5:]
    after = standby("license", "show", "--json", "--data-dir", folder)
    assert between.stdout == after.stdout
    twice = standby("--data-dir", folder, "license", "show", "--data-dir", str(tmp_path))
    assert twice.returncode == 2
    assert "given twice" in twice.stderr
    assert os.listdir(tmp_path) == ["device"]
