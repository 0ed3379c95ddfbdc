"""What the rules (:mod:`app.engine.rules`) work on and hand back: the device as the engine
knows it, and the effects a transition asks for."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from app.client.state import DeviceState, Reserve, ReserveSource
from app.client.tokens import License
from app.domain.codes import mask_suffix
from app.domain.license import LicenseState, license_state
from app.engine.vocabulary import Notice


@dataclass(frozen=True)
class Device:
    """What the engine knows about its device at one moment."""

    state: DeviceState
    license: License | None = None
    ended_seen: str | None = None  # the ended license a failed reserve had its fresh try for
    retry_delay: float = 0.0  # the last back-off of the reserve's activation

    def with_state(self, **changes: object) -> Device:
        return replace(self, state=self.state.with_(**changes))

    def with_reserve(self, reserve: Reserve | None) -> Device:
        return self.with_state(reserve=reserve)

    def license_state(self, now: datetime) -> LicenseState:
        if self.license is None:
            return LicenseState.NONE
        return license_state(self.license.type, self.license.expires_at, self.state.blocked, now)


def describe(device: Device) -> str:
    """One line for the log about what ``device`` holds, codes masked: written at each
    change of it, so the log tells the license's story (support reads it)."""
    lic, state = device.license, device.state
    if lic is None:
        held = "no license"
    else:
        held = (
            f"license {mask_suffix(lic.code_last5)} ({lic.type.value}, "
            f"until {lic.expires_at:%Y-%m-%d %H:%M:%S} UTC"
            f"{', blocked' if state.blocked else ''})"
        )
    reserve = state.reserve
    if reserve is None:
        kept = "no reserve code"
    else:
        status = "held" if reserve.held else reserve.status.value
        if reserve.source is ReserveSource.ACCOUNT:
            status += ", from the account"
        kept = (
            f"reserve {mask_suffix(reserve.last5)} ({status}, takes over at "
            f"{reserve.takes_over_at:%Y-%m-%d %H:%M:%S} UTC)"
        )
    account = "an account" if state.account_email else "no account"
    return f"{held}; {kept}; {account}"


# --- effects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tell:
    """Tell the user (a banner, a desktop notification)."""

    notice: Notice


@dataclass(frozen=True)
class TakeOver:
    """Activate the saved reserve code now."""

    manual: bool = False


@dataclass(frozen=True)
class WakeAt:
    """The next instant the state changes by itself (None: no such instant)."""

    at: datetime | None


@dataclass(frozen=True)
class RetryIn:
    """Try the reserve's activation again after this many seconds."""

    seconds: float
    manual: bool


@dataclass(frozen=True)
class Recheck:
    """Ask the server whether the reserve still follows the (new) current license."""


@dataclass(frozen=True)
class ForgetReserveCode:
    """Delete the used reserve code from the secret store."""


@dataclass(frozen=True)
class FreeSeat:
    """Give back the seat of a license this device no longer uses."""

    token: str


@dataclass(frozen=True)
class AskForAccount:
    """The reserve needs the device connected to an account: ask the user to sign in."""


Effect = Tell | TakeOver | WakeAt | RetryIn | Recheck | ForgetReserveCode | FreeSeat | AskForAccount


@dataclass(frozen=True)
class Step:
    device: Device
    effects: tuple[Effect, ...] = field(default=())


@dataclass(frozen=True)
class SyncAnswer:
    """The server's answer to a status sync, in the rules' terms."""

    seat: bool  # the server still holds this device's seat
    blocked: bool = False
    devices_used: int | None = None
    account: str | None = None
    server_time: datetime | None = None  # the server's clock when it answered
    #: Without a seat, why, where the server knows (``seat_freed``: freed from the account).
    reason: str | None = None
    #: The device name this sync told the server (None: it sent none).
    name_sent: str | None = None
    #: The reserve the account saved for its devices, handed to this one (its license
    #: signed ahead, verified), and whether it takes the place of the device's own.
    reserve: Reserve | None = None
    replaces_reserve: bool = False
