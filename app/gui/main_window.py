"""The main window: navigation column, Home and Profile pages, banners and tray messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.client.controller import LicenseController, Notice
from app.domain.license import LicenseState
from app.gui import texts, theme
from app.gui.activation_dialog import ActivationCodeDialog
from app.gui.details_dialog import LicenseDetailsDialog
from app.gui.resources import app_icon, icon, pixmap
from app.gui.sign_in_dialog import SignInDialog
from app.gui.widgets import button, label, set_tone
from app.server.embedded import EmbeddedServer


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

    def show_message(
        self,
        tone: str,
        text: str,
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
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


class HomePage(QWidget):
    def __init__(
        self,
        controller: LicenseController,
        open_profile: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("homePage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 32, 36, 32)
        layout.setSpacing(18)
        layout.addWidget(label(self.tr("Home"), "title"))
        layout.addStretch(1)
        self.shield = QLabel()
        self.shield.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.shield)
        self.headline = label("", "title", "homeHeadline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.headline)
        self.detail = label("", "muted", "homeDetail", wrap=True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        row.addStretch(1)
        self.profile_button = button(self.tr("Go to Profile"), "homeProfileButton", primary=True)
        self.profile_button.clicked.connect(open_profile)
        row.addWidget(self.profile_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        controller.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        snap = self.controller.snapshot
        tone = texts.state_tone(snap.state) if snap.loaded else "warn"
        colors = theme.current()
        shield = {"ok": "shield-ok", "warn": "shield-warn"}.get(tone, "shield-bad")
        self.shield.setPixmap(pixmap(shield, colors.tone(tone), 120))
        set_tone(self.headline, tone)
        if not snap.loaded:
            self.headline.setText(self.tr("Checking your protection…"))
            self.detail.setText("")
        elif tone == "ok":
            self.headline.setText(self.tr("Your device is protected"))
            self.detail.setText(self.tr("Your license is active."))
        elif tone == "warn":
            self.headline.setText(self.tr("Your license ends soon"))
            self.detail.setText(
                self.tr("Your reserve code takes over by itself.")
                if snap.reserve
                else self.tr("Enter a new activation code in Profile to stay protected.")
            )
        else:
            self.headline.setText(self.tr("Your device is not protected"))
            self.detail.setText(
                {
                    LicenseState.EXPIRED: self.tr("Your license has expired."),
                    LicenseState.BLOCKED: self.tr("Your license has been blocked."),
                }.get(snap.state, self.tr("No license is active on this device."))
            )
        self.profile_button.setText(
            self.tr("Manage license") if tone == "ok" else self.tr("Fix it in Profile")
        )


class MainWindow(QMainWindow):
    def __init__(
        self,
        controller: LicenseController,
        settings: QSettings,
        embedded: EmbeddedServer | None = None,
    ) -> None:
        super().__init__()
        from app.gui.profile_page import ProfilePage  # keeps this module's import light

        self.controller = controller
        self.settings = settings
        self.embedded = embedded
        self.setObjectName("mainWindow")
        self.setWindowTitle("Standby")
        self.setWindowIcon(app_icon())
        self.resize(1040, 720)
        self.setMinimumSize(820, 600)
        self.details_dialog: LicenseDetailsDialog | None = None
        self.activation_dialog: ActivationCodeDialog | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.demo_dialog: QWidget | None = None
        self._closed = False

        central = QWidget()
        self.setCentralWidget(central)
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._nav_column())

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(24, 16, 24, 0)
        right_layout.setSpacing(0)
        self.banner = Banner()
        right_layout.addWidget(self.banner)
        self.pages = QStackedWidget()
        self.home_page = HomePage(controller, self.show_profile)
        self.profile_page = ProfilePage(controller)
        self.pages.addWidget(self.home_page)
        self.pages.addWidget(self.profile_page)
        right_layout.addWidget(self.pages, 1)
        root.addWidget(right, 1)

        self.profile_page.enterCodeRequested.connect(self.open_activation_dialog)
        self.profile_page.detailsRequested.connect(self.open_details)
        self.profile_page.removeRequested.connect(self.confirm_remove_license)
        self.profile_page.signInRequested.connect(lambda: self.open_sign_in())
        controller.notice.connect(self._notice)
        controller.accountRequired.connect(self._account_required)
        controller.removeFinished.connect(self._remove_finished)
        controller.changed.connect(self._refresh_nav)

        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("Standby")
            self.tray.activated.connect(lambda _reason: self._raise())
            self.tray.show()

        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if settings.value("window/page") == "profile":
            self.show_profile()
        else:
            self.show_home()
        self._refresh_nav()
        for sequence, target in (("Ctrl+1", self.show_home), ("Ctrl+2", self.show_profile)):
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(sequence))
            shortcut.triggered.connect(target)
            self.addAction(shortcut)

    # --- navigation -----------------------------------------------------------------------------

    def _nav_column(self) -> QWidget:
        column = QFrame()
        column.setObjectName("navColumn")
        column.setFixedWidth(232)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(14, 20, 14, 16)
        layout.setSpacing(4)
        brand = QLabel("Standby")
        brand.setObjectName("brandLabel")
        layout.addWidget(brand)
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav_home = self._nav_button(self.tr("Home"), "navHome", "home")
        self.nav_home.clicked.connect(self.show_home)
        self.nav_scan = self._nav_button(self.tr("Scan"), "navScan", "scan")
        self.nav_protection = self._nav_button(self.tr("Protection"), "navProtection", "shield")
        self.nav_profile = self._nav_button(self.tr("Profile"), "navProfile", "profile")
        self.nav_profile.clicked.connect(self.show_profile)
        for later in (self.nav_scan, self.nav_protection):
            later.setEnabled(False)
            later.setToolTip(self.tr("Not part of this version of Standby"))
        for widget in (self.nav_home, self.nav_scan, self.nav_protection, self.nav_profile):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.help_button = self._nav_button(self.tr("Help"), "navHelp", "help", checkable=False)
        self.help_menu = QMenu(self.help_button)
        self.help_menu.setObjectName("helpMenu")
        if self.embedded is not None:
            demo = QAction(self.tr("Demo activation codes…"), self)
            demo.setObjectName("demoCodesAction")
            demo.triggered.connect(self.open_demo_codes)
            self.help_menu.addAction(demo)
        about = QAction(self.tr("About Standby"), self)
        about.setObjectName("aboutAction")
        about.triggered.connect(self._about)
        self.help_menu.addAction(about)
        self.help_button.setMenu(self.help_menu)
        layout.addWidget(self.help_button)
        version = label(self.tr("Version %1").replace("%1", __version__), "muted")
        version.setContentsMargins(14, 8, 0, 0)
        layout.addWidget(version)
        return column

    def _nav_button(
        self, text: str, name: str, icon_name: str, *, checkable: bool = True
    ) -> QPushButton:
        widget = QPushButton(text)
        widget.setObjectName(name)
        widget.setProperty("nav", True)
        widget.setProperty("icon_name", icon_name)
        widget.setCheckable(checkable)
        widget.setCursor(Qt.CursorShape.PointingHandCursor)
        if checkable:
            self.nav_group.addButton(widget)
        return widget

    def _refresh_nav(self) -> None:
        colors = theme.current()
        for widget in self.findChildren(QPushButton):
            name = widget.property("icon_name")
            if name:
                color = colors.accent if widget.isChecked() else colors.muted
                widget.setIcon(icon(str(name), color, 20))

    def show_home(self) -> None:
        self._show_page(self.nav_home, self.home_page)

    def show_profile(self) -> None:
        self._show_page(self.nav_profile, self.profile_page)

    def _show_page(self, entry: QPushButton, page: QWidget) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and focus.property("nav"):
            entry.setFocus()  # the focus ring follows the page shown, not the one left
        entry.setChecked(True)
        self.pages.setCurrentWidget(page)
        self._refresh_nav()

    def _raise(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # --- dialogs --------------------------------------------------------------------------------

    def open_activation_dialog(self) -> ActivationCodeDialog:
        self.show_profile()
        if self.activation_dialog is not None:
            self.activation_dialog.close()
        dialog = ActivationCodeDialog(self.controller, self)
        dialog.signInRequested.connect(
            lambda: self.open_sign_in(on_success=dialog.retry_after_sign_in)
        )
        self.activation_dialog = dialog
        dialog.open()
        return dialog

    def open_details(self) -> LicenseDetailsDialog:
        if self.details_dialog is None:
            self.details_dialog = LicenseDetailsDialog(self.controller, self, confirm=self.confirm)
        self.details_dialog.refresh()
        self.details_dialog.show()
        self.details_dialog.raise_()
        self.details_dialog.activateWindow()
        return self.details_dialog

    def open_sign_in(
        self, reason: str = "", on_success: Callable[[], None] | None = None
    ) -> SignInDialog:
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.close()
        parent: QWidget = self.activation_dialog if on_success and self.activation_dialog else self
        dialog = SignInDialog(self.controller, parent, reason)
        if on_success is not None:
            dialog.accepted.connect(on_success)
        self.sign_in_dialog = dialog
        dialog.open()
        return dialog

    def open_demo_codes(self) -> QWidget:
        from app.gui.demo_dialog import DemoCodesDialog

        assert self.embedded is not None
        dialog = DemoCodesDialog(self.embedded, self)
        self.demo_dialog = dialog
        dialog.show()
        return dialog

    def confirm(self, title: str, text: str, on_yes: Callable[[], None]) -> QMessageBox:
        """Ask with a window-modal box and call ``on_yes`` if the user agrees (no exec())."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        box.setObjectName("confirmDialog")
        yes = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        yes.setObjectName("confirmYesButton")
        no = box.addButton(QMessageBox.StandardButton.Cancel)
        no.setObjectName("confirmNoButton")
        box.setDefaultButton(no)

        def answered() -> None:
            if box.clickedButton() is yes:
                on_yes()
            box.deleteLater()

        box.finished.connect(lambda _result: answered())
        box.open()
        return box

    def confirm_remove_license(self) -> QMessageBox:
        has_reserve = self.controller.snapshot.reserve is not None
        text = (
            self.tr(
                "This device will no longer be protected by this license, and its seat is freed "
                "for another device. Your reserve code then activates by itself."
            )
            if has_reserve
            else self.tr(
                "This device will no longer be protected by this license, and its seat is freed "
                "for another device."
            )
        )
        lic = self.controller.snapshot.license
        seat = lic.seat_id if lic else None
        return self.confirm(
            self.tr("Remove the license?"), text, lambda: self.controller.remove_license(seat)
        )

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("About Standby"),
            self.tr(
                "Standby %1. Manages this device’s license and its reserve activation code."
            ).replace("%1", __version__),
            parent=self,
        )
        box.setObjectName("aboutDialog")
        box.finished.connect(lambda _result: box.deleteLater())
        box.open()

    # --- notifications ------------------------------------------------------------------------

    def _notice(self, value: str) -> None:
        notice = Notice(value)
        snap = self.controller.snapshot
        action: tuple[str, Callable[[], object]] | None = None
        if notice is Notice.RESERVE_ACTIVATED:
            tone, title = "ok", self.tr("Reserve code activated")
            until = texts.date_time(snap.license.expires_at) if snap.license else "—"
            text = self.tr(
                "Your reserve activation code is now your license. You are protected until %1."
            ).replace("%1", until)
        elif notice is Notice.RESERVE_FAILED:
            tone, title = "bad", self.tr("Reserve code not activated")
            reason = texts.error_message(snap.reserve.failure if snap.reserve else None)
            text = self.tr("Your reserve activation code could not be activated. %1").replace(
                "%1", reason
            )
            action = (self.tr("License details"), self.open_details)
        elif notice is Notice.EXPIRING_NO_RESERVE:
            tone, title = "warn", self.tr("Your license ends soon")
            left = (
                texts.time_left(snap.license.expires_at, datetime.now(UTC)) if snap.license else ""
            )
            text = self.tr(
                "Your license ends soon (%1). Enter a new activation code: it waits as a reserve "
                "code and takes over by itself."
            ).replace("%1", left)
            action = (self.tr("Enter activation code"), self.open_activation_dialog)
        elif notice is Notice.LICENSE_BLOCKED:
            tone, title = "bad", self.tr("License blocked")
            text = self.tr("Your license has been blocked.")
            if snap.reserve is not None:
                text += " " + self.tr("You can switch to your reserve code now.")
                action = (self.tr("License details"), self.open_details)
        elif notice is Notice.LICENSE_REJECTED:
            tone, title = "bad", self.tr("License not accepted")
            text = self.tr(
                "The saved license was changed outside Standby and is not trusted. Enter your "
                "activation code again."
            )
            action = (self.tr("Enter activation code"), self.open_activation_dialog)
        else:
            tone, title = "warn", self.tr("License data reset")
            text = self.tr(
                "The saved license data could not be read and was set aside. Enter your "
                "activation code again."
            )
        self.banner.show_message(tone, text, action)
        if self.tray is not None and self.tray.isVisible():
            kind = {
                "ok": QSystemTrayIcon.MessageIcon.Information,
                "warn": QSystemTrayIcon.MessageIcon.Warning,
            }.get(tone, QSystemTrayIcon.MessageIcon.Critical)
            self.tray.showMessage(title, text, kind)

    def _account_required(self) -> None:
        self.open_sign_in(
            self.tr(
                "Your reserve activation code needs this device to be connected to your account. "
                "Sign in, and Standby activates it at once."
            )
        )

    def _remove_finished(self, error: object) -> None:
        if error is None:
            return
        from app.client.api import ApiError

        code = None
        if isinstance(error, ApiError):
            code = "unreachable" if error.unreachable else error.code.value if error.code else None
        self.banner.show_message(
            "bad",
            self.tr("The license was not removed. %1").replace("%1", texts.error_message(code)),
        )

    def refresh_theme(self) -> None:
        """Redraw icons and state colours after the system switched light/dark."""
        self._refresh_nav()
        self.home_page.refresh()
        self.profile_page.refresh()

    # --- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Save the window's place, stop the controller and the embedded server."""
        if self._closed:
            return
        self._closed = True
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue(
            "window/page", "profile" if self.pages.currentWidget() is self.profile_page else "home"
        )
        self.settings.sync()
        self.controller.shutdown()
        if self.tray is not None:
            self.tray.hide()
        if self.embedded is not None:
            self.embedded.stop()
