"""The server's word on what a device holds, taken in (pure, like :mod:`app.engine.rules`).

A device whose own record was damaged, lost or not believable (``state.recovery``) asks the
server for every seat it keeps for it (``POST /licenses/restore``). The answer replaces what
the device thought it held: the seat in use becomes the license, the seat held for the
reserve becomes the reserve, and seats in use that the device no longer needs (it was
freeing them when its record was lost) are given back. A reserve whose held seat the server
no longer keeps is gone (it was removed, or freed elsewhere): it never comes back as saved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from app.client.state import Reserve, ReserveSource
from app.client.tokens import License
from app.engine.steps import Device, Effect, ForgetReserveCode, FreeSeat, Step, Tell
from app.engine.vocabulary import Notice


@dataclass(frozen=True)
class RestoredSeat:
    """One seat the server keeps for the device, its license verified."""

    license: License
    held: bool  # held for the reserve: its license is signed ahead
    blocked: bool
    devices_used: int
    term_seconds: int


@dataclass(frozen=True)
class RestoreAnswer:
    seats: tuple[RestoredSeat, ...]
    account: str | None
    server_time: datetime


def in_force(seats: list[RestoredSeat], now: datetime) -> RestoredSeat | None:
    """The seat whose license is the device's: one that protects now (the latest ending),
    else the latest ending of all."""
    if not seats:
        return None
    return max(
        seats,
        key=lambda seat: (
            seat.license.expires_at > now and not seat.blocked,
            seat.license.expires_at,
        ),
    )


def reserve_of(seat: RestoredSeat, before: Reserve | None, now: datetime) -> Reserve:
    """The reserve a held seat stands for (kept as saved when the device knew it)."""
    lic = seat.license
    known = before is not None and before.last5 == lic.code_last5
    return Reserve(
        last5=lic.code_last5,
        type=lic.type.value,
        term_seconds=seat.term_seconds,
        max_devices=lic.max_devices,
        expires_at=lic.expires_at,
        takes_over_at=lic.starts_at,
        saved_at=before.saved_at if known and before else now,
        license_token=lic.token,
        source=before.source if known and before else ReserveSource.DEVICE,
    )


def restored(device: Device, answer: RestoreAnswer, now: datetime) -> Step:
    """The device holds what the server says it holds."""
    in_use = [seat for seat in answer.seats if not seat.held]
    held = [seat for seat in answer.seats if seat.held]
    current = in_force(in_use, now)
    state = device.state
    effects: list[Effect] = []
    if current is None:
        lic = None
        state = state.with_(license_token=None, blocked=False, devices_used=None)
    else:
        lic = current.license
        state = state.with_(
            license_token=lic.token, blocked=current.blocked, devices_used=current.devices_used
        )
    # One license per device: the other seats in use are ones it was giving back.
    effects += [FreeSeat(seat.license.token) for seat in in_use if seat is not current]
    before = state.reserve
    if held:
        known = [seat for seat in held if before and seat.license.code_last5 == before.last5]
        reserve: Reserve | None = reserve_of((known or held)[0], before, now)
    elif before is not None and before.held:
        reserve = None  # its seat is no longer held: removed, or freed elsewhere
        effects.append(ForgetReserveCode())
    else:
        reserve = before  # a reserve that takes over online keeps its code in the store
    state = state.with_(
        reserve=reserve,
        checked_at=now,
        account_email=answer.account or state.account_email,
        recovery=None,
    )
    effects.append(Tell(Notice.STATE_RESTORED))
    return Step(replace(device, state=state, license=lic, retry_delay=0.0), tuple(effects))
