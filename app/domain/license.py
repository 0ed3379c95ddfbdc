"""License rules of the domain (sections 2-4): states, expiry, activation and reserve checks.

Every function here is pure: callers pass the facts and the current time, so the server
(which knows every code) and the client (which knows its own license) apply the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from app.domain.errors import (
    REASON_CURRENT_CODE,
    REASON_SAVED_RESERVE,
    REASON_VALID_UNTIL,
    DomainError,
    ErrorCode,
)

if TYPE_CHECKING:  # imported where used: the desktop app needs them only on its server
    from packaging.specifiers import SpecifierSet

# packaging is imported inside the two functions that read versions (about 20 ms,
# bench/imports.py): the rules load with every command, the versions are read only when a code is
# checked.

EXPIRING_SOON_WINDOW = timedelta(days=14)


class LicenseType(StrEnum):
    COMMERCIAL = "commercial"
    TRIAL = "trial"
    SUBSCRIPTION = "subscription"


class LicenseState(StrEnum):
    NONE = "none"
    TRIAL = "trial"
    ACTIVE = "active"
    EXPIRING_SOON = "expiring_soon"
    EXPIRED = "expired"
    BLOCKED = "blocked"


def license_state(
    license_type: LicenseType | None, expires_at: datetime | None, blocked: bool, now: datetime
) -> LicenseState:
    """The state of a current license; blocked wins over everything, expiry over type."""
    if license_type is None or expires_at is None:
        return LicenseState.NONE
    if blocked:
        return LicenseState.BLOCKED
    if now >= expires_at:
        return LicenseState.EXPIRED
    if license_type is LicenseType.TRIAL:
        return LicenseState.TRIAL
    if expires_at - now <= EXPIRING_SOON_WINDOW:
        return LicenseState.EXPIRING_SOON
    return LicenseState.ACTIVE


def parse_version_spec(spec: str) -> SpecifierSet:
    """A PEP 440 specifier; ValueError with a readable message when it is not one."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(spec)
    except InvalidSpecifier as exc:
        raise ValueError(f"invalid app version specifier {spec!r}: {exc}") from exc


def version_fits(spec: str, app_version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        version = Version(app_version)
    except InvalidVersion as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, f"app_version {app_version!r} is not a version number"
        ) from exc
    return parse_version_spec(spec).contains(version, prereleases=True)


@dataclass(frozen=True)
class CodeFacts:
    """One activation code as the rules, the licenses and the answers see it: the server
    reads its row into this one shape."""

    type: LicenseType
    term: timedelta
    max_devices: int
    devices_used: int
    valid_until: datetime
    first_activated_at: datetime | None
    blocked: bool
    requires_account: bool
    app_versions: str
    last5: str = ""
    id: int | None = None  # the server's own number for it

    @property
    def expires_at(self) -> datetime | None:
        """When the code's term ends: None until its first activation (fact 7)."""
        if self.first_activated_at is None:
            return None
        return self.first_activated_at + self.term

    def started(self, start: datetime) -> CodeFacts:
        """The code once a seat of it has started at ``start``: fact 7, its first activation
        is the earliest start of any of its seats (a seat taken over with no network may
        have started before another device activated the code online)."""
        first = self.first_activated_at
        return replace(self, first_activated_at=start if first is None else min(first, start))

    def expiry_if_activated_at(self, moment: datetime) -> datetime:
        """Fact 7: the term runs from the code's first activation on any device."""
        return self.expires_at or moment + self.term

    def state(self, now: datetime) -> LicenseState:
        """The state of a license of this code at ``now``: NONE until first activated."""
        return license_state(self.type, self.expires_at, self.blocked, now)


@dataclass(frozen=True)
class CurrentLicense:
    """The license a device holds now, as read from its signed token."""

    type: LicenseType
    expires_at: datetime
    blocked: bool = False

    def state(self, now: datetime) -> LicenseState:
        return license_state(self.type, self.expires_at, self.blocked, now)


def save_action(current: CurrentLicense | None, now: datetime) -> Literal["activate", "reserve"]:
    """Section 3: with no usable commercial/subscription license a new code is activated now."""
    if current is None:
        return "activate"
    if current.state(now) in (LicenseState.EXPIRED, LicenseState.BLOCKED, LicenseState.TRIAL):
        return "activate"
    return "reserve"


MAX_TERM = timedelta(days=100 * 365)
#: The most devices one code may cover (the database keeps the count in 32 bits).
MAX_DEVICES = 1_000_000_000
#: The longest app version specifier a code may carry (its column's width, on every database).
MAX_VERSION_SPEC = 200


def _check_term_left(code: CodeFacts, now: datetime) -> None:
    if code.first_activated_at is not None and now >= code.expiry_if_activated_at(now):
        raise DomainError(
            ErrorCode.CODE_EXPIRED,
            "The license period of this activation code has already ended.",
        )


def check_activation(
    code: CodeFacts,
    *,
    now: datetime,
    app_version: str,
    device_has_seat: bool,
    device_has_account: bool,
) -> None:
    """Full verification at activation; raises DomainError with the first reason to refuse.

    A device that already holds a seat of the code gets it back (idempotent re-activation)
    unless the code has been blocked since.
    """
    if code.blocked:
        raise DomainError(ErrorCode.CODE_BLOCKED)
    if device_has_seat:
        return
    if now >= code.valid_until:
        raise DomainError(ErrorCode.CODE_EXPIRED)
    _check_term_left(code, now)
    if not version_fits(code.app_versions, app_version):
        raise DomainError(ErrorCode.INCOMPATIBLE_VERSION)
    if code.requires_account and not device_has_account:
        raise DomainError(ErrorCode.ACCOUNT_REQUIRED)
    if code.devices_used >= code.max_devices:
        raise DomainError(ErrorCode.DEVICE_LIMIT_REACHED)


def check_reserve_slot(
    current: CurrentLicense,
    *,
    is_current_code: bool,
    is_saved_reserve: bool,
    reserve_saved: bool,
    replacing: bool = False,
) -> None:
    """The refusals of section 3 that need no facts of the new code, checked first.

    The order puts the most specific reason first: typing the saved reserve again says
    ``same_code``, not ``reserve_already_set``; with a subscription nothing else matters.
    ``replacing`` (section 3, *Replacing the reserve*): the device asks to replace its saved
    reserve with this code if the code passes, so a saved reserve is no refusal.
    """
    if current.type is LicenseType.SUBSCRIPTION:
        raise DomainError(ErrorCode.SUBSCRIPTION_NO_RESERVE)
    if is_current_code:
        raise DomainError(
            ErrorCode.SAME_CODE,
            "This activation code is the one your current license was activated with.",
            reason=REASON_CURRENT_CODE,
        )
    if is_saved_reserve:
        raise DomainError(
            ErrorCode.SAME_CODE,
            "This activation code is already saved as the reserve code.",
            reason=REASON_SAVED_RESERVE,
        )
    if reserve_saved and not replacing:
        raise DomainError(ErrorCode.RESERVE_ALREADY_SET)


def check_reserve_code(
    current: CurrentLicense,
    code: CodeFacts,
    *,
    now: datetime,
    app_version: str,
    device_has_seat: bool,
) -> datetime:
    """The refusals of section 3 that depend on the new code; returns the expiry it would give."""
    if code.blocked:
        raise DomainError(ErrorCode.CODE_BLOCKED)
    if code.type is not LicenseType.COMMERCIAL:
        raise DomainError(ErrorCode.RESERVE_TYPE_NOT_ALLOWED)
    if now >= code.valid_until:
        raise DomainError(ErrorCode.CODE_EXPIRED)
    _check_term_left(code, now)
    if not version_fits(code.app_versions, app_version):
        raise DomainError(ErrorCode.INCOMPATIBLE_VERSION)
    if not device_has_seat and code.devices_used >= code.max_devices:
        raise DomainError(ErrorCode.DEVICE_LIMIT_REACHED)
    # The reserve takes over when the current license ends; the code must still be
    # activatable then, and the license it gives must outlast the current one.
    takes_over_at = max(current.expires_at, now)
    if code.valid_until <= takes_over_at:
        raise DomainError(
            ErrorCode.NOT_LATER_THAN_CURRENT,
            "This code can only be activated until a date before your current license ends, "
            "so it could not take over.",
            reason=REASON_VALID_UNTIL,
        )
    reserve_expiry = code.expiry_if_activated_at(takes_over_at)
    if reserve_expiry <= current.expires_at:
        raise DomainError(ErrorCode.NOT_LATER_THAN_CURRENT)
    return reserve_expiry


def check_reserve(
    current: CurrentLicense,
    code: CodeFacts,
    *,
    now: datetime,
    app_version: str,
    is_current_code: bool,
    is_saved_reserve: bool,
    reserve_saved: bool,
    device_has_seat: bool,
    replacing: bool = False,
) -> datetime:
    """Section 3 pre-check of a reserve code, both parts; returns the expiry it would give."""
    check_reserve_slot(
        current,
        is_current_code=is_current_code,
        is_saved_reserve=is_saved_reserve,
        reserve_saved=reserve_saved,
        replacing=replacing,
    )
    return check_reserve_code(
        current, code, now=now, app_version=app_version, device_has_seat=device_has_seat
    )
