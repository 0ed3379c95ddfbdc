"""Telling the user what happened: a banner across the window and a tray message.

A banner belongs to the event that raised it and stays only while that event still
describes the device: "ends soon" goes away once a reserve code is saved, "reserve code
activated" once that license is gone, and time left is redrawn as it runs down.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSystemTrayIcon, QToolButton, QWidget

from app.domain.license import LicenseState
from app.engine.engine import Engine
from app.engine.vocabulary import Failure, Notice, Problem, Recovery, ReserveStatus, Snapshot
from app.gui import theme
from app.gui.notice_words import LICENSE_REMOVED, NextStep, NoticeView, describe
from app.gui.resources import icon, pixmap
from app.gui.widgets import announce, button, label, set_tone, tick_while_visible

TICK_MS = 15_000

Action = tuple[str, Callable[[], object]]


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
        self._detail: Failure | None = None
        engine.notice.connect(self.notify)
        engine.changed.connect(self.refresh)
        self._tick = tick_while_visible(banner, TICK_MS, self.refresh)

    def notify(self, event: str, detail: Failure | None = None) -> None:
        snap = self.engine.snapshot
        self._event, self._detail = event, detail
        self._seat = snap.license.seat_id if snap.license else None
        told, action = self._message(event, snap)
        self.banner.show_message(told.tone, told.text, action)
        announce(self.banner, told.text)
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(told.title, told.text, tray_icon(told.tone))

    def refresh(self) -> None:
        """Drop a banner the device has moved past; redraw one that still holds."""
        if self._event is None or self.banner.isHidden():
            return
        snap = self.engine.snapshot
        if not self._relevant(self._event, snap):
            self._event = None
            self.banner.hide()
            return
        told, action = self._message(self._event, snap)
        self.banner.show_message(told.tone, told.text, action)

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

    def _message(self, event: str, snap: Snapshot) -> tuple[NoticeView, Action | None]:
        told = describe(event, snap, self._detail)
        actions: dict[NextStep | None, Action] = {
            NextStep.DETAILS: (self.tr("License details"), self._open_details),
            NextStep.ENTER: (self.tr("Enter activation code"), self._enter_code),
        }
        return told, actions.get(told.next_step)


def tray_icon(tone: str) -> QSystemTrayIcon.MessageIcon:
    """The tray message's icon for a notice's tone ("ok", "warn", "bad")."""
    return {
        "ok": QSystemTrayIcon.MessageIcon.Information,
        "warn": QSystemTrayIcon.MessageIcon.Warning,
    }.get(tone, QSystemTrayIcon.MessageIcon.Critical)
