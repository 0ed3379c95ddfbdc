"""Stable error codes: the server sends them, the client turns them into messages.

Which refusals are transient (the client retries with backoff) is said here, for both
sides; the HTTP status each code travels with is the API's business
(``app.server.api.statuses``).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_FORMAT = "invalid_format"
    CODE_NOT_FOUND = "code_not_found"
    CODE_EXPIRED = "code_expired"
    CODE_BLOCKED = "code_blocked"
    DEVICE_LIMIT_REACHED = "device_limit_reached"
    INCOMPATIBLE_VERSION = "incompatible_version"
    ACCOUNT_REQUIRED = "account_required"
    SUBSCRIPTION_NO_RESERVE = "subscription_no_reserve"
    RESERVE_TYPE_NOT_ALLOWED = "reserve_type_not_allowed"
    RESERVE_ALREADY_SET = "reserve_already_set"
    SAME_CODE = "same_code"
    NOT_LATER_THAN_CURRENT = "not_later_than_current"
    RATE_LIMITED = "rate_limited"
    UNAUTHORIZED = "unauthorized"
    DEVICE_NOT_PROVEN = "device_not_proven"
    VALIDATION_ERROR = "validation_error"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INTERNAL_ERROR = "internal_error"
    #: What this server does not do (e-mail, where it was started without ``--smtp``):
    #: waiting will not change it.
    NOT_OFFERED = "not_offered"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.INVALID_FORMAT: "This is not a valid activation code. Check it for typing mistakes.",
    ErrorCode.CODE_NOT_FOUND: "This activation code does not exist. Check it for typing mistakes.",
    ErrorCode.CODE_EXPIRED: "This activation code can no longer be used: it has expired.",
    ErrorCode.CODE_BLOCKED: "This activation code has been blocked.",
    ErrorCode.DEVICE_LIMIT_REACHED: "This activation code is already in use on all the devices "
    "it covers.",
    ErrorCode.INCOMPATIBLE_VERSION: "This activation code does not fit this version of the app.",
    ErrorCode.ACCOUNT_REQUIRED: "This activation code needs the device to be connected to your "
    "account. Sign in first.",
    ErrorCode.SUBSCRIPTION_NO_RESERVE: "A reserve code cannot be added while a subscription is "
    "in use.",
    ErrorCode.RESERVE_TYPE_NOT_ALLOWED: "A trial or subscription code cannot be a reserve code.",
    ErrorCode.RESERVE_ALREADY_SET: "A reserve code is already saved. Remove it first.",
    ErrorCode.SAME_CODE: "This code is already in use on this device.",
    ErrorCode.NOT_LATER_THAN_CURRENT: "This code would not extend your protection: it would "
    "expire no later than your current license.",
    ErrorCode.RATE_LIMITED: "Too many attempts. Wait a moment and try again.",
    ErrorCode.UNAUTHORIZED: "The request could not be authorised.",
    ErrorCode.DEVICE_NOT_PROVEN: "This device could not prove that it is the device it acts for.",
    ErrorCode.VALIDATION_ERROR: "The request was not understood.",
    ErrorCode.NOT_FOUND: "There is nothing at this address.",
    ErrorCode.METHOD_NOT_ALLOWED: "This address does not take this method (see Allow).",
    ErrorCode.INTERNAL_ERROR: "The activation server had an unexpected problem.",
    ErrorCode.NOT_OFFERED: "This server does not offer this.",
}

#: Failures worth retrying by themselves; every other refusal waits for the user.
TRANSIENT: frozenset[ErrorCode] = frozenset({ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL_ERROR})


#: The reasons of a sign-in's refusal: ``rate_limited`` because wrong passwords were tried
#: for the e-mail from clients its account does not know (a one-time code mailed to the owner
#: lets the right password in), or because the caller's own address failed too often;
#: ``unauthorized`` because the one-time code was wrong, spent or expired.
REASON_EMAIL_LIMITED = "email_limited"
REASON_ADDRESS_LIMITED = "address_limited"
REASON_CODE_REFUSED = "code_refused"
#: The reasons of a refused request for a mail (a one-time code, a password-reset link): the
#: server sends no e-mail at all (``not_offered``), or this address was mailed as often as it
#: may be for now (``rate_limited``).
REASON_MAIL_NOT_OFFERED = "recovery_not_offered"
REASON_MAIL_LIMITED = "mail_limited"

#: Why a not_later_than_current refusal happened, when it is not the plain reason (the code
#: would expire no later): its "valid until" comes before it could take over.
REASON_VALID_UNTIL = "valid_until_before_takeover"
#: Which code a same_code refusal is the same as: the current license's, or the saved reserve.
REASON_CURRENT_CODE = "current_code"
REASON_SAVED_RESERVE = "saved_reserve"
#: Why an unauthorized refusal of a license signed ahead happened: its start (nbf) has not
#: come, or its end (exp) has passed while it was still held.
REASON_NOT_YET_VALID = "not_yet_valid"
REASON_HOLD_ENDED = "hold_ended"
#: Why an unauthorized refusal of a license happened: the server never signed it, or it
#: names another device than the one asking.
REASON_NOT_SIGNED = "not_signed"
REASON_OTHER_DEVICE = "other_device"
#: Why a not_found refusal happened: the seat held for the reserve is gone (released, or
#: revoked when its code was blocked).
REASON_HOLD_GONE = "hold_gone"
#: Why a license has no seat any more (a status answer) or a held seat is gone: the account
#: freed every seat of the device from the account console (a lost or stolen device).
REASON_SEAT_FREED = "seat_freed"


class DomainError(Exception):
    """A refusal with a stable code, a message for people and, sometimes, a finer reason."""

    def __init__(
        self,
        code: ErrorCode,
        message: str | None = None,
        *,
        retry_after: int | None = None,
        reason: str | None = None,
    ) -> None:
        self.code = code
        self.retry_after = retry_after  # seconds, for refusals that end by themselves
        self.reason = reason  # lets a client word the refusal precisely, in its own language
        self.message = message or MESSAGES[code]
        super().__init__(f"{code}: {self.message}")
