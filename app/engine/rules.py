"""domain.md section 4 as pure transitions: (device, event, now) → (device, effects).

Nothing here waits, reads a clock, touches a file or calls the server: each function takes
what the device knows and the moment, and returns what the device knows next plus the
effects the engine must carry out (tell the user, start a takeover, arm a timer, free a
seat…). So every rule is tested in milliseconds with a made-up clock
(``tests/engine/test_rules.py``), and :mod:`app.engine.engine` only runs effects.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.client.state import DeviceState, Recovery, Reserve, ReserveStatus
from app.client.tokens import License
from app.domain.errors import REASON_SEAT_FREED, ErrorCode
from app.domain.license import EXPIRING_SOON_WINDOW, LicenseState
from app.engine.steps import (
    AskForAccount,
    Device,
    Effect,
    ForgetReserveCode,
    FreeSeat,
    Recheck,
    RetryIn,
    Step,
    SyncAnswer,
    TakeOver,
    Tell,
    WakeAt,
)
from app.engine.vocabulary import Notice, Timing
from app.failures import Failure, Ours

#: Re-exported from app.engine.steps: the engine and the tests say ``rules.Step``, ``rules.Tell``…
__all__ = [
    "AskForAccount",
    "Device",
    "Effect",
    "ForgetReserveCode",
    "FreeSeat",
    "Recheck",
    "RetryIn",
    "Step",
    "SyncAnswer",
    "TakeOver",
    "Tell",
    "WakeAt",
]

#: License states in which the reserve code may take over by itself.
TAKE_OVER_STATES = (LicenseState.NONE, LicenseState.EXPIRED)


# --- helpers -------------------------------------------------------------------------------


def with_status(
    reserve: Reserve,
    status: ReserveStatus,
    failure: str | None = None,
    message: str | None = None,
    *,
    transient: bool = False,
) -> Reserve:
    return replace(
        reserve,
        status=status,
        failure=failure,
        failure_message=message,
        failure_transient=transient,
    )


def reserve_failed_for_good(reserve: Reserve | None) -> bool:
    """The reserve's activation failed and waits for the user (not for the server)."""
    return (
        reserve is not None
        and reserve.status is ReserveStatus.FAILED
        and not reserve.failure_transient
    )


def backoff(previous: float, timing: Timing) -> float:
    """The next wait before retrying: doubled each time, between the first and the cap."""
    return min(timing.retry_max, max(timing.retry_first, previous * 2))


def may_take_over(device: Device, now: datetime, *, manual: bool) -> bool:
    """May the reserve code replace the current license now?"""
    if device.license is None and device.state.license_token is not None:
        return False  # a license not checked yet: wait until it is
    reserve = device.state.reserve
    if (
        not manual
        and device.state.recovery is not None
        and (reserve is None or now < reserve.takes_over_at)
    ):
        # What the device holds is not known for sure until the server says it: the
        # reserve does not take over before its time on a license that only looks gone.
        return False
    if device.license is not None and device.license.expires_at <= now:
        return True  # it has ended, blocked or not
    allowed = TAKE_OVER_STATES + ((LicenseState.BLOCKED,) if manual else ())
    return device.license_state(now) in allowed


def reserve_behind(device: Device, now: datetime) -> str | None:
    """The license a saved code would wait behind as the reserve (section 3), or None: with
    no license, a trial, or one expired or blocked, a saved code is activated now."""
    current = device.license_state(now)
    if device.license is None or current in (
        LicenseState.EXPIRED,
        LicenseState.BLOCKED,
        LicenseState.TRIAL,
    ):
        return None
    return device.state.license_token


def next_change(device: Device, now: datetime) -> datetime | None:
    """The next instant the license's state changes by itself (14 days left, expiry)."""
    if device.license is None:
        return None
    expires = device.license.expires_at
    moments = [m for m in (expires - EXPIRING_SOON_WINDOW, expires) if m > now]
    return min(moments) if moments else None


def _fresh_try(device: Device) -> Device:
    """A failed reserve gets one more go (the license ended, or was removed)."""
    reserve = device.state.reserve
    if reserve is not None and reserve.status is ReserveStatus.FAILED:
        return device.with_reserve(with_status(reserve, ReserveStatus.SAVED))
    return device


# --- transitions ---------------------------------------------------------------------------


def loaded(state: DeviceState) -> DeviceState:
    """At start: a takeover cut short, or waiting to retry, may simply go again (activating
    twice is safe: the server gives the same seat back)."""
    reserve = state.reserve
    if reserve is not None and (
        reserve.status is ReserveStatus.ACTIVATING
        or (reserve.status is ReserveStatus.FAILED and reserve.failure_transient)
    ):
        return state.with_(reserve=with_status(reserve, ReserveStatus.SAVED))
    return state


def tick(device: Device, now: datetime, *, idle: bool) -> Step:
    """What is due now: the 14-day warning, the end of a license, the reserve's takeover,
    and the next wake-up. ``idle``: no other operation runs (a takeover may start)."""
    effects: list[Effect] = []
    lic, state = device.license, device.state
    current = device.license_state(now)
    if (
        lic is not None
        and current is LicenseState.EXPIRING_SOON
        and (state.reserve is None or reserve_failed_for_good(state.reserve))
        and state.warned_expiry_for != lic.seat_id
    ):
        device = device.with_state(warned_expiry_for=lic.seat_id)
        effects.append(Tell(Notice.EXPIRING_NO_RESERVE))
    if (
        lic is not None
        and current is LicenseState.EXPIRED
        and device.state.reserve is None
        and device.state.warned_expired_for != lic.seat_id
    ):
        device = device.with_state(warned_expired_for=lic.seat_id)
        effects.append(Tell(Notice.LICENSE_EXPIRED))
    ended = lic.seat_id if lic is not None and lic.expires_at <= now else None
    if ended is not None and ended != device.ended_seen:
        # The license has just ended (or had, at start): a reserve that failed before gets
        # one fresh try at this moment, as section 4 asks.
        device = _fresh_try(replace(device, ended_seen=ended))
    reserve = device.state.reserve
    if (
        idle
        and reserve is not None
        and reserve.status is ReserveStatus.SAVED
        and may_take_over(device, now, manual=False)
    ):
        return Step(device, (*effects, TakeOver(manual=False)))
    return Step(device, (*effects, WakeAt(next_change(device, now))))


def takeover_starts(device: Device, now: datetime, *, manual: bool) -> Step:
    """A takeover is about to run: mark the reserve activating, or say it is not needed."""
    reserve = device.state.reserve
    if reserve is None or not may_take_over(device, now, manual=manual):
        # Things changed while it waited. A retry no longer needed leaves the reserve saved,
        # to take over when the license ends.
        if reserve is not None and reserve.failure_transient:
            device = _fresh_try(device)
        return Step(device)
    device = replace(device, retry_delay=0.0) if manual else device
    return Step(
        device.with_reserve(with_status(reserve, ReserveStatus.ACTIVATING)), (TakeOver(manual),)
    )


def installed(
    device: Device,
    lic: License,
    *,
    blocked: bool,
    devices_used: int | None,
    was_reserve: bool,
    now: datetime,
) -> Step:
    """``lic`` became the current license (saved by the user, or the reserve took over)."""
    old = device.license
    old_token = device.state.license_token
    state = device.state.with_(
        license_token=lic.token, blocked=blocked, devices_used=devices_used, checked_at=now
    )
    effects: list[Effect] = []
    if was_reserve and state.reserve is not None:
        state = state.with_(reserve=None)
        effects.append(ForgetReserveCode())
    elif state.reserve is not None:
        # A different code became the license: the reserve now waits for that one, and the
        # server says again whether it can follow it (and from when).
        state = state.with_(reserve=with_status(state.reserve, ReserveStatus.SAVED))
        effects.append(Recheck())
    if old is not None and old_token is not None and old.seat_id != lic.seat_id:
        effects.append(FreeSeat(old_token))  # the replaced license's seat is of no use now
    return Step(replace(device, state=state, license=lic, retry_delay=0.0), tuple(effects))


def reserve_failed(device: Device, failure: Failure, *, manual: bool, timing: Timing) -> Step:
    """The takeover did not happen: keep the reserve, say why, retry what may pass."""
    reserve = device.state.reserve
    if reserve is None:
        return Step(device)
    failed = with_status(
        reserve, ReserveStatus.FAILED, failure.key, failure.message, transient=failure.transient
    )
    device = device.with_reserve(failed)
    if failure.seat_freed:
        return _hold_freed(device)
    if failure.transient:
        delay = backoff(device.retry_delay, timing)
        after = max(delay, failure.retry_after or 0.0)
        return Step(replace(device, retry_delay=delay), (RetryIn(after, manual),))
    effects: list[Effect] = [Tell(Notice.RESERVE_FAILED)]
    if failure.error is ErrorCode.ACCOUNT_REQUIRED:
        effects.append(AskForAccount())
    return Step(device, tuple(effects))


def missing_code_failure() -> Failure:
    return Failure(ours=Ours.RESERVE_CODE_MISSING, message="not in the store")


def local_failure(what: str) -> Failure:
    """Our own trouble (keys, files, store): worth another try later."""
    return Failure(ours=Ours.LOCAL_PROBLEM, message=what)


def license_removed(device: Device) -> Device:
    """This device's license was removed by the user: removal is a trigger too."""
    return _fresh_try(
        replace(device, license=None).with_state(
            license_token=None, blocked=False, devices_used=None
        )
    )


def license_rejected(device: Device) -> Device:
    """The server disowned the license (it never signed it, or not for this device): not
    believed, and the device waits for the server's word on what it holds."""
    return replace(device, license=None).with_state(
        license_token=None, blocked=False, devices_used=None, recovery=Recovery.REJECTED
    )


def synced(device: Device, status: SyncAnswer | None, fresh: License | None, now: datetime) -> Step:
    """A status sync answered (``status`` None: there is no license to ask about)."""
    state = device.state.with_(checked_at=now)
    effects: list[Effect] = []
    lic = device.license
    if status is not None and not status.seat and status.reason == REASON_SEAT_FREED:
        return seat_freed(replace(device, state=state))
    if status is not None:
        state = state.with_(account_email=status.account or state.account_email)
        if not status.seat or fresh is None:
            # The server no longer holds this seat: the license was removed elsewhere.
            lic = None
            state = state.with_(license_token=None, blocked=False, devices_used=None)
            if state.reserve is None:
                effects.append(Tell(Notice.LICENSE_GONE))
            else:
                state = state.with_(reserve=with_status(state.reserve, ReserveStatus.SAVED))
        else:
            newly_blocked = status.blocked and not state.blocked
            if state.blocked and not status.blocked and state.reserve is not None:
                state = state.with_(reserve=with_status(state.reserve, ReserveStatus.SAVED))
            lic = fresh
            state = state.with_(
                license_token=fresh.token, blocked=status.blocked, devices_used=status.devices_used
            )
            if newly_blocked:
                effects.append(Tell(Notice.LICENSE_BLOCKED))
            if state.reserve is not None and state.reserve.held:
                # Section 6: every sync checks the held reserve again (blocked, this app's
                # version, the current license's end moved) and has it signed again.
                effects.append(Recheck())
    return Step(replace(device, state=state, license=lic), tuple(effects))


def seat_freed(device: Device) -> Step:
    """The account freed this device's seats on the web (a lost device): its license, the
    seat held for its reserve and its link to the account are gone. Nothing takes a seat
    again by itself; a reserve code stays, waiting for the user (Try again)."""
    device = replace(device, license=None).with_state(
        license_token=None, blocked=False, devices_used=None
    )
    reserve = device.state.reserve
    if reserve is not None:
        failed = with_status(reserve, ReserveStatus.FAILED, REASON_SEAT_FREED, "seat freed")
        device = device.with_reserve(failed)
    return _hold_freed(device)


def _hold_freed(device: Device) -> Step:
    """What was held for this device was freed from its account, which it has left. With
    no license, that is all there is to tell; a license still here is asked about first."""
    reserve = device.state.reserve
    if reserve is not None and reserve.held:
        device = device.with_reserve(replace(reserve, license_token=None))
    device = device.with_state(account_email=None)
    return Step(device, (Tell(Notice.SEAT_FREED),) if device.license is None else ())


def reserve_rechecked(device: Device, fresh: Reserve | None, failure: Failure | None) -> Step:
    """The server said again whether the reserve follows the current license.

    ``fresh``: it does, from these moments; None with no ``failure``: it would be activated
    at once, so it follows the current license as it is.
    """
    reserve = device.state.reserve
    if reserve is None:
        return Step(device)
    if failure is not None:
        if failure.transient:
            return Step(device)
        if failure.error is ErrorCode.NOT_FOUND and not failure.seat_freed:
            # The seat is no longer held for it (freed elsewhere): the code itself still
            # takes over, online.
            return Step(device.with_reserve(replace(reserve, license_token=None)))
        # A refusal revokes the hold: the reserve would fail, and the user is told now,
        # days before the license ends, not at that instant.
        failed = with_status(
            replace(reserve, license_token=None),
            ReserveStatus.FAILED,
            failure.key,
            failure.message,
        )
        effects: tuple[Effect, ...] = ()
        if failure.ours is not Ours.RESERVE_CODE_MISSING:
            effects = (Tell(Notice.RESERVE_AT_RISK),)
        return Step(device.with_reserve(failed), effects)
    if fresh is not None:
        return Step(device.with_reserve(replace(fresh, saved_at=reserve.saved_at)))
    if device.license is not None:
        return Step(device.with_reserve(replace(reserve, takes_over_at=device.license.expires_at)))
    return Step(device)


def signed_in(device: Device, email: str) -> Step:
    """Connected to an account: a reserve that waited for one goes again now."""
    device = device.with_state(account_email=email)
    reserve = device.state.reserve
    if (
        reserve is not None
        and reserve.status is ReserveStatus.FAILED
        and reserve.failure == ErrorCode.ACCOUNT_REQUIRED.value
    ):
        return Step(device, (TakeOver(manual=True),))
    return Step(device)
