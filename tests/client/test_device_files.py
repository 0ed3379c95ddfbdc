"""Who a device is and what it holds, on disk: each written with a last good copy beside
it, and read from that copy when the file itself is damaged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.client.identity import Identity, IdentityFile
from app.client.state import STATE_FILE, DeviceState, StateFile


def test_a_damaged_license_file_is_read_from_its_copy(tmp_path: Path) -> None:
    file = StateFile(tmp_path)
    state = DeviceState(
        device_id="standby-device", license_token="token", checked_at=datetime.now(UTC)
    )
    file.save(state)
    data = file.path.read_bytes()
    file.path.write_bytes(data[: len(data) // 2])
    read = file.read()
    assert (read.state, read.damaged) == (state, True)
    assert file.read().state == state  # reading wrote nothing
    assert file.path.read_bytes() == data[: len(data) // 2]


@pytest.mark.parametrize("copy", [b"", b"\x00" * 64, b'{"format": 1}', None])
def test_with_its_copy_damaged_too_nothing_is_made_up(tmp_path: Path, copy: bytes | None) -> None:
    file = StateFile(tmp_path)
    file.save(DeviceState(device_id="standby-device"))
    file.path.write_bytes(b"{ not json")
    if copy is None:
        file.copy_path.unlink()
    else:
        file.copy_path.write_bytes(copy)
    assert (file.read().state, file.read().damaged) == (None, True)


def test_a_deleted_license_file_with_its_copy_left_is_damage_not_a_new_device(
    tmp_path: Path,
) -> None:
    file = StateFile(tmp_path)
    file.save(DeviceState(device_id="standby-device"))
    (tmp_path / STATE_FILE).unlink()
    read = file.read()
    assert read.damaged
    assert read.state is not None


def test_a_new_device_has_nothing_and_no_damage(tmp_path: Path) -> None:
    assert StateFile(tmp_path).read().state is None
    assert not StateFile(tmp_path).read().damaged
    assert IdentityFile(tmp_path).read() is None


def test_the_device_file_is_read_from_its_copy(tmp_path: Path) -> None:
    file = IdentityFile(tmp_path)
    identity = Identity.new().with_key()
    file.save(identity)
    file.path.write_text('{"format": 1, "device_id": ""}')
    assert file.read() == identity
