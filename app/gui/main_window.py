"""The main window: navigation column, Home and Profile pages, banners and tray messages.

It is built in two steps so it can be on screen sooner: :class:`MainWindow` itself is the
frame (title, navigation column, an empty page area), cheap to import and to build;
:meth:`MainWindow.attach` adds what needs the license engine (the pages, the banner,
the tray icon). ``app.gui.build_main_window`` does both at once; the app's start-up shows
the frame first and attaches the rest just after it has painted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QHideEvent,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app.gui import boxes, theme
from app.gui.navigation import NavColumn
from app.gui.opener import open_file, open_url
from app.gui.placement import fit_main_window
from app.gui.resources import app_icon
from app.gui.tray import make_tray
from app.gui.window_dialogs import WindowDialogs

if TYPE_CHECKING:
    from app.engine.autostart import Autostart
    from app.engine.engine import Engine
    from app.engine.vocabulary import Failure
    from app.gui.activation_dialog import ActivationCodeDialog
    from app.gui.details_dialog import LicenseDetailsDialog
    from app.gui.home_page import HomePage
    from app.gui.notifications import Banner, Notifier
    from app.gui.profile_page import ProfilePage
    from app.gui.sign_in_dialog import SignInDialog
    from app.wiring import LocalServer

# The pages and the notices are imported inside attach: the frame paints first (bench/imports.py:
# 0.2 s each under load).


class MainWindow(WindowDialogs):
    engine: Engine
    embedded: LocalServer | None
    banner: Banner
    home_page: HomePage
    profile_page: ProfilePage
    notifier: Notifier

    def __init__(self, settings: QSettings, log_file: Path | None = None) -> None:
        """The frame only; call :meth:`attach` before anything else."""
        super().__init__()
        self.settings = settings
        self.log_file = log_file
        # How a file (a web page) is shown in the desktop's own viewer (seams for tests).
        self.open_file = open_file
        self.open_url = open_url
        self.log_dialog = None
        self.account_dialog = None
        self.embedded = None
        self.setObjectName("mainWindow")
        self.setWindowTitle("Standby")
        self.setWindowIcon(app_icon())
        self.resize(1040, 720)
        self.setMinimumSize(900, 620)
        self.details_dialog: LicenseDetailsDialog | None = None
        self.activation_dialog: ActivationCodeDialog | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.demo_dialog: QDialog | None = None
        self.tray: QSystemTrayIcon | None = None
        self._told_about_tray = False
        self._attached = False
        self._closed = False
        self.owns_engine = True
        self._on_first_paint: Callable[[], None] | None = None

        central = QWidget()
        self.setCentralWidget(central)
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.nav = NavColumn()
        self.nav_home, self.nav_profile = self.nav.home, self.nav.profile
        self.help_button, self.help_menu = self.nav.help_button, self.nav.help_menu
        self.about_action = self.nav.about_action
        self.nav.about_action.triggered.connect(self.about)
        self.nav.log_action.triggered.connect(self.open_log)
        self.account_web_action = self.nav.account_web_action
        self.account_web_action.triggered.connect(self.open_account_page)
        root.addWidget(self.nav)
        right = QWidget()
        self._right_layout = QVBoxLayout(right)
        self._right_layout.setContentsMargins(24, 16, 24, 0)
        self._right_layout.setSpacing(0)
        self.pages = QStackedWidget()
        self._right_layout.addWidget(self.pages, 1)
        root.addWidget(right, 1)

        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        fit_main_window(self)  # a small screen, or a place saved on a larger one
        starting_page = self.nav_profile if settings.value("window/page") == "profile" else None
        self.nav.set_current(starting_page or self.nav_home)
        # The keyboard starts on the page's entry: a focus ring elsewhere in the column
        # would look like a second page selected.
        self.nav.current.setFocus()
        self.nav_home.clicked.connect(self.show_home)
        self.nav_profile.clicked.connect(self.show_profile)

    @property
    def is_complete(self) -> bool:
        """True once :meth:`attach` has added the pages and the engine."""
        return self._attached

    def attach(
        self,
        engine: Engine,
        embedded: LocalServer | None,
        *,
        owns_engine: bool = True,
        autostart: Autostart | None = None,
    ) -> None:
        """Add the pages, the banner and the tray icon, wired to ``engine``.

        With ``owns_engine`` False the window is only a view: the process that runs the
        engine in the background keeps its own tray icon, and closing the window releases it.
        """
        self.owns_engine = owns_engine
        from app.gui.home_page import HomePage
        from app.gui.notifications import Banner, Notifier
        from app.gui.profile_page import ProfilePage

        self.engine = engine
        self.embedded = embedded
        self.account_web_action.setEnabled(True)  # its address is the engine's server's
        self.banner = Banner()
        self._right_layout.insertWidget(0, self.banner)
        self.home_page = HomePage(engine, self.show_profile, self.open_activation_dialog)
        self.profile_page = ProfilePage(engine)
        self.pages.addWidget(self.home_page)
        self.pages.addWidget(self.profile_page)

        if embedded is not None:
            demo = QAction(self.tr("Demo activation codes…"), self)
            demo.setObjectName("demoCodesAction")
            demo.triggered.connect(self.open_demo_codes)
            self.help_menu.insertAction(self.about_action, demo)
        if autostart is not None:
            from app.gui.startup_switch import StartupSwitch

            self.profile_page.add_startup_switch(StartupSwitch(engine, autostart, self.settings))
        self.profile_page.enterCodeRequested.connect(self.open_activation_dialog)
        self.profile_page.detailsRequested.connect(self.open_details)
        self.profile_page.removeRequested.connect(self.confirm_remove_license)
        self.profile_page.signInRequested.connect(lambda: self.open_sign_in())
        engine.accountRequired.connect(self._account_required)
        engine.removeFinished.connect(self._remove_finished)
        engine.changed.connect(self.nav.refresh_icons)

        self.tray = make_tray(self, self._raise, self.quit) if owns_engine else None

        self.notifier = Notifier(
            engine,
            self.banner,
            self.tray,
            open_details=self.open_details,
            enter_code=self.open_activation_dialog,
        )
        self._attached = True
        if self.isVisible():
            engine.watch(True)
        if self.nav.current is self.nav_profile:
            self.show_profile()
        else:
            self.show_home()
        for sequence, target in (("Ctrl+1", self.show_home), ("Ctrl+2", self.show_profile)):
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(sequence))
            shortcut.triggered.connect(target)
            self.addAction(shortcut)
        # The license's shortcuts (Ctrl+E, Ctrl+I, F5) work from every page, not only while
        # Profile is shown; what they open shows Profile behind it.
        for action in self.profile_page.shortcut_actions():
            self.addAction(action)

    # --- navigation -----------------------------------------------------------------------------

    def show_home(self) -> None:
        self._show_page(self.nav_home, "home_page")

    def show_profile(self) -> None:
        self._show_page(self.nav_profile, "profile_page")

    def _show_page(self, entry: QPushButton, page: str) -> None:
        """Select ``entry`` and show its page (once there are pages: until then, the
        selection only says which page to show first)."""
        focus = self.focusWidget()
        if focus is None or focus.property("nav"):
            entry.setFocus()  # the focus ring follows the page shown, not the one left
        self.nav.set_current(entry)
        if self._attached:
            self.pages.setCurrentWidget(getattr(self, page))

    def _raise(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # --- notifications ------------------------------------------------------------------------

    def _remove_finished(self, failure: Failure | None) -> None:
        from app.gui.notice_words import LICENSE_REMOVED, REMOVE_FAILED

        if failure is None:
            if self.engine.snapshot.license is None:
                self.notifier.notify(LICENSE_REMOVED)
            return
        self.notifier.notify(REMOVE_FAILED, failure)

    @Slot(Qt.ColorScheme)
    def system_theme_changed(self, _scheme: Qt.ColorScheme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app)
        self.refresh_theme()

    def refresh_theme(self) -> None:
        """Redraw icons and state colours after the system switched light/dark."""
        self.nav.refresh_icons()
        if self._attached:
            self.home_page.refresh()
            self.profile_page.refresh()

    # --- being looked at -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._attached and not self._closed:
            self.engine.watch(True)  # what changes on the server shows within minutes

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._attached:
            self.engine.watch(False)

    # --- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._attached and not self.owns_engine:
            self.shutdown()  # a view: the engine goes on; the window's memory comes back
            self.deleteLater()
            super().closeEvent(event)
            return
        if self.tray is not None and self.tray.isVisible() and not self._closed:
            # With a tray, closing the window keeps Standby running, so the reserve code
            # still takes over on time; Quit in the tray menu ends it.
            event.ignore()
            self.hide()
            if not self._told_about_tray:
                self._told_about_tray = True
                self.tray.showMessage(
                    "Standby",
                    self.tr(
                        "Standby keeps running here and renews your license on time. To end "
                        "it, choose Quit Standby in this icon's menu."
                    ),
                    QSystemTrayIcon.MessageIcon.Information,
                )
            return
        self.shutdown()
        super().closeEvent(event)

    def quit(self) -> None:
        """End the app (from the tray menu): stop everything, then leave the event loop."""
        self.shutdown()
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def after_first_paint(self, begin: Callable[[], None], latest_ms: int = 1000) -> None:
        """Call ``begin`` once, just after the window first paints (at the latest after
        ``latest_ms``): work started on other threads before that competes with building
        and painting the window for Python's one interpreter lock."""
        self._on_first_paint = begin
        QTimer.singleShot(latest_ms, self._begin)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._on_first_paint is not None:
            QTimer.singleShot(0, self._begin)

    def _begin(self) -> None:
        begin, self._on_first_paint = self._on_first_paint, None
        if begin is not None and not self._closed:
            begin()

    def cannot_start(self, error: BaseException) -> None:
        """Say that the window could not be completed, then end the app with status 1."""

        def leave() -> None:
            self.shutdown()
            app = QApplication.instance()
            if app is not None:
                app.exit(1)

        boxes.message(
            self,
            "cannotStartDialog",
            QMessageBox.Icon.Critical,
            self.tr("Standby could not start"),
            self.tr(
                "Something on this computer stopped Standby from starting: %1. Restarting "
                "the computer may help; if it does not, reinstall Standby."
            ).replace("%1", str(error) or type(error).__name__),
            then=leave,
        )

    def shutdown(self) -> None:
        """Save the window's place, stop the engine and the embedded server."""
        if self._closed:
            return
        self._closed = True
        self.settings.setValue("window/geometry", self.saveGeometry())
        page = "profile" if self.nav.current is self.nav_profile else "home"
        self.settings.setValue("window/page", page)
        self.settings.sync()
        if not self._attached or not self.owns_engine:
            return
        self.engine.shutdown()
        if self.tray is not None:
            self.tray.hide()
        if self.embedded is not None:
            self.embedded.stop()
