"""Drives the real window the way a person does: menus, dialogs, buttons, typing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.device_proof import DeviceKey
from app.domain.license import LicenseType
from app.engine.engine import Engine
from app.engine.vocabulary import Notice, SaveOutcome
from app.gui.main_window import MainWindow
from app.server.services import Services
from tests.server.console import PASSWORD, new_account
from tests.servers import issue_code

T = TypeVar("T", bound=QObject)
WAIT_MS = 15_000


class Driver:
    def __init__(self, qtbot: QtBot, window: MainWindow, services: Services, data_dir: Path):
        self.qtbot = qtbot
        self.window = window
        self.services = services
        self.data_dir = data_dir

    @property
    def engine(self) -> Engine:
        return self.window.engine

    # --- finding widgets ----------------------------------------------------------------------

    def find(self, kind: type[T], name: str, root: QObject | None = None) -> T:
        found = (root or self.window).findChild(kind, name)
        assert found is not None, f"no {kind.__name__} named {name}"
        return found

    def text(self, name: str, root: QObject | None = None) -> str:
        return self.find(QLabel, name, root).text()

    def action(self, name: str) -> QAction:
        return self.find(QAction, name)

    def dialog_is_open(self, name: str) -> bool:
        return any(d.isVisible() for d in self.window.findChildren(QDialog, name))

    def visible_dialog(self, name: str) -> QDialog:
        dialogs = [d for d in self.window.findChildren(QDialog, name) if d.isVisible()]
        assert dialogs, f"no visible dialog {name}"
        return dialogs[-1]

    # --- waiting ------------------------------------------------------------------------------

    def wait_loaded(self) -> None:
        self.qtbot.waitUntil(
            lambda: self.engine.snapshot.loaded and self.engine.snapshot.busy is None,
            timeout=WAIT_MS,
        )

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.engine.snapshot.busy is None, timeout=WAIT_MS)

    @contextmanager
    def expect_notice(self, notice: Notice) -> Iterator[None]:
        """The block must lead to ``notice`` (waited for after the block, as a signal)."""
        with self.qtbot.waitSignal(
            self.engine.notice,
            timeout=WAIT_MS,
            check_params_cb=lambda value: value == notice,
        ):
            yield

    # --- codes on the server ------------------------------------------------------------------

    def sign_in_new_account(self) -> int:
        """A new account, this window's device signed in to it through the engine; the
        account's id."""
        email, account_id = new_account(self.services)
        with self.qtbot.waitSignal(self.engine.signInFinished, timeout=WAIT_MS) as done:
            self.engine.sign_in(email, PASSWORD)
        assert done.args[0] is None
        self.wait_idle()
        return account_id

    def issue(
        self,
        term: int = 365 * 86400,
        *,
        devices: int = 1,
        license_type: LicenseType = LicenseType.COMMERCIAL,
        requires_account: bool = False,
        app_versions: str = "",
        valid_until: datetime | None = None,
    ) -> str:
        return issue_code(
            self.services,
            term,
            devices=devices,
            license_type=license_type,
            requires_account=requires_account,
            app_versions=app_versions,
            valid_until=valid_until,
        )

    # --- the Enter activation code flow -------------------------------------------------------

    def open_code_dialog(self) -> QDialog:
        self.window.show_profile()
        self.action("enterActivationCodeAction").trigger()
        return self.visible_dialog("activationCodeDialog")

    def type_code(self, text: str) -> QDialog:
        dialog = self.open_code_dialog()
        edit = self.find(QLineEdit, "activationCodeEdit", dialog)
        edit.setFocus()
        self.qtbot.keyClicks(edit, text)
        return dialog

    def save_code(self, text: str) -> tuple[QDialog, SaveOutcome]:
        """Type ``text`` into the dialog, press Save activation code, wait for the answer."""
        dialog = self.type_code(text)
        save = self.find(QPushButton, "saveActivationCodeButton", dialog)
        assert save.isEnabled(), self.text("activationCodeError", dialog)
        with self.qtbot.waitSignal(self.engine.saveFinished, timeout=WAIT_MS) as signal:
            self.qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        self.wait_idle()
        outcome = signal.args[0] if signal.args else None
        assert isinstance(outcome, SaveOutcome)
        return dialog, outcome

    def activate(self, text: str) -> None:
        dialog, outcome = self.save_code(text)
        assert outcome.result.value == "activated", outcome
        dialog.close()

    def reserve(self, text: str) -> None:
        dialog, outcome = self.save_code(text)
        assert outcome.result.value == "reserved", outcome
        dialog.close()

    def device_key(self) -> DeviceKey:
        """The key the app signs this device's calls with (from its secret store)."""
        return self.engine._io.local.device_key()

    def lose_hold(self) -> None:
        """The seat held for the reserve is freed from elsewhere (support, another tool);
        the engine learns it at the next sync, and the reserve will take over online."""
        reserve = self.engine.snapshot.reserve
        assert reserve is not None
        assert reserve.license_token is not None
        key = self.device_key().public  # the tool frees it for this device
        assert self.services.licenses.deactivate(reserve.license_token, key)
        self.action("refreshLicenseAction").trigger()

        def not_held() -> bool:
            reserve = self.engine.snapshot.reserve
            return reserve is not None and not reserve.held

        self.qtbot.waitUntil(not_held, timeout=WAIT_MS)

    def license_and_reserve(self, term: int = 365 * 86400) -> tuple[str, str]:
        """Activate a code for ``term`` and save a longer one as the reserve; both codes."""
        current = self.issue(term)
        self.activate(current)
        reserve = self.issue(2 * term)
        self.reserve(reserve)
        return current, reserve

    # --- other windows ------------------------------------------------------------------------

    def confirm_box(self) -> QMessageBox:
        boxes = [b for b in self.window.findChildren(QMessageBox) if b.isVisible()]
        assert boxes, "no confirmation is shown"
        return boxes[-1]

    def answer_confirm(self, yes: bool) -> None:
        box = self.confirm_box()
        name = "confirmYesButton" if yes else "confirmNoButton"
        self.qtbot.mouseClick(self.find(QPushButton, name, box), Qt.MouseButton.LeftButton)

    def open_details(self) -> QDialog:
        self.action("licenseDetailsAction").trigger()
        return self.visible_dialog("licenseDetailsDialog")

    def click(self, name: str, root: QWidget | None = None) -> None:
        widget = self.find(QPushButton, name, root)
        assert widget.isVisible(), f"{name} is not visible"
        assert widget.isEnabled(), f"{name} is disabled"
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
