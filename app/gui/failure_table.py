"""The words for each :class:`~app.failures.Failure`, as untranslated sources (context
``Texts``): ``texts.failure_words`` looks one up and translates it when it is shown, so the
language in use then is the one said."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.domain.errors import (
    REASON_CURRENT_CODE,
    REASON_SAVED_RESERVE,
    REASON_SEAT_FREED,
    REASON_VALID_UNTIL,
    ErrorCode,
)
from app.failures import Ours

# A text to translate: QT_TRANSLATE_NOOP hands back its text unchanged (its stub says
# ``object``); it only marks the text for lupdate.
Source = object

# An error code with a finer reason that changes what to tell.
BY_REASON: dict[tuple[ErrorCode, str], Source] = {
    (ErrorCode.NOT_LATER_THAN_CURRENT, REASON_VALID_UNTIL): QT_TRANSLATE_NOOP(
        "Texts",
        "This code can only be activated until a date before your current license ends, so "
        "it could not take over from it.",
    ),
    (ErrorCode.SAME_CODE, REASON_CURRENT_CODE): QT_TRANSLATE_NOOP(
        "Texts", "This is the activation code your current license was activated with."
    ),
    (ErrorCode.SAME_CODE, REASON_SAVED_RESERVE): QT_TRANSLATE_NOOP(
        "Texts", "This activation code is already saved as your reserve code."
    ),
    (ErrorCode.NOT_FOUND, REASON_SEAT_FREED): QT_TRANSLATE_NOOP(
        "Texts", "This device's licenses were released from your account on the web."
    ),
}

BY_ERROR: dict[ErrorCode, Source] = {
    ErrorCode.INVALID_FORMAT: QT_TRANSLATE_NOOP(
        "Texts", "This is not a valid activation code. Check it for typing mistakes."
    ),
    ErrorCode.CODE_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Texts",
        "We could not find this activation code. Check that you typed it exactly as it "
        "appears in your purchase confirmation. A code bought in the last 24 hours may "
        "not be known yet: try again later.",
    ),
    ErrorCode.CODE_EXPIRED: QT_TRANSLATE_NOOP(
        "Texts", "This activation code can no longer be activated: its validity has ended."
    ),
    ErrorCode.CODE_BLOCKED: QT_TRANSLATE_NOOP(
        "Texts", "This activation code has been blocked and cannot be used."
    ),
    ErrorCode.DEVICE_LIMIT_REACHED: QT_TRANSLATE_NOOP(
        "Texts",
        "This activation code is already in use on all the devices it covers. Remove it "
        "from a device you no longer use, then try again.",
    ),
    ErrorCode.INCOMPATIBLE_VERSION: QT_TRANSLATE_NOOP(
        "Texts", "This activation code is not valid for this version of Standby."
    ),
    ErrorCode.ACCOUNT_REQUIRED: QT_TRANSLATE_NOOP(
        "Texts",
        "This activation code needs this device to be connected to your account. Sign in, "
        "then try again.",
    ),
    ErrorCode.SUBSCRIPTION_NO_RESERVE: QT_TRANSLATE_NOOP(
        "Texts",
        "You cannot add a reserve code while you use a subscription: a subscription renews "
        "by itself.",
    ),
    ErrorCode.RESERVE_TYPE_NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "Texts", "A trial or subscription code cannot be saved as a reserve code."
    ),
    ErrorCode.RESERVE_ALREADY_SET: QT_TRANSLATE_NOOP(
        "Texts",
        "A reserve code is already saved. To save a different one, first remove the saved "
        "one in License details.",
    ),
    ErrorCode.SAME_CODE: QT_TRANSLATE_NOOP(
        "Texts",
        "This activation code is already in use on this device or saved as its reserve code.",
    ),
    ErrorCode.NOT_LATER_THAN_CURRENT: QT_TRANSLATE_NOOP(
        "Texts",
        "This code would not extend your protection: it expires no later than your current "
        "license.",
    ),
    ErrorCode.RATE_LIMITED: QT_TRANSLATE_NOOP(
        "Texts", "Too many attempts in a short time. Wait a moment, then try again."
    ),
    ErrorCode.UNAUTHORIZED: QT_TRANSLATE_NOOP(
        "Texts", "The e-mail address or the password is not correct."
    ),
    ErrorCode.DEVICE_NOT_PROVEN: QT_TRANSLATE_NOOP(
        "Texts",
        "The activation server could not confirm that this computer is the one the license "
        "belongs to. This happens when Standby's data was copied here from another computer, "
        "or when the computer's clock is far off. Check the clock; if it is right, contact "
        "support.",
    ),
    ErrorCode.VALIDATION_ERROR: QT_TRANSLATE_NOOP(
        "Texts", "The activation server did not accept the request. Check what you entered."
    ),
    ErrorCode.NOT_FOUND: QT_TRANSLATE_NOOP(
        "Texts", "The activation server had a problem. Try again later."
    ),
    ErrorCode.INTERNAL_ERROR: QT_TRANSLATE_NOOP(
        "Texts", "The activation server had a problem. Try again later."
    ),
}

# Failures found on this computer (the account's reserve gone is worded by the account's
# own words, ``account_words``).
BY_OURS: dict[Ours, Source] = {
    Ours.LOCAL_PROBLEM: QT_TRANSLATE_NOOP(
        "Texts",
        "Standby could not save the license data on this computer. Check that there is free "
        "disk space and that your password keyring is unlocked, then try again.",
    ),
    Ours.LICENSE_NOT_VERIFIED: QT_TRANSLATE_NOOP(
        "Texts",
        "The activation server's answer could not be verified, so it was not used. Try "
        "again later.",
    ),
    Ours.RESERVE_CODE_MISSING: QT_TRANSLATE_NOOP(
        "Texts",
        "The reserve code is no longer stored on this device. Remove it and enter it again.",
    ),
    Ours.CANNOT_WRITE: QT_TRANSLATE_NOOP(
        "Texts",
        "Standby cannot write to its data folder (the disk may be full, or the folder "
        "read-only), so nothing was changed. Free some disk space or check the folder's "
        "permissions, then try again.",
    ),
}

# For anything the tables do not name.
ANYTHING_ELSE = QT_TRANSLATE_NOOP("Texts", "Something went wrong. Try again later.")
