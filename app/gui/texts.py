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
from app.domain.errors import ErrorCode
from app.domain.license import LicenseState
from app.engine.vocabulary import (
    KEY_MISSING,
    Failure,
    Ours,
    Problem,
    Reserve,
    ReserveStatus,
    Unreachable,
)
from app.gui import account_words, failure_table

translate = QCoreApplication.translate


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


def type_name(license_type: str) -> str:
    names = {
        "commercial": translate("Texts", "Standard license"),
        "trial": translate("Texts", "Trial license"),
        "subscription": translate("Texts", "Subscription"),
    }
    return names.get(license_type, license_type)


def failure_words(failure: Failure | None, address: str = "") -> str:
    """What to tell a person about a refusal or a failure (None: the server could not be
    reached); ``address`` names the server when it could not be."""
    if failure is None or failure.unreachable is not None:
        return unreachable_message(failure.unreachable if failure else None, address)
    if failure.ours is Ours.ACCOUNT_RESERVE_GONE:
        return account_words.account_reserve_gone()
    if failure.error is ErrorCode.DEVICE_NOT_PROVEN and failure.reason == KEY_MISSING:
        return problem_message(Problem.DEVICE_KEY_MISSING) or ""
    source = None
    if failure.error is not None:
        by_reason = failure_table.BY_REASON.get((failure.error, failure.reason or ""))
        source = by_reason or failure_table.BY_ERROR.get(failure.error)
    elif failure.ours is not None:
        source = failure_table.BY_OURS.get(failure.ours)
    return translate("Texts", str(source or failure_table.ANYTHING_ELSE))


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
    failure = reserve.why_failed
    if reserve.status is ReserveStatus.FAILED and failure is not None and failure.seat_freed:
        return translate(
            "Texts",
            "Not activated by itself: this device's license was released from your account on "
            "the web.",
        )
    if reserve.status is ReserveStatus.FAILED:
        reason = failure_words(failure)
        if reserve.failure_transient:
            return translate(
                "Texts", "Waiting for the activation server. Standby tries again by itself."
            )
        return translate("Texts", "Activation failed: %1").replace("%1", reason)
    if reserve.held:
        return translate("Texts", "Ready: it takes over even with no internet connection")
    return translate("Texts", "Saved")
