"""The device and its account, as pure transitions (like :mod:`app.engine.rules`): what the
device is called, signing in and out, and the reserve the account saves once for all its
devices.

The account's reserve (saved in the account console) comes in the answer to a status sync,
its seat held and its license signed ahead, as a reserve held on the device is (domain.md
section 6). The device installs it as its held reserve (``source`` "account") when it has no
reserve, when its reserve came from the account too, or when the user chose in the console
that it replaces the device's own: a reserve of the device's own is never silently replaced.
No code comes with it: it takes over with its held license, and where the code itself would
be needed (its hold gone), it fails saying so (``Ours.ACCOUNT_RESERVE_GONE``).
"""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import datetime

from app.client.state import DeviceState, Reserve, ReserveSource
from app.client.tokens import License
from app.domain.errors import ErrorCode
from app.domain.names import NAME_MOST, clean_name
from app.engine import rules
from app.engine.steps import Device, ForgetReserveCode, Step, SyncAnswer
from app.failures import Failure, Ours

#: What a device is called when its computer has no usable host name.
FALLBACK_NAME = "Standby"


# --- the device's name -------------------------------------------------------------------------


def host_name() -> str:
    """This computer's host name, as a device name."""
    try:
        return clean_name(" ".join(socket.gethostname().split())[:NAME_MOST])
    except (OSError, ValueError):
        return FALLBACK_NAME


def device_name(state: DeviceState) -> str:
    """What the device is called: the name the user gave it, else the host name (so a
    computer renamed later is named after it)."""
    return state.device_name or host_name()


def name_to_send(state: DeviceState) -> str | None:
    """The name to tell the server at the next sync: None when it knows it already."""
    name = device_name(state)
    return None if name == state.name_sent else name


def renamed(device: Device, name: str) -> Device:
    """The user renamed the device (ValueError for a name that cannot be one); the server
    is told at the next sync."""
    return device.with_state(device_name=clean_name(name))


# --- signing in and out ------------------------------------------------------------------------


def signed_in(device: Device, email: str, name_sent: str | None) -> Step:
    """Connected to the account (the server was told the device's name, ``name_sent``)."""
    return rules.signed_in(device.with_state(signed_out=False, name_sent=name_sent), email)


def signed_out(device: Device) -> Device:
    """Signed out on this device. The server has no sign-out: it still links the device
    until the device is freed in the account console, so what a sync says of the account
    is not taken back until the user signs in again (:func:`heard`)."""
    return device.with_state(account_email=None, signed_out=True)


def heard(step: Step) -> Step:
    """After the server said which account the device is linked to (a sync, a restore): a
    device signed out here stays signed out."""
    state = step.device.state
    if state.signed_out and state.account_email is not None:
        return replace(step, device=step.device.with_state(account_email=None))
    return step


# --- the account's reserve ---------------------------------------------------------------------


def own_reserve(state: DeviceState) -> bool:
    """The device has a reserve of its own (saved on it, its code in the secret store),
    held or not; the account's reserve does not count."""
    return state.reserve is not None and state.reserve.source is ReserveSource.DEVICE


def reserve_of_seat(lic: License, term_seconds: int, saved_at: datetime) -> Reserve:
    """The account's reserve as the device keeps it: its license signed ahead (verified),
    with no code on the device."""
    return Reserve(
        last5=lic.code_last5,
        type=lic.type.value,
        term_seconds=term_seconds,
        max_devices=lic.max_devices,
        expires_at=lic.expires_at,
        takes_over_at=lic.starts_at,
        saved_at=saved_at,
        license_token=lic.token,
        source=ReserveSource.ACCOUNT,
    )


def synced(device: Device, status: SyncAnswer | None, fresh: License | None, now: datetime) -> Step:
    """:func:`rules.synced`, and what the answer said for the account: the name it now
    knows, and the account's reserve for this device."""
    step = heard(rules.synced(device, status, fresh, now))
    if status is None:
        return step
    device = step.device
    if status.name_sent is not None:
        device = device.with_state(name_sent=status.name_sent)
    offered = account_reserve(device, status.reserve, replaces=status.replaces_reserve)
    return Step(offered.device, step.effects + offered.effects)


def account_reserve(device: Device, reserve: Reserve | None, *, replaces: bool) -> Step:
    """The account's reserve, handed over at a sync, becomes the device's held reserve:
    with no reserve, in place of an earlier one of the account's, or (``replaces``: the
    user chose so in the console) in place of the device's own, whose code is then
    forgotten here as removing it does (its held seat the server has freed already)."""
    current = device.state.reserve
    if reserve is None or device.license is None or device.state.signed_out:
        return Step(device)
    if current is not None and current.license_token == reserve.license_token:
        return Step(device)
    if current is not None and current.source is ReserveSource.DEVICE:
        if not replaces:
            return Step(device)  # the device's own reserve is never silently replaced
        return Step(device.with_reserve(reserve), (ForgetReserveCode(),))
    return Step(device.with_reserve(reserve))


def gone_failure() -> Failure:
    """The account's reserve would need its code (its hold is gone): the device has none."""
    return Failure(ours=Ours.ACCOUNT_RESERVE_GONE, message="the account's reserve has no code here")


def rechecked(device: Device, fresh: Reserve | None, failure: Failure | None) -> Step:
    """:func:`rules.reserve_rechecked`, the account's reserve included: when its hold is
    gone (``not_found``), no code here could take over online, so the user is told now,
    days before the license ends, as for a hold revoked."""
    reserve = device.state.reserve
    if (
        reserve is not None
        and reserve.source is ReserveSource.ACCOUNT
        and failure is not None
        and failure.error is ErrorCode.NOT_FOUND
        and not failure.seat_freed
    ):
        failure = gone_failure()
    return rules.reserve_rechecked(device, fresh, failure)
