"""domain.md section 4, rule by rule, on a made-up clock: no Qt, no server, no files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.client.state import DeviceState, Reserve, ReserveStatus
from app.client.tokens import License
from app.domain.errors import ErrorCode
from app.domain.license import LicenseType
from app.engine import rules
from app.engine.rules import (
    AskForAccount,
    Device,
    ForgetReserveCode,
    FreeSeat,
    Recheck,
    RetryIn,
    TakeOver,
    Tell,
    WakeAt,
)
from app.engine.vocabulary import Notice, Timing
from app.failures import Failure, Unreachable

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def lic(
    seat: str = "seat-1", *, ends: datetime = T0 + 100 * DAY, kind: str = "commercial"
) -> License:
    return License(
        token=f"token-{seat}",
        seat_id=seat,
        device_id="device",
        type=LicenseType(kind),
        max_devices=1,
        activated_at=T0 - DAY,
        expires_at=ends,
        code_last5="AAAAA",
        requires_account=False,
        starts_at=T0 - DAY,
    )


def reserve(status: ReserveStatus = ReserveStatus.SAVED, **changes: object) -> Reserve:
    saved = Reserve(
        last5="BBBBB",
        type="commercial",
        term_seconds=365 * 86400,
        max_devices=1,
        expires_at=T0 + 465 * DAY,
        takes_over_at=T0 + 100 * DAY,
        saved_at=T0,
        status=status,
    )
    return replace(saved, **changes)  # type: ignore[arg-type]


def device(license: License | None = None, res: Reserve | None = None, **state: object) -> Device:
    token = license.token if license else None
    base = DeviceState(device_id="device", license_token=token, reserve=res)
    return Device(base.with_(**state), license)


def kinds(step: rules.Step) -> list[type]:
    return [type(effect) for effect in step.effects]


# --- the expiry instant and the 14-day mark ------------------------------------------------


def test_a_timer_is_set_for_the_14_day_mark_then_for_the_expiry_instant() -> None:
    current = lic()
    assert rules.tick(device(current), T0, idle=True).effects == (
        WakeAt(current.expires_at - 14 * DAY),
    )
    later = current.expires_at - 3 * DAY
    assert WakeAt(current.expires_at) in rules.tick(device(current), later, idle=True).effects


def test_14_days_before_the_end_with_no_reserve_the_user_is_warned_once() -> None:
    current = lic()
    now = current.expires_at - 13 * DAY
    step = rules.tick(device(current), now, idle=True)
    assert Tell(Notice.EXPIRING_NO_RESERVE) in step.effects
    again = rules.tick(step.device, now + timedelta(hours=1), idle=True)
    assert not any(isinstance(effect, Tell) for effect in again.effects)


def test_no_expiry_warning_while_a_reserve_waits_but_one_when_it_failed_for_good() -> None:
    current = lic()
    now = current.expires_at - 13 * DAY
    waiting = rules.tick(device(current, reserve()), now, idle=True)
    assert Tell(Notice.EXPIRING_NO_RESERVE) not in waiting.effects
    blocked = reserve(ReserveStatus.FAILED, failure="code_blocked")
    failed = rules.tick(device(current, blocked), now, idle=True)
    assert Tell(Notice.EXPIRING_NO_RESERVE) in failed.effects


def test_at_the_expiry_instant_the_saved_reserve_takes_over() -> None:
    current = lic()
    step = rules.tick(device(current, reserve()), current.expires_at, idle=True)
    assert step.effects == (TakeOver(manual=False),)
    started = rules.takeover_starts(step.device, current.expires_at, manual=False)
    assert started.effects == (TakeOver(manual=False),)
    assert started.device.state.reserve is not None
    assert started.device.state.reserve.status is ReserveStatus.ACTIVATING


def test_a_takeover_waits_while_another_operation_runs() -> None:
    current = lic()
    step = rules.tick(device(current, reserve()), current.expires_at, idle=False)
    assert TakeOver(manual=False) not in step.effects


def test_a_license_that_ended_with_no_reserve_is_announced_once() -> None:
    current = lic()
    step = rules.tick(device(current), current.expires_at + DAY, idle=True)
    assert Tell(Notice.LICENSE_EXPIRED) in step.effects
    assert WakeAt(None) in step.effects
    assert (
        Tell(Notice.LICENSE_EXPIRED)
        not in rules.tick(step.device, T0 + 200 * DAY, idle=True).effects
    )


def test_a_reserve_that_failed_earlier_gets_one_fresh_try_when_the_license_ends() -> None:
    current = lic()
    failed = reserve(ReserveStatus.FAILED, failure="device_limit_reached")
    step = rules.tick(device(current, failed), current.expires_at, idle=True)
    assert step.effects == (TakeOver(manual=False),)
    # Failing again waits for the user: the same ended license gives no second fresh try.
    again = rules.reserve_failed(
        step.device,
        Failure(ErrorCode.DEVICE_LIMIT_REACHED, message="full"),
        manual=False,
        timing=Timing(),
    )
    later = rules.tick(again.device, current.expires_at + DAY, idle=True)
    assert TakeOver(manual=False) not in later.effects


def test_an_app_started_after_the_end_takes_over_at_once() -> None:
    loaded = rules.loaded(device(lic(), reserve(ReserveStatus.ACTIVATING)).state)
    assert loaded.reserve is not None
    assert loaded.reserve.status is ReserveStatus.SAVED
    step = rules.tick(Device(loaded, lic()), T0 + 300 * DAY, idle=True)
    assert step.effects == (TakeOver(manual=False),)


# --- manual triggers ---------------------------------------------------------------------


def test_activate_now_switches_a_blocked_license_but_nothing_does_so_by_itself() -> None:
    blocked = device(lic(), reserve(), blocked=True)
    assert not rules.may_take_over(blocked, T0, manual=False)
    assert rules.may_take_over(blocked, T0, manual=True)
    assert TakeOver(manual=False) not in rules.tick(blocked, T0, idle=True).effects


def test_a_license_not_verified_yet_is_never_replaced() -> None:
    unverified = device(None, reserve(), license_token="token-unchecked")
    assert not rules.may_take_over(unverified, T0 + 400 * DAY, manual=True)


def test_a_retry_no_longer_needed_leaves_the_reserve_saved() -> None:
    waiting = reserve(ReserveStatus.FAILED, failure="unreachable", failure_transient=True)
    step = rules.takeover_starts(device(lic(), waiting), T0, manual=False)
    assert step.effects == ()
    assert step.device.state.reserve is not None
    assert step.device.state.reserve.status is ReserveStatus.SAVED


def test_removing_the_license_gives_a_failed_reserve_another_go() -> None:
    failed = reserve(ReserveStatus.FAILED, failure="code_blocked")
    gone = rules.license_removed(device(lic(), failed))
    assert gone.license is None
    assert gone.state.license_token is None
    assert gone.state.reserve is not None
    assert gone.state.reserve.status is ReserveStatus.SAVED
    assert rules.tick(gone, T0, idle=True).effects == (TakeOver(manual=False),)


# --- failures and retries -----------------------------------------------------------------


def test_transient_failures_are_retried_with_a_growing_wait_that_honours_retry_after() -> None:
    timing = Timing(retry_first=5, retry_max=40)
    current = device(lic(ends=T0), reserve(ReserveStatus.ACTIVATING))
    waits = []
    for _ in range(5):
        step = rules.reserve_failed(
            current,
            Failure(unreachable=Unreachable.NETWORK, message="down"),
            manual=False,
            timing=timing,
        )
        (retry,) = step.effects
        assert isinstance(retry, RetryIn)
        waits.append(retry.seconds)
        current = step.device
    assert waits == [5, 10, 20, 40, 40]
    limited = rules.reserve_failed(
        current,
        Failure(ErrorCode.RATE_LIMITED, message="slow down", retry_after=90),
        manual=False,
        timing=timing,
    )
    assert limited.effects == (RetryIn(90, manual=False),)
    assert limited.device.state.reserve is not None
    assert limited.device.state.reserve.status is ReserveStatus.FAILED


@pytest.mark.parametrize(
    ("code", "effects"),
    [
        (ErrorCode.CODE_BLOCKED.value, [Tell]),
        (ErrorCode.DEVICE_LIMIT_REACHED.value, [Tell]),
        (ErrorCode.ACCOUNT_REQUIRED.value, [Tell, AskForAccount]),
    ],
)
def test_permanent_failures_keep_the_reserve_tell_the_user_and_wait(
    code: str, effects: list[type]
) -> None:
    step = rules.reserve_failed(
        device(lic(ends=T0), reserve(ReserveStatus.ACTIVATING)),
        Failure(ErrorCode(code), message="no"),
        manual=False,
        timing=Timing(),
    )
    assert kinds(step) == effects
    assert step.device.state.reserve is not None
    assert step.device.state.reserve.failure == code


def test_signing_in_retries_a_reserve_that_needed_an_account() -> None:
    waiting = reserve(ReserveStatus.FAILED, failure=ErrorCode.ACCOUNT_REQUIRED.value)
    step = rules.signed_in(device(lic(ends=T0), waiting), "me@example.com")
    assert step.device.state.account_email == "me@example.com"
    assert step.effects == (TakeOver(manual=True),)


# --- a new license ------------------------------------------------------------------------


def test_a_successful_takeover_clears_the_reserve_and_frees_the_old_seat() -> None:
    old, new = lic("old", ends=T0), lic("new", ends=T0 + 365 * DAY)
    step = rules.installed(
        device(old, reserve(ReserveStatus.ACTIVATING)),
        new,
        blocked=False,
        devices_used=1,
        was_reserve=True,
        now=T0,
    )
    assert step.device.license == new
    assert step.device.state.reserve is None
    assert step.effects == (ForgetReserveCode(), FreeSeat(old.token))


def test_another_code_activated_makes_the_reserve_follow_the_new_license() -> None:
    step = rules.installed(
        device(lic("old", ends=T0), reserve(ReserveStatus.FAILED, failure="x")),
        lic("other"),
        blocked=False,
        devices_used=1,
        was_reserve=False,
        now=T0,
    )
    assert step.device.state.reserve is not None
    assert step.device.state.reserve.status is ReserveStatus.SAVED
    assert Recheck() in step.effects


# --- status sync --------------------------------------------------------------------------


def test_a_seat_removed_on_the_server_ends_the_license_and_the_reserve_takes_over() -> None:
    gone = rules.synced(device(lic()), rules.SyncAnswer(seat=False), None, T0)
    assert gone.device.license is None
    assert gone.effects == (Tell(Notice.LICENSE_GONE),)
    with_reserve = rules.synced(device(lic(), reserve()), rules.SyncAnswer(seat=False), None, T0)
    assert with_reserve.effects == ()
    assert rules.tick(with_reserve.device, T0, idle=True).effects == (TakeOver(manual=False),)


def test_a_license_blocked_on_the_server_is_told_once() -> None:
    current = lic()
    status = rules.SyncAnswer(seat=True, blocked=True, devices_used=1)
    first = rules.synced(device(current), status, current, T0)
    assert first.effects == (Tell(Notice.LICENSE_BLOCKED),)
    assert first.device.state.blocked
    assert rules.synced(first.device, status, current, T0 + DAY).effects == ()
    assert first.device.state.checked_at == T0


def test_a_reserve_blocked_meanwhile_is_told_at_the_recheck() -> None:
    step = rules.reserve_rechecked(
        device(lic(), reserve()), None, Failure(ErrorCode.CODE_BLOCKED, message="blocked")
    )
    assert step.effects == (Tell(Notice.RESERVE_AT_RISK),)
    assert step.device.state.reserve is not None
    assert step.device.state.reserve.status is ReserveStatus.FAILED


def test_a_saved_code_waits_as_the_reserve_only_behind_a_usable_paid_license() -> None:
    current = lic()
    assert rules.reserve_behind(device(current), T0) == current.token
    assert rules.reserve_behind(device(current), current.expires_at - DAY) == current.token
    assert rules.reserve_behind(device(None), T0) is None
    assert rules.reserve_behind(device(current), current.expires_at) is None  # expired
    assert rules.reserve_behind(device(current, blocked=True), T0) is None
    assert rules.reserve_behind(device(lic(kind="trial")), T0) is None


def test_every_sync_checks_a_held_reserve_again() -> None:
    held = reserve(license_token="held-token")
    current = lic()
    status = rules.SyncAnswer(seat=True)
    assert Recheck() in rules.synced(device(current, held), status, current, T0).effects
    # A reserve that takes over online is checked when the license changes, not at each
    # sync (it would need the code from the keyring).
    assert Recheck() not in rules.synced(device(current, reserve()), status, current, T0).effects


def test_a_refused_renewal_revokes_the_hold_and_tells_the_user_days_ahead() -> None:
    held = reserve(license_token="held-token")
    step = rules.reserve_rechecked(
        device(lic(), held), None, Failure(ErrorCode.CODE_BLOCKED, message="blocked")
    )
    assert step.effects == (Tell(Notice.RESERVE_AT_RISK),)
    failed = step.device.state.reserve
    assert failed is not None
    assert failed.status is ReserveStatus.FAILED
    assert not failed.held


def test_a_hold_freed_elsewhere_leaves_the_reserve_to_take_over_online() -> None:
    held = reserve(license_token="held-token")
    step = rules.reserve_rechecked(
        device(lic(), held), None, Failure(ErrorCode.NOT_FOUND, message="gone")
    )
    assert step.effects == ()
    kept = step.device.state.reserve
    assert kept is not None
    assert kept.status is ReserveStatus.SAVED
    assert not kept.held


def test_while_the_license_is_not_believed_the_reserve_waits_for_its_own_time() -> None:
    from app.client.state import Recovery

    waiting = device(None, reserve(), recovery=Recovery.REJECTED)  # takes over at T0 + 100 days
    assert TakeOver not in kinds(rules.tick(waiting, T0, idle=True))
    assert TakeOver in kinds(rules.tick(waiting, T0 + 100 * DAY, idle=True))
    manual = rules.takeover_starts(waiting, T0, manual=True)  # the user may say go
    assert manual.effects == (TakeOver(manual=True),)
