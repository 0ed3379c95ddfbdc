"""The main window's dialogs and message boxes: one of each at a time, each deleted once
closed (with what was typed in it). Their modules are imported when first opened, so the
window itself shows sooner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QWidget

from app import __version__
from app.gui import boxes, web_pages
from app.gui.opener import Failed

if TYPE_CHECKING:
    from app.engine.engine import Engine
    from app.gui.activation_dialog import ActivationCodeDialog
    from app.gui.details_dialog import LicenseDetailsDialog
    from app.gui.sign_in_dialog import SignInDialog
    from app.wiring import LocalServer

# Each dialog is imported when it is first opened, not with the window (bench/imports.py: 15 to 20
# ms each, idle).

translate = QCoreApplication.translate


class WindowDialogs(QMainWindow):
    """What :class:`~app.gui.main_window.MainWindow` opens on top of itself."""

    engine: Engine
    embedded: LocalServer | None
    activation_dialog: ActivationCodeDialog | None
    details_dialog: LicenseDetailsDialog | None
    sign_in_dialog: SignInDialog | None
    demo_dialog: QDialog | None
    log_file: Path | None
    log_dialog: QDialog | None
    account_dialog: QDialog | None
    open_file: Callable[[Path, QObject, Failed], object]
    open_url: Callable[[str, QObject, Failed], object]

    def show_profile(self) -> None:
        raise NotImplementedError

    # The dialogs' modules are imported when first opened: the window shows sooner.

    def open_activation_dialog(self) -> ActivationCodeDialog:
        from app.gui.activation_dialog import ActivationCodeDialog

        self.show_profile()
        if self.activation_dialog is not None:
            self.activation_dialog.close()
        dialog = ActivationCodeDialog(self.engine, self)
        dialog.signInRequested.connect(
            lambda: self.open_sign_in(on_success=dialog.retry_after_sign_in)
        )
        self.activation_dialog = dialog
        self._delete_when_done(dialog, "activation_dialog")
        dialog.open()
        return dialog

    def _delete_when_done(self, dialog: QDialog, attribute: str) -> None:
        """Closed dialogs go away (with what was typed in them); forget the reference."""

        def finished(_result: int) -> None:
            if getattr(self, attribute) is dialog:
                setattr(self, attribute, None)
            dialog.deleteLater()

        dialog.finished.connect(finished)

    def open_details(self) -> LicenseDetailsDialog:
        from app.gui.details_dialog import LicenseDetailsDialog

        self.show_profile()
        if self.details_dialog is None:
            self.details_dialog = LicenseDetailsDialog(
                self.engine,
                self,
                confirm=lambda title, text, on_yes: self.confirm(
                    title, text, on_yes, parent=self.details_dialog
                ),
            )
        self.details_dialog.refresh()
        self.details_dialog.show()
        self.details_dialog.raise_()
        self.details_dialog.activateWindow()
        return self.details_dialog

    def open_sign_in(
        self, reason: str = "", on_success: Callable[[], None] | None = None
    ) -> SignInDialog:
        from app.gui.sign_in_dialog import SignInDialog

        if self.sign_in_dialog is not None:
            self.sign_in_dialog.close()
        parent: QWidget = self.activation_dialog if on_success and self.activation_dialog else self
        dialog = SignInDialog(self.engine, parent, reason)
        dialog.open_url = self.open_url  # the window's opener (and the tests' stand-in)
        if on_success is not None:
            dialog.accepted.connect(on_success)
        self.sign_in_dialog = dialog
        self._delete_when_done(dialog, "sign_in_dialog")
        dialog.open()
        return dialog

    def open_demo_codes(self) -> QWidget:
        from app.gui.demo_dialog import DemoCodesDialog

        assert self.embedded is not None
        if self.demo_dialog is not None:  # one at a time: each opening issues new codes
            self.demo_dialog.raise_()
            self.demo_dialog.activateWindow()
            return self.demo_dialog
        dialog = DemoCodesDialog(self.embedded, self)
        self.demo_dialog = dialog
        self._delete_when_done(dialog, "demo_dialog")
        dialog.show()
        return dialog

    def confirm(
        self,
        title: str,
        text: str,
        on_yes: Callable[[], None],
        parent: QWidget | None = None,
    ) -> QMessageBox:
        """Ask with a window-modal box and call ``on_yes`` if the user agrees."""
        return boxes.confirm(parent or self, title, text, on_yes)

    def confirm_remove_license(self) -> QMessageBox:
        has_reserve = self.engine.snapshot.reserve is not None
        text = (
            translate(
                "MainWindow",
                "This device will no longer be protected by this license, and its seat is freed "
                "for another device. Your reserve code then activates by itself.",
            )
            if has_reserve
            else translate(
                "MainWindow",
                "This device will no longer be protected by this license, and its seat is freed "
                "for another device. To use the license here again, you will need its "
                "activation code.",
            )
        )
        lic = self.engine.snapshot.license
        seat = lic.seat_id if lic else None
        return self.confirm(
            translate("MainWindow", "Remove the license?"),
            text,
            lambda: self.engine.remove_license(seat),
        )

    def open_log(self) -> None:
        """Show the log file in the desktop's text viewer (it says what Standby did, for
        support; it never holds a whole activation code), or, when nothing can show it,
        where it is."""
        if self.log_file is not None and self.log_file.exists():
            path = self.log_file
            self.open_file(path, self, lambda _why: self.show_log_path(path))
            return
        boxes.message(
            self,
            "noLogDialog",
            QMessageBox.Icon.Information,
            translate("MainWindow", "Standby has not written a log file on this computer yet."),
            title=translate("MainWindow", "No log file"),
        )

    def show_log_path(self, path: Path) -> QDialog:
        from app.gui.log_dialog import LogFileDialog

        if self.log_dialog is not None:
            self.log_dialog.close()
        dialog = LogFileDialog(path, self)
        self.log_dialog = dialog
        self._delete_when_done(dialog, "log_dialog")
        dialog.open()
        return dialog

    def account_url(self) -> str:
        """The account console's address, on the activation server the engine uses (the
        embedded one on 127.0.0.1, or ``--server``)."""
        return f"{self.engine.api.base_url}/account/"

    def open_account_page(self) -> None:
        """Help → Your account on the web: in the desktop's browser, or, when none can be
        started, its address to copy."""
        web_pages.open_page(self.account_url(), self, self.open_url, self.show_account_address)

    def show_account_address(self, url: str) -> QDialog:
        from app.gui.log_dialog import AccountPageDialog

        if self.account_dialog is not None:
            self.account_dialog.close()
        dialog = AccountPageDialog(url, self)
        self.account_dialog = dialog
        self._delete_when_done(dialog, "account_dialog")
        dialog.open()
        return dialog

    def about(self) -> None:
        where = None
        if self.log_file is not None:
            where = translate("MainWindow", "What Standby does is written to its log file: %1")
            where = where.replace("%1", str(self.log_file))
        box = boxes.message(
            self,
            "aboutDialog",
            QMessageBox.Icon.Information,
            translate(
                "MainWindow",
                "Standby %1. Manages this device’s license and its reserve activation code.",
            ).replace("%1", __version__),
            where,
            title=translate("MainWindow", "About Standby"),
        )
        if self.log_file is not None:
            role = QMessageBox.ButtonRole.ActionRole
            box.addButton(translate("MainWindow", "Open the log file"), role).clicked.connect(
                self.open_log
            )
            # The box's own OK button closes it: no second button that does the same.

    def _account_required(self) -> None:
        self.open_sign_in(
            translate(
                "MainWindow",
                "Your reserve activation code needs this device to be connected to your account. "
                "Sign in, and Standby activates it at once.",
            )
        )
