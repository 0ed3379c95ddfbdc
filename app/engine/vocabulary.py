"""What the license engine tells its views: its snapshot, outcomes, notices and problems.

Views (the window, the tray, ``standby license``, the self-test) import these from here,
never the HTTP layer's exceptions or the engine's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.client.state import Recovery, Reserve, ReserveSource, ReserveStatus
from app.client.tokens import License
from app.domain import errors
from app.domain.license import LicenseState
from app.failures import Failure, Ours, Unreachable

#: ``device_not_proven``'s reason when this device lacks its own key (found by the device,
#: not by the server).
KEY_MISSING = "key_missing"
#: The reasons the server gives with a sign-in's refusal, and with a refused mail (see
#: ``app.domain.errors``).
EMAIL_LIMITED = errors.REASON_EMAIL_LIMITED
ADDRESS_LIMITED = errors.REASON_ADDRESS_LIMITED
CODE_REFUSED = errors.REASON_CODE_REFUSED
MAIL_NOT_OFFERED = errors.REASON_MAIL_NOT_OFFERED
MAIL_LIMITED = errors.REASON_MAIL_LIMITED


@dataclass
class Timing:
    """How long the engine waits; tests shorten these."""

    retry_first: float = 5.0  # seconds before the first retry of a transient failure
    retry_max: float = 300.0
    sync_interval: float = 4 * 3600.0  # status sync with the server
    #: ... while a window shows the state: a server that stopped answering is seen soon.
    watched_sync_interval: float = 300.0
    unreachable_retry_max: float = 60.0
    clock_check: float = 30.0  # how often the wall clock is read while a wake-up is armed
    keyring_wait: float = 120.0  # how long one keyring call may wait for its prompt


class Busy(StrEnum):
    LOADING = "loading"
    SAVING = "saving"
    ACTIVATING = "activating"
    SYNCING = "syncing"
    REMOVING = "removing"
    SIGNING_IN = "signing_in"
    SENDING_CODE = "sending_code"  # asking the server to mail a one-time sign-in code


class Notice(StrEnum):
    """One-off things the user should be told about (shown as a banner and in the tray)."""

    RESERVE_ACTIVATED = "reserve_activated"
    RESERVE_FAILED = "reserve_failed"
    EXPIRING_NO_RESERVE = "expiring_no_reserve"
    LICENSE_EXPIRED = "license_expired"  # ended with no reserve code to take over
    LICENSE_GONE = "license_gone"  # the server no longer holds it (removed elsewhere)
    #: The account freed this device's seats (and holds) on the web and unlinked it.
    SEAT_FREED = "seat_freed"
    LICENSE_BLOCKED = "license_blocked"
    LICENSE_REJECTED = "license_rejected"  # a tampered or foreign license file
    STATE_DAMAGED = "state_damaged"
    #: The held reserve would fail (blocked, no longer for this version…): told days ahead.
    RESERVE_AT_RISK = "reserve_at_risk"
    #: This computer's clock reads well behind the latest time seen (domain.md section 7).
    CLOCK_SET_BACK = "clock_set_back"
    #: The device's record was damaged or not believable, and the server gave it back.
    STATE_RESTORED = "state_restored"
    #: What changed could not be written to the data folder.
    CANNOT_WRITE = "cannot_write"


class Problem(StrEnum):
    """What is wrong with the device now, until it is mended (``license show``'s
    ``problem``; the window says it with what to do)."""

    #: Its key is gone from the secret store: the server cannot tell it from another one.
    DEVICE_KEY_MISSING = "device_key_missing"
    #: Its saved license did not verify, or the server said it never signed it: not
    #: believed; the device asks the server for its real one.
    LICENSE_REJECTED = "license_rejected"
    #: Its license file could not be read: it runs on the last good copy (or on nothing)
    #: until the server has said what it holds.
    STATE_RECOVERED = "state_recovered"
    #: Its data folder cannot be written: what changes now would be lost at a restart.
    CANNOT_WRITE = "cannot_write"
    #: This computer's clock reads well behind the latest time seen.
    CLOCK_SET_BACK = "clock_set_back"


def problem_of(
    *,
    key_missing: bool,
    recovery: Recovery | None,
    cannot_write: bool,
    clock_set_back: bool,
) -> Problem | None:
    """The one problem to tell, the most pressing first."""
    if key_missing:
        return Problem.DEVICE_KEY_MISSING
    if recovery is Recovery.REJECTED:
        return Problem.LICENSE_REJECTED
    if recovery is not None:
        return Problem.STATE_RECOVERED
    if cannot_write:
        return Problem.CANNOT_WRITE
    if clock_set_back:
        return Problem.CLOCK_SET_BACK
    return None


@dataclass(frozen=True)
class Snapshot:
    """Everything the window shows, at one moment."""

    loaded: bool
    device_id: str | None
    license: License | None
    state: LicenseState
    blocked: bool
    devices_used: int | None
    reserve: Reserve | None
    account_email: str | None
    checked_at: datetime | None
    unreachable: Unreachable | None  # why the server cannot be reached, when it cannot
    server_address: str  # host[:port] of the activation server
    busy: Busy | None
    secrets_secure: bool | None  # None until a code was needed (the keyring is asked then)
    secrets_location: str | None
    #: The engine's time when it took the snapshot (its Clock: never behind the latest
    #: time seen): what the state was judged by, and what views count time left from.
    now: datetime
    waiting_for_keyring: bool = False  # a keyring call waits (for the user, as a rule)
    clock_set_back: bool = False  # this computer's clock reads behind the latest time seen
    #: The server's last answer to a status check: this device did not prove it is the
    #: device of its license (a copied data folder, a lost key; domain.md section 8).
    device_not_proven: bool = False
    problem: Problem | None = None
    #: While the device waits for the server's word on what it holds (see Problem).
    recovery: Recovery | None = None
    #: What the device is called in the account console (its host name unless renamed).
    device_name: str | None = None

    @property
    def reserve_failed_for_good(self) -> bool:
        """The reserve's activation failed and waits for the user (not for the server)."""
        return (
            self.reserve is not None
            and self.reserve.status is ReserveStatus.FAILED
            and not self.reserve.failure_transient
        )

    @property
    def reserve_can_take_over_now(self) -> bool:
        """Try again / Activate now make sense: no usable license stands in the way."""
        return self.reserve is not None and self.state in (
            LicenseState.NONE,
            LicenseState.EXPIRED,
            LicenseState.BLOCKED,
        )


class SaveResult(StrEnum):
    ACTIVATED = "activated"
    RESERVED = "reserved"
    REFUSED = "refused"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class SaveOutcome:
    result: SaveResult
    failure: Failure | None = None  # why, when it was REFUSED
    max_devices: int = 1
    takes_over_at: datetime | None = None
    expires_at: datetime | None = None
    replaced_last5: str | None = None  # the saved reserve this code took the place of


__all__ = [
    "ADDRESS_LIMITED",
    "CODE_REFUSED",
    "EMAIL_LIMITED",
    "KEY_MISSING",
    "MAIL_LIMITED",
    "MAIL_NOT_OFFERED",
    "Busy",
    "Failure",
    "License",
    "LicenseState",
    "Notice",
    "Ours",
    "Problem",
    "Recovery",
    "Reserve",
    "ReserveSource",
    "ReserveStatus",
    "SaveOutcome",
    "SaveResult",
    "Snapshot",
    "Timing",
    "Unreachable",
]
