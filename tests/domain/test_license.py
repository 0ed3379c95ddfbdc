from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import (
    MESSAGES,
    REASON_CURRENT_CODE,
    REASON_SAVED_RESERVE,
    DomainError,
    ErrorCode,
)
from app.domain.license import (
    CodeFacts,
    CurrentLicense,
    LicenseState,
    LicenseType,
    check_activation,
    check_reserve,
    license_state,
    save_action,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
YEAR = timedelta(days=365)
CODE = CodeFacts(
    type=LicenseType.COMMERCIAL,
    term=YEAR,
    max_devices=1,
    devices_used=0,
    valid_until=NOW + 2 * YEAR,
    first_activated_at=None,
    blocked=False,
    requires_account=False,
    app_versions=">=1.0,<3",
)
CURRENT = CurrentLicense(LicenseType.COMMERCIAL, NOW + timedelta(days=100))


def test_every_error_code_has_a_message() -> None:
    for code in ErrorCode:
        assert MESSAGES[code]


@pytest.mark.parametrize(
    ("license_type", "expires_in", "blocked", "state"),
    [
        (None, None, False, LicenseState.NONE),
        (LicenseType.COMMERCIAL, timedelta(days=100), False, LicenseState.ACTIVE),
        (LicenseType.COMMERCIAL, timedelta(days=14), False, LicenseState.EXPIRING_SOON),
        (LicenseType.COMMERCIAL, timedelta(days=15), False, LicenseState.ACTIVE),
        (LicenseType.COMMERCIAL, timedelta(0), False, LicenseState.EXPIRED),
        (LicenseType.COMMERCIAL, timedelta(days=100), True, LicenseState.BLOCKED),
        (LicenseType.TRIAL, timedelta(days=5), False, LicenseState.TRIAL),
        (LicenseType.TRIAL, -timedelta(days=5), False, LicenseState.EXPIRED),
    ],
)
def test_states(
    license_type: LicenseType | None,
    expires_in: timedelta | None,
    blocked: bool,
    state: LicenseState,
) -> None:
    expires_at = NOW + expires_in if expires_in is not None else None
    assert license_state(license_type, expires_at, blocked, NOW) is state


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (None, "activate"),
        (CurrentLicense(LicenseType.TRIAL, NOW + YEAR), "activate"),
        (CurrentLicense(LicenseType.COMMERCIAL, NOW - timedelta(seconds=1)), "activate"),
        (CurrentLicense(LicenseType.COMMERCIAL, NOW + YEAR, blocked=True), "activate"),
        (CurrentLicense(LicenseType.COMMERCIAL, NOW + YEAR), "reserve"),
        (CurrentLicense(LicenseType.SUBSCRIPTION, NOW + YEAR), "reserve"),
    ],
)
def test_what_save_does(current: CurrentLicense | None, action: str) -> None:
    assert save_action(current, NOW) == action


def _refused(
    code: CodeFacts = CODE, current: CurrentLicense = CURRENT, **flags: bool
) -> DomainError:
    options = {"is_current_code": False, "is_saved_reserve": False, "reserve_saved": False}
    options |= flags
    with pytest.raises(DomainError) as caught:
        check_reserve(current, code, now=NOW, app_version="2.0", device_has_seat=False, **options)
    return caught.value


def _reserve_refusal(
    code: CodeFacts = CODE, current: CurrentLicense = CURRENT, **flags: bool
) -> ErrorCode:
    return _refused(code, current, **flags).code


def _reserve_expiry(
    code: CodeFacts, *, device_has_seat: bool, reserve_saved: bool = False, replacing: bool = False
) -> datetime:
    return check_reserve(
        CURRENT,
        code,
        now=NOW,
        app_version="2.0",
        is_current_code=False,
        is_saved_reserve=False,
        reserve_saved=reserve_saved,
        device_has_seat=device_has_seat,
        replacing=replacing,
    )


def test_a_fresh_code_is_a_good_reserve_and_runs_from_the_current_expiry() -> None:
    expiry = _reserve_expiry(CODE, device_has_seat=False)
    assert expiry == CURRENT.expires_at + YEAR


def test_reserve_refusals() -> None:
    subscription = CurrentLicense(LicenseType.SUBSCRIPTION, NOW + YEAR)
    assert _reserve_refusal(current=subscription) is ErrorCode.SUBSCRIPTION_NO_RESERVE
    assert _reserve_refusal(is_current_code=True) is ErrorCode.SAME_CODE
    assert _reserve_refusal(is_saved_reserve=True, reserve_saved=True) is ErrorCode.SAME_CODE
    assert _reserve_refusal(reserve_saved=True) is ErrorCode.RESERVE_ALREADY_SET
    assert _reserve_refusal(replace(CODE, blocked=True)) is ErrorCode.CODE_BLOCKED
    for other in (LicenseType.TRIAL, LicenseType.SUBSCRIPTION):
        assert _reserve_refusal(replace(CODE, type=other)) is ErrorCode.RESERVE_TYPE_NOT_ALLOWED
    assert _reserve_refusal(replace(CODE, valid_until=NOW)) is ErrorCode.CODE_EXPIRED
    assert _reserve_refusal(replace(CODE, app_versions=">=3")) is ErrorCode.INCOMPATIBLE_VERSION
    assert _reserve_refusal(replace(CODE, devices_used=1)) is ErrorCode.DEVICE_LIMIT_REACHED


def test_same_code_says_which_code_it_is() -> None:
    assert _refused(is_current_code=True).reason == REASON_CURRENT_CODE
    assert _refused(is_saved_reserve=True, reserve_saved=True).reason == REASON_SAVED_RESERVE


def test_replacing_the_saved_reserve_checks_the_new_code_in_full() -> None:
    """With a reserve saved, a code meant to replace it gets its own refusals, not
    reserve_already_set; and it passes when it would be accepted on its own."""
    blocked = replace(CODE, blocked=True)
    assert _reserve_refusal(blocked, reserve_saved=True, replacing=True) is ErrorCode.CODE_BLOCKED
    full = replace(CODE, devices_used=1)
    assert (
        _reserve_refusal(full, reserve_saved=True, replacing=True) is ErrorCode.DEVICE_LIMIT_REACHED
    )
    assert (
        _reserve_refusal(is_saved_reserve=True, reserve_saved=True, replacing=True)
        is ErrorCode.SAME_CODE
    )
    expiry = _reserve_expiry(CODE, device_has_seat=False, reserve_saved=True, replacing=True)
    assert expiry == CURRENT.expires_at + YEAR


def test_a_code_first_used_long_ago_is_not_later_than_current() -> None:
    used_before = replace(CODE, first_activated_at=NOW - timedelta(days=300))
    assert _reserve_refusal(used_before) is ErrorCode.NOT_LATER_THAN_CURRENT
    used_recently = replace(CODE, first_activated_at=NOW - timedelta(days=10))
    expiry = _reserve_expiry(used_recently, device_has_seat=False)
    assert expiry == NOW - timedelta(days=10) + YEAR


def test_a_code_that_cannot_be_activated_when_current_ends_is_refused() -> None:
    short_lived = replace(CODE, valid_until=CURRENT.expires_at - timedelta(days=1))
    assert _reserve_refusal(short_lived) is ErrorCode.NOT_LATER_THAN_CURRENT


def test_a_license_missing_its_type_or_its_expiry_is_no_license() -> None:
    assert license_state(None, NOW + YEAR, False, NOW) is LicenseState.NONE
    assert license_state(LicenseType.COMMERCIAL, None, False, NOW) is LicenseState.NONE
    assert license_state(LicenseType.COMMERCIAL, NOW + YEAR, False, NOW) is LicenseState.ACTIVE


def test_a_code_whose_term_ends_this_very_moment_has_no_term_left() -> None:
    ended_now = replace(CODE, first_activated_at=NOW - YEAR)
    assert _reserve_refusal(ended_now) is ErrorCode.CODE_EXPIRED
    a_second_left = replace(CODE, first_activated_at=NOW - YEAR + timedelta(seconds=1))
    assert _reserve_refusal(a_second_left) is ErrorCode.NOT_LATER_THAN_CURRENT  # not expired


def test_a_code_valid_until_the_very_moment_the_current_license_ends_cannot_take_over() -> None:
    """ "Later than" is strict: a code that can be activated until exactly the takeover
    instant is refused, one second more is enough."""
    until_the_end = replace(CODE, valid_until=CURRENT.expires_at)
    assert _reserve_refusal(until_the_end) is ErrorCode.NOT_LATER_THAN_CURRENT
    a_second_more = replace(CODE, valid_until=CURRENT.expires_at + timedelta(seconds=1))
    assert _reserve_expiry(a_second_more, device_has_seat=False) == CURRENT.expires_at + YEAR


def test_a_reserve_ending_when_the_current_license_ends_is_not_later() -> None:
    """A code already running whose term ends exactly when the current license does gives
    nothing more: refused; ending one second later, it is a reserve."""
    ends_together = replace(CODE, first_activated_at=CURRENT.expires_at - YEAR)
    assert _reserve_refusal(ends_together) is ErrorCode.NOT_LATER_THAN_CURRENT
    one_second_later = replace(
        CODE, first_activated_at=CURRENT.expires_at - YEAR + timedelta(seconds=1)
    )
    expiry = _reserve_expiry(one_second_later, device_has_seat=False)
    assert expiry == CURRENT.expires_at + timedelta(seconds=1)


def _activation_refusal(code: CodeFacts, **options: object) -> ErrorCode:
    kwargs: dict[str, object] = {
        "now": NOW,
        "app_version": "2.0",
        "device_has_seat": False,
        "device_has_account": False,
    }
    kwargs |= options
    with pytest.raises(DomainError) as caught:
        check_activation(code, **kwargs)  # type: ignore[arg-type]
    return caught.value.code


def test_activation_refusals() -> None:
    assert _activation_refusal(replace(CODE, blocked=True)) is ErrorCode.CODE_BLOCKED
    assert _activation_refusal(replace(CODE, valid_until=NOW)) is ErrorCode.CODE_EXPIRED
    ended = replace(CODE, first_activated_at=NOW - 2 * YEAR)
    assert _activation_refusal(ended) is ErrorCode.CODE_EXPIRED
    assert _activation_refusal(CODE, app_version="3.1") is ErrorCode.INCOMPATIBLE_VERSION
    assert _activation_refusal(CODE, app_version="banana") is ErrorCode.VALIDATION_ERROR
    assert _activation_refusal(replace(CODE, requires_account=True)) is ErrorCode.ACCOUNT_REQUIRED
    assert _activation_refusal(replace(CODE, devices_used=1)) is ErrorCode.DEVICE_LIMIT_REACHED


def test_a_device_holding_a_seat_gets_it_back_unless_blocked() -> None:
    full_and_past = replace(CODE, devices_used=1, valid_until=NOW - timedelta(days=1))
    check_activation(
        full_and_past, now=NOW, app_version="2.0", device_has_seat=True, device_has_account=False
    )
    assert (
        _activation_refusal(replace(full_and_past, blocked=True), device_has_seat=True)
        is ErrorCode.CODE_BLOCKED
    )


def test_a_device_that_holds_a_seat_of_a_full_code_may_keep_it_as_reserve() -> None:
    full = replace(CODE, devices_used=1)
    expiry = _reserve_expiry(full, device_has_seat=True)
    assert expiry == CURRENT.expires_at + YEAR
