"""What one device (one data directory) holds between runs, and how it is stored.

``license.json`` holds the signed license token, what the app knows about the saved
reserve code (never the code itself: that lives in the secret store) and a few flags. It
is written atomically, and its last good copy beside it (``license.json.bak``): a file
damaged later (a disk, a sync tool) is read from the copy. Who the device is lives apart,
in :mod:`app.client.identity`; the server's keys, in the secret store
(with a copy in ``server-keys.json``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.client.files import atomic_write, copy_of, write_with_copy
from app.failures import Failure

STATE_FILE = "license.json"
#: A copy of the server keys the device trusts, read at start without the secret store
#: (which may keep a start waiting): what it lets through is checked against the keys
#: pinned in the secret store before anything is decided on it.
KEYS_FILE = "server-keys.json"
FORMAT_VERSION = 1


class ReserveStatus(StrEnum):
    SAVED = "saved"
    ACTIVATING = "activating"
    FAILED = "failed"


class ReserveSource(StrEnum):
    """Where the reserve was saved: on this device (its code in the secret store), or once
    for all the devices of the account, in the account console (no code on the device:
    only its license signed ahead)."""

    DEVICE = "device"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Reserve:
    """The saved reserve code as the server described it when it accepted it."""

    last5: str
    type: str
    term_seconds: int
    max_devices: int
    expires_at: datetime  # the expiry it will give (fact 7: from its first activation)
    takes_over_at: datetime
    saved_at: datetime
    status: ReserveStatus = ReserveStatus.SAVED
    failure: str | None = None  # a Failure's key (an error code, "unreachable", ours…)
    failure_message: str | None = None
    failure_transient: bool = False
    #: The license signed ahead for it (its seat held by the server), installed with no
    #: network at ``takes_over_at``; None for a reserve that takes over online.
    license_token: str | None = None
    source: ReserveSource = ReserveSource.DEVICE

    @property
    def held(self) -> bool:
        return self.license_token is not None

    @property
    def why_failed(self) -> Failure | None:
        """Why its last activation failed, as it was kept (None if it did not)."""
        return Failure.of_key(self.failure, self.failure_message or "")


class Recovery(StrEnum):
    """Why the device waits for the server's word on what it holds (``POST
    /licenses/restore``), until the server has answered."""

    #: ``license.json`` could not be read: its last good copy was.
    COPY = "copy"
    #: Neither could be read: nothing is known but who the device is.
    LOST = "lost"
    #: The saved license (or the reserve's) did not verify, or the server said it never
    #: signed it: it is not believed.
    REJECTED = "rejected"


@dataclass(frozen=True)
class DeviceState:
    device_id: str
    license_token: str | None = None
    blocked: bool = False
    devices_used: int | None = None
    checked_at: datetime | None = None
    account_email: str | None = None
    reserve: Reserve | None = None
    warned_expiry_for: str | None = None  # the seat the 14-day warning was given for
    warned_expired_for: str | None = None  # the seat whose end was announced
    #: Licenses whose seats this device gave up and the server has not freed yet (it was
    #: away): freed at the next sync, never forgotten.
    releases: tuple[str, ...] = ()
    #: The latest time the engine has seen (its clock, the server's): a clock set back
    #: later does not make time run backwards for the license.
    latest_seen: datetime | None = None
    #: Set while the device waits for the server to say what it holds (see Recovery).
    recovery: Recovery | None = None
    #: What the user calls this device (None: the computer's host name), shown in the
    #: account console; and the name the server was last told (sent again when they differ).
    device_name: str | None = None
    name_sent: str | None = None
    #: Signed out on this device: the account the server still links it to is not taken
    #: back from a sync (the server has no sign-out) until the user signs in again.
    signed_out: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> DeviceState:
        return replace(self, **changes)


class DamagedState(Exception):
    """The state file exists but is not one this app wrote."""


def new_device_id() -> str:
    return f"standby-{os.urandom(16).hex()}"  # os, not secrets: hmac is slow to import


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    return value


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("a time without a time zone")
    return moment


def _required_moment(value: Any) -> datetime:
    moment = _moment(value)
    if moment is None:
        raise ValueError("a required time is missing")
    return moment


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _reserve(raw: Any) -> Reserve | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise TypeError("reserve is not an object")
    expires_at, takes_over_at, saved_at = (
        _required_moment(raw["expires_at"]),
        _required_moment(raw["takes_over_at"]),
        _required_moment(raw["saved_at"]),
    )
    return Reserve(
        last5=str(raw["last5"]),
        type=str(raw["type"]),
        term_seconds=int(raw["term_seconds"]),
        max_devices=int(raw["max_devices"]),
        expires_at=expires_at,
        takes_over_at=takes_over_at,
        saved_at=saved_at,
        status=ReserveStatus(raw.get("status", "saved")),
        failure=raw.get("failure"),
        failure_message=raw.get("failure_message"),
        failure_transient=bool(raw.get("failure_transient", False)),
        license_token=raw.get("license_token") or None,
        source=ReserveSource(raw.get("source") or ReserveSource.DEVICE),
    )


def parse_state(data: bytes) -> DeviceState:
    """``license.json``'s bytes as a state; DamagedState when they are not one this app wrote."""
    try:
        raw = json.loads(data.decode("utf-8"))
        if raw.get("format") != FORMAT_VERSION:
            raise ValueError("unknown format")
        device_id = str(raw["device_id"])
        if not device_id:
            raise ValueError("no device id")
        recovery = raw.get("recovery")
        return DeviceState(
            device_id=device_id,
            license_token=raw.get("license_token") or None,
            blocked=bool(raw.get("blocked", False)),
            devices_used=raw.get("devices_used"),
            checked_at=_moment(raw.get("checked_at")),
            account_email=raw.get("account_email"),
            reserve=_reserve(raw.get("reserve")),
            warned_expiry_for=raw.get("warned_expiry_for"),
            warned_expired_for=raw.get("warned_expired_for"),
            releases=tuple(str(token) for token in raw.get("releases") or ()),
            latest_seen=_moment(raw.get("latest_seen")),
            recovery=Recovery(recovery) if recovery is not None else None,
            device_name=_text(raw.get("device_name")),
            name_sent=_text(raw.get("name_sent")),
            signed_out=bool(raw.get("signed_out", False)),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:  # UnicodeError is one
        raise DamagedState(f"{STATE_FILE} is damaged ({type(exc).__name__})") from None


@dataclass(frozen=True)
class StateRead:
    """What was found in the data directory."""

    state: DeviceState | None  # None: nothing readable (or nothing yet)
    #: ``license.json`` is there but cannot be read (``state`` is then its copy's, if any).
    damaged: bool = False


class StateFile:
    """``license.json`` in the data directory, and its last good copy."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / STATE_FILE
        self.copy_path = copy_of(self.path)
        self.keys_path = data_dir / KEYS_FILE

    def read(self) -> StateRead:
        """The saved state, from the copy when the file cannot be read. Writes nothing."""
        try:
            return StateRead(parse_state(self.path.read_bytes()))
        except FileNotFoundError:
            damaged = self.copy_path.exists()  # the file is gone but not its copy
        except (OSError, DamagedState):
            damaged = True
        try:
            return StateRead(parse_state(self.copy_path.read_bytes()), damaged=damaged)
        except (OSError, DamagedState):
            return StateRead(None, damaged=damaged)

    def save(self, state: DeviceState) -> None:
        data = {"format": FORMAT_VERSION, **_encode(asdict(state))}
        data.pop("extra", None)
        write_with_copy(self.path, json.dumps(data, indent=2).encode("utf-8"))

    def set_aside(self) -> Path | None:
        """Move a damaged file out of the way (kept for a person to look at)."""
        target = self.path.with_name(f"{self.path.name}.damaged")
        try:
            self.path.replace(target)
        except FileNotFoundError:
            return None
        return target

    def cached_keys(self) -> dict[str, Any] | None:
        """The copy of the server keys, if there is a readable one."""
        try:
            data = json.loads(self.keys_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and isinstance(data.get("keys"), list) else None

    def cache_keys(self, jwks: dict[str, Any]) -> None:
        atomic_write(self.keys_path, json.dumps(jwks).encode("utf-8"))
