"""Telling the user what happened: a banner across the window and a tray message.

A banner belongs to the event that raised it and stays only while that event still
describes the device: "ends soon" goes away once a reserve code is saved, "reserve code
activated" once that license is gone, and time left is redrawn as it runs down.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSystemTrayIcon, QToolButton, QWidget

from app.domain.license import LicenseState
from app.engine.engine import Engine
from app.engine.vocabulary import Notice, Problem, Recovery, ReserveStatus, Snapshot
from app.gui import texts, theme
from app.gui.resources import icon, pixmap
from app.gui.widgets import announce, button, label, set_tone, tick_while_visible

# Events of the window's own (the engine's are Notice values).
LICENSE_REMOVED = "license_removed"
REMOVE_FAILED = "remove_failed"
TICK_MS = 15_000

Action = tuple[str, Callable[[], object]]
Message = tuple[str, str, str, str | None]
translate = QCoreApplication.translate


class Banner(QFrame):
    """A message across the top of the page area, with an optional action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setAccessibleName(self.tr("Notification"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(12)
        self.icon = QLabel()
        layout.addWidget(self.icon)
        self.text = label("", None, "notificationText", wrap=True)
        layout.addWidget(self.text, 1)
        self.action_button = button("", "notificationActionButton")
        self.action_button.hide()
        layout.addWidget(self.action_button)
        self.close_button = QToolButton()
        self.close_button.setObjectName("notificationCloseButton")
        self.close_button.setAccessibleName(self.tr("Dismiss notification"))
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.close_button)
        self._action: Callable[[], object] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(self, tone: str, text: str, action: Action | None = None) -> None:
        colors = theme.current()
        name = {"ok": "check", "warn": "warning", "bad": "error"}.get(tone, "info")
        self.icon.setPixmap(pixmap(name, colors.tone(tone), 22))
        self.close_button.setIcon(icon("close", colors.muted, 16))
        set_tone(self, tone)
        self.text.setText(text)
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)
        self.show()

    def _run_action(self) -> None:
        action = self._action
        self.hide()
        if action is not None:
            action()


class Notifier(QObject):
    """Shows the engine's notices (and the window's own) as banner and tray message."""

    def __init__(
        self,
        engine: Engine,
        banner: Banner,
        tray: QSystemTrayIcon | None,
        *,
        open_details: Callable[[], object],
        enter_code: Callable[[], object],
    ) -> None:
        super().__init__(banner)
        self.engine = engine
        self.banner = banner
        self.tray = tray
        self._open_details = open_details
        self._enter_code = enter_code
        self._event: str | None = None
        self._seat: str | None = None
        self._detail: str | None = None
        engine.notice.connect(self.notify)
        engine.changed.connect(self.refresh)
        self._tick = tick_while_visible(banner, TICK_MS, self.refresh)

    def notify(self, event: str, detail: str | None = None) -> None:
        snap = self.engine.snapshot
        self._event, self._detail = event, detail
        self._seat = snap.license.seat_id if snap.license else None
        tone, title, text, action = self._message(event, snap)
        self.banner.show_message(tone, text, action)
        announce(self.banner, text)
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(title, text, tray_icon(tone))

    def refresh(self) -> None:
        """Drop a banner the device has moved past; redraw one that still holds."""
        if self._event is None or self.banner.isHidden():
            return
        snap = self.engine.snapshot
        if not self._relevant(self._event, snap):
            self._event = None
            self.banner.hide()
            return
        tone, _title, text, action = self._message(self._event, snap)
        self.banner.show_message(tone, text, action)

    def _relevant(self, event: str, snap: Snapshot) -> bool:
        seat = snap.license.seat_id if snap.license else None
        same_license = seat is not None and seat == self._seat
        if event == Notice.RESERVE_ACTIVATED:
            return same_license
        if event == Notice.RESERVE_FAILED:
            return snap.reserve is not None and snap.reserve.status is ReserveStatus.FAILED
        if event == Notice.EXPIRING_NO_RESERVE:
            return (
                same_license
                and snap.state is LicenseState.EXPIRING_SOON
                and (snap.reserve is None or snap.reserve_failed_for_good)
            )
        if event == Notice.RESERVE_AT_RISK:
            return snap.reserve is not None and snap.reserve.status is ReserveStatus.FAILED
        if event == Notice.CLOCK_SET_BACK:
            return snap.clock_set_back
        if event == Notice.LICENSE_EXPIRED:
            return same_license and snap.state is LicenseState.EXPIRED
        if event == Notice.LICENSE_BLOCKED:
            return same_license and snap.state is LicenseState.BLOCKED
        if event == Notice.LICENSE_REJECTED:
            return snap.recovery is Recovery.REJECTED
        if event == Notice.STATE_DAMAGED:
            return snap.recovery in (Recovery.COPY, Recovery.LOST)
        if event == Notice.STATE_RESTORED:
            return snap.recovery is None
        if event == Notice.CANNOT_WRITE:
            return snap.problem is Problem.CANNOT_WRITE
        if event in (Notice.LICENSE_GONE, Notice.SEAT_FREED, LICENSE_REMOVED):
            return snap.license is None
        return seat == self._seat  # REMOVE_FAILED: while that license is still here

    def _message(self, event: str, snap: Snapshot) -> tuple[str, str, str, Action | None]:
        tone, title, text, offer = describe(event, snap, self._detail)
        actions: dict[str | None, Action] = {
            "details": (self.tr("License details"), self._open_details),
            "enter": (self.tr("Enter activation code"), self._enter_code),
        }
        return tone, title, text, actions.get(offer)


def tray_icon(tone: str) -> QSystemTrayIcon.MessageIcon:
    """The tray message's icon for a notice's tone ("ok", "warn", "bad")."""
    return {
        "ok": QSystemTrayIcon.MessageIcon.Information,
        "warn": QSystemTrayIcon.MessageIcon.Warning,
    }.get(tone, QSystemTrayIcon.MessageIcon.Critical)


def describe(event: str, snap: Snapshot, detail: str | None = None) -> Message:
    """(tone, title, text, what to offer: "details", "enter" or None) for ``event`` as the
    device is now: for the banner, the tray and the desktop's notifications alike."""
    now = datetime.now(UTC)
    lic = snap.license
    details, enter = "details", "enter"
    if event == Notice.RESERVE_ACTIVATED:
        until = texts.date_time(lic.expires_at) if lic else "—"
        return (
            "ok",
            translate("Notifier", "Reserve code activated"),
            translate(
                "Notifier",
                "Your reserve activation code has been activated. You are protected until %1.",
            ).replace("%1", until),
            None,
        )
    if event == Notice.RESERVE_FAILED:
        reason = texts.error_message(
            snap.reserve.failure if snap.reserve else None, address=snap.server_address
        )
        return (
            "bad",
            translate("Notifier", "Reserve code not activated"),
            translate(
                "Notifier", "Your reserve activation code could not be activated. %1"
            ).replace("%1", reason),
            details,
        )
    if event == Notice.EXPIRING_NO_RESERVE:
        left = texts.time_left(lic.expires_at, now) if lic else ""
        return (
            "warn",
            translate("Notifier", "Your license ends soon"),
            translate(
                "Notifier",
                "Your license ends soon (%1). Enter a new activation code: it waits as a "
                "reserve code and takes over by itself.",
            ).replace("%1", left),
            enter,
        )
    if event == Notice.RESERVE_AT_RISK:
        reason = texts.error_message(
            snap.reserve.failure if snap.reserve else None, address=snap.server_address
        )
        ends = texts.date_time(lic.expires_at) if lic else "—"
        return (
            "warn",
            translate("Notifier", "Your reserve code will not take over"),
            translate("Notifier", "%1 Enter another activation code before your license ends (%2).")
            .replace("%1", reason)
            .replace("%2", ends),
            enter,
        )
    if event == Notice.CLOCK_SET_BACK:
        return (
            "warn",
            translate("Notifier", "This computer's clock is behind"),
            translate(
                "Notifier",
                "This computer's clock shows an earlier time than Standby has already seen. "
                "Your license dates are not affected. Set the clock to the correct time.",
            ),
            None,
        )
    if event == Notice.LICENSE_EXPIRED:
        return (
            "bad",
            translate("Notifier", "License expired"),
            translate(
                "Notifier",
                "Your license has expired and this device is no longer protected. Enter a "
                "new activation code.",
            ),
            enter,
        )
    if event == Notice.LICENSE_BLOCKED:
        text = translate("Notifier", "Your license has been blocked.")
        if snap.reserve is None:
            return "bad", translate("Notifier", "License blocked"), text, enter
        text += " " + translate("Notifier", "You can switch to your reserve code now.")
        return "bad", translate("Notifier", "License blocked"), text, details
    if event == Notice.LICENSE_REJECTED:
        text = texts.problem_message(Problem.LICENSE_REJECTED) or ""
        return "warn", translate("Notifier", "License not trusted"), text, None
    if event == Notice.STATE_DAMAGED:
        text = texts.problem_message(Problem.STATE_RECOVERED) or ""
        return "warn", translate("Notifier", "License data damaged"), text, None
    if event == Notice.STATE_RESTORED:
        return (
            "ok",
            translate("Notifier", "License data restored"),
            translate(
                "Notifier",
                "The activation server confirmed what this device holds, and Standby's license "
                "data is whole again.",
            ),
            details,
        )
    if event == Notice.CANNOT_WRITE:
        text = texts.problem_message(Problem.CANNOT_WRITE) or ""
        return "bad", translate("Notifier", "License data not saved"), text, None
    if event == Notice.LICENSE_GONE:
        return (
            "bad",
            translate("Notifier", "License removed"),
            translate(
                "Notifier",
                "The activation server no longer holds a license for this device (it was "
                "removed from it elsewhere). Enter an activation code to protect it again.",
            ),
            enter,
        )
    if event == Notice.SEAT_FREED:
        text = translate(
            "Notifier", "This device's license was released from your account on the web."
        )
        if snap.reserve is None:
            text += " " + translate("Notifier", "Enter an activation code to protect it again.")
        else:
            text += " " + translate(
                "Notifier",
                "To protect it again, activate your reserve code in License details, or enter "
                "another activation code.",
            )
        title = translate("Notifier", "License released from your account")
        return "bad", title, text, enter if snap.reserve is None else details
    if event == LICENSE_REMOVED:
        text = translate("Notifier", "The license was removed from this device.")
        if snap.busy is not None and snap.reserve is not None:
            text += " " + translate("Notifier", "Your reserve code is being activated.")
        return "ok", translate("Notifier", "License removed"), text, None
    return (
        "bad",
        translate("Notifier", "License not removed"),
        translate("Notifier", "The license was not removed. %1").replace(
            "%1", texts.error_message(detail, address=snap.server_address)
        ),
        None,
    )
