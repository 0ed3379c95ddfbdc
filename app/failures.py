"""Why something the device asked for did not happen: one shape from the wire to the words.

A :class:`Failure` is the server's refusal (its error code and finer reason), a failure to
reach the server (why), or a failure found on this computer (:class:`Ours`). The HTTP
client raises it inside :class:`~app.client.api.ApiError`; the engine hands it on to its
views unchanged (a refused save, a refused sign-in, a reserve that did not take over);
``app.gui.texts.failure_words`` turns it into words through one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import REASON_SEAT_FREED, TRANSIENT, ErrorCode


class Unreachable(StrEnum):
    """Why the server could not be asked: each calls for a different thing to check."""

    REFUSED = "refused"  # nothing listens at the address (stopped, starting, wrong port)
    NO_SUCH_HOST = "no_such_host"  # the server's name does not resolve (offline, typo)
    TIMED_OUT = "timed_out"  # no connection or no answer in time (network, overloaded)
    SECURE_CONNECTION = "secure_connection"  # TLS failed (certificate, clock, interception)
    NOT_STANDBY = "not_standby"  # something answered, but not as an activation server
    NETWORK = "network"  # any other failure to connect


class Ours(StrEnum):
    """Failures found on this computer, not refused by the server."""

    #: The saved reserve code is gone from the secret store.
    RESERVE_CODE_MISSING = "reserve_code_missing"
    #: The account's reserve needs its code (its held seat is gone), and that code is kept
    #: in the account on the web, never on the device.
    ACCOUNT_RESERVE_GONE = "account_reserve_gone"
    #: Something on this computer (disk, keyring) failed.
    LOCAL_PROBLEM = "local_problem"
    #: The server's answer carried a license whose signature did not check out.
    LICENSE_NOT_VERIFIED = "license_not_verified"
    #: The data folder cannot be written, so the result could not be kept.
    CANNOT_WRITE = "cannot_write"


#: The key a reserve's failure is kept under when the server could not be reached (the
#: kind is not kept: by the time anyone reads it, the network may fail differently).
UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Failure:
    """Exactly one of ``error``, ``unreachable`` and ``ours`` is set (``error`` may come
    with the server's ``reason``). ``message`` is for the log, never shown as it is."""

    error: ErrorCode | None = None
    reason: str | None = None
    unreachable: Unreachable | None = None
    ours: Ours | None = None
    message: str = ""
    retry_after: float | None = None  # seconds the server asked to wait, if it did

    @property
    def key(self) -> str:
        """One word for it, as a reserve's failure is kept and ``license show`` says it:
        ours, ``unreachable``, ``seat_freed``, or the server's error code."""
        if self.ours is not None:
            return self.ours.value
        if self.unreachable is not None:
            return UNREACHABLE
        if self.seat_freed:
            return REASON_SEAT_FREED
        return (self.error or ErrorCode.INTERNAL_ERROR).value

    @property
    def transient(self) -> bool:
        """The same thing may succeed later without anyone doing anything."""
        return (
            self.unreachable is not None
            or self.error in TRANSIENT
            or self.ours is Ours.LOCAL_PROBLEM
        )

    @property
    def seat_freed(self) -> bool:
        """The held seat was freed from the account on the web."""
        return self.error is ErrorCode.NOT_FOUND and self.reason == REASON_SEAT_FREED

    @classmethod
    def of_key(cls, key: str | None, message: str = "") -> Failure | None:
        """A failure back from its :attr:`key` (a reserve's failure, as it was kept)."""
        if key is None:
            return None
        if key == UNREACHABLE:
            return cls(unreachable=Unreachable.NETWORK, message=message)
        if key == REASON_SEAT_FREED:
            return cls(ErrorCode.NOT_FOUND, REASON_SEAT_FREED, message=message)
        if key in {ours.value for ours in Ours}:
            return cls(ours=Ours(key), message=message)
        if key in {error.value for error in ErrorCode}:
            return cls(ErrorCode(key), message=message)
        return cls(ours=Ours.LOCAL_PROBLEM, message=message)
