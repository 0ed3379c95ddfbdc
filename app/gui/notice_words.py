"""What a notice says, as the device is now: a pure function of the event and the snapshot,
for the banner, the tray and the desktop's notifications alike (no widgets here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from app.engine.vocabulary import Failure, Notice, Problem, Snapshot
from app.gui import texts
from app.gui.view_model import Tone

# Events of the window's own (the engine's are Notice values).
LICENSE_REMOVED = "license_removed"
REMOVE_FAILED = "remove_failed"

translate = QCoreApplication.translate


class NextStep(StrEnum):
    """The one thing a notice offers to do next (a button on its banner)."""

    DETAILS = "details"  # open License details
    ENTER = "enter"  # enter an activation code


@dataclass(frozen=True)
class NoticeView:
    tone: Tone
    title: str
    text: str
    next_step: NextStep | None = None


def describe(event: str, snap: Snapshot, detail: Failure | None = None) -> NoticeView:
    """``event`` (a :class:`Notice` value or one of the window's own) as the device is now;
    ``detail`` is why a removal failed."""
    words = _WORDS.get(event)
    if words is None:
        return _remove_failed(snap, detail)
    return words(snap)


def _ends(snap: Snapshot) -> str:
    return texts.date_time(snap.license.expires_at) if snap.license else "—"


def _reserve_failure(snap: Snapshot) -> str:
    failure = snap.reserve.why_failed if snap.reserve else None
    return texts.failure_words(failure, snap.server_address)


def _reserve_activated(snap: Snapshot) -> NoticeView:
    return NoticeView(
        Tone.OK,
        translate("Notifier", "Reserve code activated"),
        translate(
            "Notifier",
            "Your reserve activation code has been activated. You are protected until %1.",
        ).replace("%1", _ends(snap)),
    )


def _reserve_failed(snap: Snapshot) -> NoticeView:
    return NoticeView(
        Tone.BAD,
        translate("Notifier", "Reserve code not activated"),
        translate("Notifier", "Your reserve activation code could not be activated. %1").replace(
            "%1", _reserve_failure(snap)
        ),
        NextStep.DETAILS,
    )


def _expiring_no_reserve(snap: Snapshot) -> NoticeView:
    left = texts.time_left(snap.license.expires_at, snap.now) if snap.license else ""
    return NoticeView(
        Tone.WARN,
        translate("Notifier", "Your license ends soon"),
        translate(
            "Notifier",
            "Your license ends soon (%1). Enter a new activation code: it waits as a "
            "reserve code and takes over by itself.",
        ).replace("%1", left),
        NextStep.ENTER,
    )


def _reserve_at_risk(snap: Snapshot) -> NoticeView:
    return NoticeView(
        Tone.WARN,
        translate("Notifier", "Your reserve code will not take over"),
        translate("Notifier", "%1 Enter another activation code before your license ends (%2).")
        .replace("%1", _reserve_failure(snap))
        .replace("%2", _ends(snap)),
        NextStep.ENTER,
    )


def _clock_set_back(_snap: Snapshot) -> NoticeView:
    return NoticeView(
        Tone.WARN,
        translate("Notifier", "This computer's clock is behind"),
        translate(
            "Notifier",
            "This computer's clock shows an earlier time than Standby has already seen. "
            "Your license dates are not affected. Set the clock to the correct time.",
        ),
    )


def _license_expired(_snap: Snapshot) -> NoticeView:
    return NoticeView(
        Tone.BAD,
        translate("Notifier", "License expired"),
        translate(
            "Notifier",
            "Your license has expired and this device is no longer protected. Enter a "
            "new activation code.",
        ),
        NextStep.ENTER,
    )


def _license_blocked(snap: Snapshot) -> NoticeView:
    title = translate("Notifier", "License blocked")
    text = translate("Notifier", "Your license has been blocked.")
    if snap.reserve is None:
        return NoticeView(Tone.BAD, title, text, NextStep.ENTER)
    text += " " + translate("Notifier", "You can switch to your reserve code now.")
    return NoticeView(Tone.BAD, title, text, NextStep.DETAILS)


def _state_restored(_snap: Snapshot) -> NoticeView:
    return NoticeView(
        Tone.OK,
        translate("Notifier", "License data restored"),
        translate(
            "Notifier",
            "The activation server confirmed what this device holds, and Standby's license "
            "data is whole again.",
        ),
        NextStep.DETAILS,
    )


def _license_gone(_snap: Snapshot) -> NoticeView:
    return NoticeView(
        Tone.BAD,
        translate("Notifier", "License removed"),
        translate(
            "Notifier",
            "The activation server no longer holds a license for this device (it was "
            "removed from it elsewhere). Enter an activation code to protect it again.",
        ),
        NextStep.ENTER,
    )


def _seat_freed(snap: Snapshot) -> NoticeView:
    text = translate("Notifier", "This device's license was released from your account on the web.")
    if snap.reserve is None:
        text += " " + translate("Notifier", "Enter an activation code to protect it again.")
    else:
        text += " " + translate(
            "Notifier",
            "To protect it again, activate your reserve code in License details, or enter "
            "another activation code.",
        )
    title = translate("Notifier", "License released from your account")
    return NoticeView(
        Tone.BAD, title, text, NextStep.ENTER if snap.reserve is None else NextStep.DETAILS
    )


def _license_removed(snap: Snapshot) -> NoticeView:
    text = translate("Notifier", "The license was removed from this device.")
    if snap.busy is not None and snap.reserve is not None:
        text += " " + translate("Notifier", "Your reserve code is being activated.")
    return NoticeView(Tone.OK, translate("Notifier", "License removed"), text)


def _remove_failed(snap: Snapshot, failure: Failure | None) -> NoticeView:
    return NoticeView(
        Tone.BAD,
        translate("Notifier", "License not removed"),
        translate("Notifier", "The license was not removed. %1").replace(
            "%1", texts.failure_words(failure, snap.server_address)
        ),
    )


def _told_problem(tone: Tone, title: str, problem: Problem) -> NoticeView:
    """A problem of the device, in the license panel's own words."""
    return NoticeView(tone, title, texts.problem_message(problem) or "")


def _license_rejected(_snap: Snapshot) -> NoticeView:
    title = translate("Notifier", "License not trusted")
    return _told_problem(Tone.WARN, title, Problem.LICENSE_REJECTED)


def _state_damaged(_snap: Snapshot) -> NoticeView:
    title = translate("Notifier", "License data damaged")
    return _told_problem(Tone.WARN, title, Problem.STATE_RECOVERED)


def _cannot_write(_snap: Snapshot) -> NoticeView:
    title = translate("Notifier", "License data not saved")
    return _told_problem(Tone.BAD, title, Problem.CANNOT_WRITE)


_WORDS: dict[str, Callable[[Snapshot], NoticeView]] = {
    Notice.RESERVE_ACTIVATED: _reserve_activated,
    Notice.RESERVE_FAILED: _reserve_failed,
    Notice.EXPIRING_NO_RESERVE: _expiring_no_reserve,
    Notice.RESERVE_AT_RISK: _reserve_at_risk,
    Notice.CLOCK_SET_BACK: _clock_set_back,
    Notice.LICENSE_EXPIRED: _license_expired,
    Notice.LICENSE_BLOCKED: _license_blocked,
    Notice.LICENSE_REJECTED: _license_rejected,
    Notice.STATE_DAMAGED: _state_damaged,
    Notice.STATE_RESTORED: _state_restored,
    Notice.CANNOT_WRITE: _cannot_write,
    Notice.LICENSE_GONE: _license_gone,
    Notice.SEAT_FREED: _seat_freed,
    LICENSE_REMOVED: _license_removed,
}
