"""Who this device is, kept apart from what it holds.

``device.json`` names the device (its id) and says whether its key has been made; it is
written when the device is new and when its key is first made, and then never again, with
its last good copy beside it. So whatever damages ``license.json`` cannot turn the device
into another one: the seats the server keeps for this id stay this device's, and what the
device holds can be asked back from the server with its key.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from app.client.files import copy_of, write_with_copy

DEVICE_FILE = "device.json"
FORMAT_VERSION = 1


def new_device_id() -> str:
    return f"standby-{os.urandom(16).hex()}"  # os, not secrets: hmac is slow to import


@dataclass(frozen=True)
class Identity:
    device_id: str
    created_at: datetime
    #: Whether the device's key has been made (and so must be in the secret store). None
    #: for a device from before this file: its key may or may not have been made.
    key_made: bool | None = False

    @classmethod
    def new(cls) -> Identity:
        return cls(new_device_id(), datetime.now(UTC), key_made=False)

    def with_key(self) -> Identity:
        return replace(self, key_made=True)


def _parse(data: bytes) -> Identity:
    raw = json.loads(data.decode("utf-8"))
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_VERSION:
        raise ValueError("not a device file of this app")
    device_id = raw.get("device_id")
    key_made = raw.get("key_made")
    if not isinstance(device_id, str) or not device_id:
        raise ValueError("no device id")
    if key_made is not None and not isinstance(key_made, bool):
        raise ValueError("key_made is not true or false")
    created_at = datetime.fromisoformat(str(raw.get("created_at")))
    if created_at.tzinfo is None:
        raise ValueError("a time without a time zone")
    return Identity(device_id, created_at, key_made)


class IdentityFile:
    """``device.json`` in the data directory, and its last good copy."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DEVICE_FILE

    def read(self) -> Identity | None:
        """The device's identity, from the copy when the file cannot be read; None when
        neither can (or the device is new). Writes nothing."""
        for path in (self.path, copy_of(self.path)):
            try:
                return _parse(path.read_bytes())
            except (OSError, ValueError, TypeError):  # UnicodeError is a ValueError
                continue
        return None

    def save(self, identity: Identity) -> None:
        data = {
            "format": FORMAT_VERSION,
            "device_id": identity.device_id,
            "created_at": identity.created_at.isoformat(),
            "key_made": identity.key_made,
        }
        write_with_copy(self.path, json.dumps(data, indent=2).encode("utf-8"))
