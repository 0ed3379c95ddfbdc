"""Words the window shows for the engine's states and the server's error codes.

Every string goes through Qt's translation (context ``Texts``), so English and Polish
come from one place. Error messages are the app's own, never the server's English text.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QTimeZone

from app.domain import codes
from app.domain.errors import (
    REASON_CURRENT_CODE,
    REASON_SAVED_RESERVE,
    REASON_SEAT_FREED,
    REASON_VALID_UNTIL,
    ErrorCode,
)
from app.domain.license import LicenseState
from app.engine.vocabulary import (
    ACCOUNT_RESERVE_GONE,
    CANNOT_WRITE,
    KEY_MISSING,
    LICENSE_NOT_VERIFIED,
    LOCAL_PROBLEM,
    RESERVE_CODE_MISSING,
    Problem,
    Reserve,
    ReserveStatus,
    Unreachable,
)
from app.gui import account_words

translate = QCoreApplication.translate

UNREACHABLE = "unreachable"


def state_name(state: LicenseState) -> str:
    names = {
        LicenseState.NONE: translate("Texts", "No license"),
        LicenseState.TRIAL: translate("Texts", "Trial"),
        LicenseState.ACTIVE: translate("Texts", "Active"),
        LicenseState.EXPIRING_SOON: translate("Texts", "Expires soon"),
        LicenseState.EXPIRED: translate("Texts", "Expired"),
        LicenseState.BLOCKED: translate("Texts", "Blocked"),
    }
    return names[state]


def state_tone(state: LicenseState) -> str:
    """ok (green), warn (amber) or bad (red)."""
    if state in (LicenseState.ACTIVE, LicenseState.TRIAL):
        return "ok"
    if state is LicenseState.EXPIRING_SOON:
        return "warn"
    return "bad"


def type_name(license_type: str) -> str:
    names = {
        "commercial": translate("Texts", "Standard license"),
        "trial": translate("Texts", "Trial license"),
        "subscription": translate("Texts", "Subscription"),
    }
    return names.get(license_type, license_type)


def error_message(code: str | None, reason: str | None = None, address: str | None = None) -> str:
    """What to tell a person about a refusal or a failure: ``code`` is an error code, an
    :class:`Unreachable` value (``address`` then names the server), or one of our own."""
    if code is None or code in UNREACHABLE_KINDS:
        kind = Unreachable(code) if code and code != UNREACHABLE else Unreachable.NETWORK
        return unreachable_message(kind, address or "")
    if code == ErrorCode.NOT_LATER_THAN_CURRENT.value and reason == REASON_VALID_UNTIL:
        return translate(
            "Texts",
            "This code can only be activated until a date before your current license ends, so "
            "it could not take over from it.",
        )
    if code == ErrorCode.SAME_CODE.value and reason == REASON_CURRENT_CODE:
        return translate(
            "Texts", "This is the activation code your current license was activated with."
        )
    if code == ErrorCode.DEVICE_NOT_PROVEN.value and reason == KEY_MISSING:
        return problem_message(Problem.DEVICE_KEY_MISSING) or ""
    if code == ACCOUNT_RESERVE_GONE:
        return account_words.account_reserve_gone()
    if code == ErrorCode.SAME_CODE.value and reason == REASON_SAVED_RESERVE:
        return translate("Texts", "This activation code is already saved as your reserve code.")
    messages = {
        ErrorCode.INVALID_FORMAT.value: translate(
            "Texts", "This is not a valid activation code. Check it for typing mistakes."
        ),
        ErrorCode.CODE_NOT_FOUND.value: translate(
            "Texts",
            "We could not find this activation code. Check that you typed it exactly as it "
            "appears in your purchase confirmation. A code bought in the last 24 hours may "
            "not be known yet: try again later.",
        ),
        ErrorCode.CODE_EXPIRED.value: translate(
            "Texts", "This activation code can no longer be activated: its validity has ended."
        ),
        ErrorCode.CODE_BLOCKED.value: translate(
            "Texts", "This activation code has been blocked and cannot be used."
        ),
        ErrorCode.DEVICE_LIMIT_REACHED.value: translate(
            "Texts",
            "This activation code is already in use on all the devices it covers. Remove it "
            "from a device you no longer use, then try again.",
        ),
        ErrorCode.INCOMPATIBLE_VERSION.value: translate(
            "Texts", "This activation code is not valid for this version of Standby."
        ),
        ErrorCode.ACCOUNT_REQUIRED.value: translate(
            "Texts",
            "This activation code needs this device to be connected to your account. Sign in, "
            "then try again.",
        ),
        ErrorCode.SUBSCRIPTION_NO_RESERVE.value: translate(
            "Texts",
            "You cannot add a reserve code while you use a subscription: a subscription renews "
            "by itself.",
        ),
        ErrorCode.RESERVE_TYPE_NOT_ALLOWED.value: translate(
            "Texts", "A trial or subscription code cannot be saved as a reserve code."
        ),
        ErrorCode.RESERVE_ALREADY_SET.value: translate(
            "Texts",
            "A reserve code is already saved. To save a different one, first remove the saved "
            "one in License details.",
        ),
        ErrorCode.SAME_CODE.value: translate(
            "Texts",
            "This activation code is already in use on this device or saved as its reserve code.",
        ),
        ErrorCode.NOT_LATER_THAN_CURRENT.value: translate(
            "Texts",
            "This code would not extend your protection: it expires no later than your current "
            "license.",
        ),
        ErrorCode.RATE_LIMITED.value: translate(
            "Texts", "Too many attempts in a short time. Wait a moment, then try again."
        ),
        ErrorCode.UNAUTHORIZED.value: translate(
            "Texts", "The e-mail address or the password is not correct."
        ),
        ErrorCode.DEVICE_NOT_PROVEN.value: translate(
            "Texts",
            "The activation server could not confirm that this computer is the one the license "
            "belongs to. This happens when Standby's data was copied here from another computer, "
            "or when the computer's clock is far off. Check the clock; if it is right, contact "
            "support.",
        ),
        ErrorCode.VALIDATION_ERROR.value: translate(
            "Texts", "The activation server did not accept the request. Check what you entered."
        ),
        ErrorCode.NOT_FOUND.value: translate(
            "Texts", "The activation server had a problem. Try again later."
        ),
        ErrorCode.INTERNAL_ERROR.value: translate(
            "Texts", "The activation server had a problem. Try again later."
        ),
        LOCAL_PROBLEM: translate(
            "Texts",
            "Standby could not save the license data on this computer. Check that there is free "
            "disk space and that your password keyring is unlocked, then try again.",
        ),
        LICENSE_NOT_VERIFIED: translate(
            "Texts",
            "The activation server's answer could not be verified, so it was not used. Try "
            "again later.",
        ),
        REASON_SEAT_FREED: translate(
            "Texts", "This device's licenses were released from your account on the web."
        ),
        RESERVE_CODE_MISSING: translate(
            "Texts",
            "The reserve code is no longer stored on this device. Remove it and enter it again.",
        ),
        CANNOT_WRITE: translate(
            "Texts",
            "Standby cannot write to its data folder (the disk may be full, or the folder "
            "read-only), so nothing was changed. Free some disk space or check the folder's "
            "permissions, then try again.",
        ),
    }
    return messages.get(code) or translate("Texts", "Something went wrong. Try again later.")


def problem_message(problem: Problem | None) -> str | None:
    """What the license panel says about a problem of the device, with what to do; None
    for none (a clock set back is told by its own banner)."""
    if problem is Problem.DEVICE_KEY_MISSING:
        return translate(
            "Texts",
            "This device's key is missing from your password keyring, so the activation server "
            "can no longer tell that this computer is this device. Your license keeps working "
            "until it ends. If the keyring was reset, restore it from a backup; otherwise ask "
            "support to free this device's seat, then enter your activation code again.",
        )
    if problem is Problem.LICENSE_REJECTED:
        return translate(
            "Texts",
            "The saved license was changed outside Standby or was not signed by your "
            "activation server, so it is not used. Standby is asking the activation server "
            "for your license.",
        )
    if problem is Problem.STATE_RECOVERED:
        return translate(
            "Texts",
            "Standby's saved license data was damaged. Standby is asking the activation server "
            "what this device holds; nothing you paid for is lost.",
        )
    if problem is Problem.CANNOT_WRITE:
        return translate(
            "Texts",
            "Standby cannot write to its data folder: changes made now would be lost when "
            "Standby restarts. Free some disk space or check the folder's permissions.",
        )
    return None


# Every key error_message() reads as a failure to reach the server ("unreachable" is what
# a reserve's failure says when it could not reach it).
UNREACHABLE_KINDS = frozenset({UNREACHABLE, *(kind.value for kind in Unreachable)})


def unreachable_message(kind: Unreachable | None, address: str) -> str:
    """Why the activation server at ``address`` cannot be asked, and what to check."""
    if on_this_computer(address) and kind is not Unreachable.REFUSED:
        # No internet connection is involved: the server here is busy, or stopped.
        local = (
            translate(
                "Texts",
                "The activation server on this computer (%1) did not answer in time: it may be "
                "busy, or stopped.",
            )
            if kind is Unreachable.TIMED_OUT
            else translate(
                "Texts",
                "Standby cannot reach the activation server on this computer (%1): it may be "
                "stopped.",
            )
        )
        return local.replace("%1", address)
    messages = {
        Unreachable.REFUSED: translate(
            "Texts",
            "The activation server (%1) is not accepting connections: it may be stopped or "
            "still starting.",
        ),
        Unreachable.NO_SUCH_HOST: translate(
            "Texts",
            "The activation server's address (%1) cannot be found. Check your internet connection.",
        ),
        Unreachable.TIMED_OUT: translate(
            "Texts",
            "The activation server (%1) did not answer in time. Check your internet connection.",
        ),
        Unreachable.SECURE_CONNECTION: translate(
            "Texts",
            "A secure connection to the activation server (%1) could not be made. Check that "
            "this computer's date and time are right.",
        ),
        Unreachable.NOT_STANDBY: translate(
            "Texts",
            "The server at %1 did not answer as an activation server. Check the server address.",
        ),
    }
    text = messages.get(kind or Unreachable.NETWORK) or translate(
        "Texts",
        "Standby cannot reach the activation server (%1). Check your internet connection.",
    )
    return text.replace("%1", address)


def on_this_computer(address: str) -> bool:
    """True for an activation server at host[:port] on this very computer (loopback)."""
    host = urlsplit(f"//{address}").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name
        return False


def locale() -> QLocale:
    return QLocale()


def _qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())


def date_time(moment: datetime) -> str:
    """E.g. '28 November 2026, 14:35' in the app's language."""
    value = _qt(moment)
    loc = locale()
    return (
        translate("Texts", "%1, %2")
        .replace("%1", loc.toString(value.date(), "d MMMM yyyy"))
        .replace("%2", loc.toString(value.time(), QLocale.FormatType.ShortFormat))
    )


def time_left(expires_at: datetime, now: datetime) -> str:
    """'365 days left', '3 hours left', '2 minutes left', 'expired'.

    Minutes and hours are whole ones still left (1 min 52 s is "1 minute"); days are
    rounded to the nearest, as people count them: a one-year license activated a minute ago
    has 365 days left, not 364.
    """
    seconds = int((expires_at - now).total_seconds())
    if seconds <= 0:
        return translate("Texts", "expired")
    # (Counts go in as plain names: older lupdate skips a plural whose count is an expression.)
    days, hours, minutes = (seconds + 43200) // 86400, seconds // 3600, seconds // 60
    if seconds >= 86400:
        return translate("Texts", "%n day(s) left", "", days)
    if seconds >= 3600:
        return translate("Texts", "%n hour(s) left", "", hours)
    if seconds >= 60:
        return translate("Texts", "%n minute(s) left", "", minutes)
    return translate("Texts", "less than a minute left")


def time_ago(moment: datetime, now: datetime) -> str:
    """'just now', '2 minutes ago', '3 hours ago', or 'on 28 November 2026, 14:35'."""
    seconds = int((now - moment).total_seconds())
    minutes, hours = seconds // 60, seconds // 3600
    if seconds < 60:
        return translate("Texts", "just now")
    if seconds < 3600:
        return translate("Texts", "%n minute(s) ago", "", minutes)
    if seconds < 86400:
        return translate("Texts", "%n hour(s) ago", "", hours)
    return translate("Texts", "on %1").replace("%1", date_time(moment))


def expiry(expires_at: datetime, now: datetime) -> str:
    """'28 November 2027, 14:46 (365 days left)', or just the moment once it has passed."""
    if expires_at <= now:
        return date_time(expires_at)
    return (
        translate("Texts", "%1 (%2)")
        .replace("%1", date_time(expires_at))
        .replace("%2", time_left(expires_at, now))
    )


def duration(seconds: int) -> str:
    """A code's term: '365 days', '3 minutes'. Never in years: a term is a count of days,
    and a year with a 29 February is a day longer than one without."""
    days, hours, minutes = seconds // 86400, seconds // 3600, seconds // 60
    if seconds % 86400 == 0:
        return translate("Texts", "%n day(s)", "", days)
    if seconds % 3600 == 0:
        return translate("Texts", "%n hour(s)", "", hours)
    if seconds % 60 == 0:
        return translate("Texts", "%n minute(s)", "", minutes)
    return translate("Texts", "%n second(s)", "", seconds)


def devices(used: int | None, maximum: int) -> str:
    if used is None:
        return translate("Texts", "%n device(s)", "", maximum)
    return translate("Texts", "%1 of %n device(s) in use", "", maximum).replace("%1", str(used))


def masked(last5: str) -> str:
    return codes.mask_suffix(last5)


def reserve_status(reserve: Reserve) -> str:
    if reserve.status is ReserveStatus.ACTIVATING:
        return translate("Texts", "Activating…")
    if reserve.status is ReserveStatus.FAILED and reserve.failure == REASON_SEAT_FREED:
        return translate(
            "Texts",
            "Not activated by itself: this device's license was released from your account on "
            "the web.",
        )
    if reserve.status is ReserveStatus.FAILED:
        reason = error_message(reserve.failure)
        if reserve.failure_transient:
            return translate(
                "Texts", "Waiting for the activation server. Standby tries again by itself."
            )
        return translate("Texts", "Activation failed: %1").replace("%1", reason)
    if reserve.held:
        return translate("Texts", "Ready: it takes over even with no internet connection")
    return translate("Texts", "Saved")
