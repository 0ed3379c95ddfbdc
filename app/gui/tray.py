"""The notification-area icon: Open and Quit in its menu, a click opens the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app.gui.resources import app_icon

translate = QCoreApplication.translate


def make_tray(
    window: QWidget | None, open_window: Callable[[], None], quit_app: Callable[[], None]
) -> QSystemTrayIcon | None:
    """The icon, shown; None where the desktop has no notification area."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(app_icon(), window)
    tray.setToolTip("Standby")

    def activated(reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            open_window()

    tray.activated.connect(activated)
    menu = QMenu(window)
    menu.setObjectName("trayMenu")
    menu.addAction(translate("MainWindow", "Open Standby")).triggered.connect(open_window)
    quit_action = menu.addAction(translate("MainWindow", "Quit Standby"))
    quit_action.setObjectName("quitAction")
    quit_action.triggered.connect(quit_app)
    tray.setContextMenu(menu)
    tray.show()
    return tray
