"""The Profile page: the account block and the license panel with its three-dots menu."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ErrorCode
from app.domain.license import LicenseState
from app.engine.engine import Engine
from app.engine.vocabulary import Busy, Failure, ReserveSource, ReserveStatus
from app.gui import account_words, texts, theme
from app.gui.device_name import DeviceNameRow
from app.gui.resources import icon, pixmap
from app.gui.theme import set_property
from app.gui.widgets import button, card, field_grid, label, set_tone, show_text, tick_while_visible

# How often the days/minutes left are redrawn.
TICK_MS = 15_000


class ProfilePage(QWidget):
    """Shows the engine's state; every button only sends the engine a command."""

    enterCodeRequested = Signal()
    detailsRequested = Signal()
    removeRequested = Signal()
    signInRequested = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.setObjectName("profilePage")

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(36, 32, 36, 32)
        layout.setSpacing(20)
        layout.addWidget(label(self.tr("Profile"), "title"))
        layout.addWidget(self._account_block())
        layout.addWidget(self._license_panel())
        layout.addStretch(1)
        self._body_layout = layout

        self._tick = tick_while_visible(self, TICK_MS, self.refresh)
        engine.changed.connect(self.refresh)
        self.refresh()

    # --- building ------------------------------------------------------------------------------

    def _account_block(self) -> QWidget:
        frame, layout = card("accountPanel")
        header = QHBoxLayout()
        header.setSpacing(12)
        self.account_icon = QLabel()
        header.addWidget(self.account_icon)
        header.addWidget(label(self.tr("Account"), "heading"))
        header.addStretch(1)
        layout.addLayout(header)
        row = QHBoxLayout()
        self.account_label = label("", None, "accountLabel", wrap=True)
        row.addWidget(self.account_label, 1)
        self.sign_in_button = button(self.tr("Sign in…"), "signInButton")
        self.sign_in_button.setAccessibleName(self.tr("Sign in to your account"))
        self.sign_in_button.clicked.connect(self.signInRequested)
        row.addWidget(self.sign_in_button)
        layout.addLayout(row)
        self.device_name = DeviceNameRow(self.engine)
        layout.addWidget(self.device_name)
        return frame

    def _license_panel(self) -> QWidget:
        frame, layout = card("licensePanel")
        frame.setAccessibleName(self.tr("License information"))
        header = QHBoxLayout()
        header.setSpacing(12)
        self.license_icon = QLabel()
        header.addWidget(self.license_icon)
        header.addWidget(label(self.tr("License"), "heading"))
        header.addStretch(1)
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("licenseMenuButton")
        self.menu_button.setToolTip(self.tr("License options"))
        self.menu_button.setAccessibleName(self.tr("License options"))
        # Its menu, for assistive technology (has-popup) and a long press; a click or Space
        # opens it aligned to the button's right edge (show_menu).
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.DelayedPopup)
        self.menu_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.menu_button.setAutoRaise(True)
        header.addWidget(self.menu_button)
        layout.addLayout(header)

        self.menu = QMenu(self.menu_button)
        self.menu.setObjectName("licenseMenu")
        self.enter_action = self._action(
            self.tr("Enter activation code"), "enterActivationCodeAction", "Ctrl+E"
        )
        self.enter_action.triggered.connect(self.enterCodeRequested)
        self.details_action = self._action(
            self.tr("License details"), "licenseDetailsAction", "Ctrl+I"
        )
        self.details_action.triggered.connect(self.detailsRequested)
        self.refresh_action = self._action(
            self.tr("Check license status now"), "refreshLicenseAction", "F5"
        )
        self.refresh_action.triggered.connect(self.engine.refresh)
        self.menu.addSeparator()
        self.remove_action = self._action(self.tr("Remove license…"), "removeLicenseAction", None)
        self.remove_action.triggered.connect(self.removeRequested)
        self.menu_button.setMenu(self.menu)
        self.menu_button.clicked.connect(self.show_menu)

        self.status_label = label("", "status", "licenseStatusLabel")
        # Its name is its text (Active, No license…); what it is, the description says.
        self.status_label.setAccessibleDescription(self.tr("License state"))
        layout.addWidget(self.status_label)
        self.summary_label = label("", "muted", "licenseSummaryLabel", wrap=True)
        layout.addWidget(self.summary_label)

        grid = field_grid()
        self.type_label = label("", None, "licenseTypeLabel")
        self.expiry_label = label("", None, "licenseExpiryLabel", wrap=True)
        self.devices_label = label("", None, "licenseDevicesLabel")
        self.reserve_label = label("", None, "reserveCodeLabel", wrap=True)
        self._field_titles: list[QLabel] = []
        for row, (title, value) in enumerate(
            (
                (self.tr("License type"), self.type_label),
                (self.tr("Expires"), self.expiry_label),
                (self.tr("Devices"), self.devices_label),
                (self.tr("Reserve activation code"), self.reserve_label),
            )
        ):
            title_label = label(title, "field")
            title_label.setBuddy(value)
            self._field_titles.append(title_label)
            grid.addWidget(title_label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
        layout.addLayout(grid)

        self.problem_label = label("", None, "licenseProblemLabel", wrap=True)
        set_tone(self.problem_label, "warn")
        layout.addWidget(self.problem_label)
        self.checked_label = label("", "muted", "licenseCheckedLabel", wrap=True)
        layout.addWidget(self.checked_label)
        self.storage_label = label("", "muted", "secretsStorageLabel", wrap=True)
        layout.addWidget(self.storage_label)

        actions = QHBoxLayout()
        actions.addStretch(1)
        self.details_button = button(self.tr("License details"), "panelDetailsButton")
        self.details_button.clicked.connect(self.detailsRequested)
        actions.addWidget(self.details_button)
        self.enter_button = button(
            self.tr("Enter activation code"), "panelEnterCodeButton", primary=True
        )
        self.enter_button.clicked.connect(self.enterCodeRequested)
        actions.addWidget(self.enter_button)
        layout.addLayout(actions)
        return frame

    def add_startup_switch(self, switch: QWidget) -> None:
        """The *Start Standby when I log in* switch, under the license panel."""
        self._body_layout.insertWidget(self._body_layout.count() - 1, switch)

    def show_menu(self) -> None:
        """Open the three-dots menu under the button, its right edge on the button's."""
        button = self.menu_button
        width = self.menu.sizeHint().width()
        self.menu.popup(button.mapToGlobal(QPoint(button.width() - width, button.height() + 4)))

    def _action(self, text: str, name: str, shortcut: str | None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.menu.addAction(action)
        self.addAction(action)  # so the shortcut works while the menu is closed
        return action

    def shortcut_actions(self) -> tuple[QAction, ...]:
        """The menu's actions that have a keyboard shortcut."""
        return (self.enter_action, self.details_action, self.refresh_action)

    # --- showing the state ----------------------------------------------------------------------

    def refresh(self) -> None:
        snap = self.engine.snapshot
        colors = theme.current()
        now = datetime.now(UTC)
        lic = snap.license
        tone = texts.state_tone(snap.state)
        self.account_icon.setPixmap(pixmap("account", colors.muted, 22))
        self.license_icon.setPixmap(pixmap("key", colors.tone(tone), 22))
        self.menu_button.setIcon(icon("more", colors.text, 22))

        if snap.account_email:
            self.account_label.setText(
                self.tr("This device is connected to the account %1.").replace(
                    "%1", snap.account_email
                )
            )
            self.sign_in_button.setText(self.tr("Use another account…"))
        else:
            self.account_label.setText(
                self.tr(
                    "This device is not connected to an account. Some activation codes need "
                    "it: sign in with your e-mail address and password."
                )
            )
            self.sign_in_button.setText(self.tr("Sign in…"))

        if not snap.loaded:
            self.status_label.setText(self.tr("Checking your license…"))
            set_tone(self.status_label, None)
        else:
            self.status_label.setText(texts.state_name(snap.state))
            set_tone(self.status_label, tone)
        self.summary_label.setText(self._summary(snap.state, snap.reserve is not None))

        has_license = lic is not None
        for widget in (self.type_label, self.expiry_label, self.devices_label):
            widget.setVisible(has_license)
        for title in self._field_titles[:3]:
            title.setVisible(has_license)
        if lic is not None:
            self.type_label.setText(texts.type_name(lic.type.value))
            self._field_titles[1].setText(
                self.tr("Expired on") if lic.expires_at <= now else self.tr("Expires")
            )
            self.expiry_label.setText(texts.expiry(lic.expires_at, now))
            self.devices_label.setText(texts.devices(snap.devices_used, lic.max_devices))

        reserve = snap.reserve
        self._field_titles[3].setVisible(reserve is not None)
        if reserve is None:
            show_text(self.reserve_label, None)
        else:
            line = (
                self.tr("%1 · takes over on %2")
                .replace("%1", texts.masked(reserve.last5))
                .replace("%2", texts.date_time(reserve.takes_over_at))
            )
            if reserve.status is not ReserveStatus.SAVED:
                line += "\n" + texts.reserve_status(reserve)
            if reserve.source is ReserveSource.ACCOUNT:
                line += "\n" + account_words.reserve_from_account()
            show_text(self.reserve_label, line)
            set_tone(
                self.reserve_label,
                "bad"
                if reserve.status is ReserveStatus.FAILED and not reserve.failure_transient
                else None,
            )

        problem = texts.problem_message(snap.problem)
        if snap.unreachable:
            unreachable = (
                texts.unreachable_message(snap.unreachable, snap.server_address)
                + " "
                + self.tr("Standby keeps trying.")
            )
            problem = f"{problem}\n{unreachable}" if problem else unreachable
        elif problem is None and snap.device_not_proven:
            problem = texts.failure_words(Failure(ErrorCode.DEVICE_NOT_PROVEN))
        elif problem is None and snap.busy is Busy.ACTIVATING:
            problem = self.tr("Activating your reserve code…")
        show_text(self.problem_label, problem)
        # A device the server did not take for itself has had no license confirmed.
        checked = None if snap.device_not_proven else snap.checked_at
        show_text(
            self.checked_label,
            self._checked_text(snap.busy, checked, now, snap.unreachable is not None),
        )
        storage = None
        if snap.loaded and not snap.secrets_secure and snap.secrets_location:
            storage = self.tr(
                "No password keyring: codes are kept in a private file (see License details)."
            )
        show_text(self.storage_label, storage)

        self.remove_action.setEnabled(has_license and snap.busy is None)
        self.enter_button.setVisible(snap.loaded)
        # The main action while the device is unprotected or about to be; otherwise quieter
        # (a reserve code that takes over soon is the protection to come).
        covered = snap.state is LicenseState.EXPIRING_SOON and (
            snap.reserve is not None and not snap.reserve_failed_for_good
        )
        set_property(
            self.enter_button,
            "primary",
            not covered
            and (
                snap.state not in (LicenseState.ACTIVE, LicenseState.TRIAL) or snap.reserve is None
            ),
        )
        self.enter_action.setEnabled(snap.loaded)

    def _checked_text(
        self, busy: Busy | None, checked_at: datetime | None, now: datetime, unreachable: bool
    ) -> str:
        if busy is Busy.SYNCING:
            return self.tr("Checking the license with the activation server…")
        if checked_at is None:
            return ""
        line = (  # while unreachable: when the server last said so, not that it says so now
            self.tr("Last confirmed with the activation server %1.")
            if unreachable
            else self.tr("License status confirmed with the activation server %1.")
        )
        return line.replace("%1", texts.time_ago(checked_at, now))

    def _summary(self, state: LicenseState, has_reserve: bool) -> str:
        if state in (LicenseState.ACTIVE, LicenseState.TRIAL):
            if has_reserve:
                return self.tr(
                    "Your device is protected. Your reserve code takes over when this license ends."
                )
            return self.tr("Your device is protected.")
        if state is LicenseState.EXPIRING_SOON:
            if has_reserve:
                return self.tr(
                    "Your license ends soon. Your reserve code takes over by itself, so you stay "
                    "protected."
                )
            return self.tr(
                "Your license ends soon. Enter a new activation code now: it waits as a reserve "
                "code and takes over by itself."
            )
        if state is LicenseState.BLOCKED:
            if has_reserve:
                return self.tr(
                    "Your license has been blocked. Open “License details” and choose “Activate "
                    "now” to switch to your reserve code."
                )
            return self.tr("Your license has been blocked. Enter a new activation code.")
        if state is LicenseState.EXPIRED:
            return self.tr("Your license has expired. Your device is not protected.")
        return self.tr(
            "Your device is not protected. Enter an activation code to activate Standby."
        )
