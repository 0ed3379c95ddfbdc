"""The Profile page: the account block and the license panel with its three-dots menu.

What it says is :func:`app.gui.profile_view.profile_view` of the engine's snapshot; the page
only applies it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.engine.engine import Engine
from app.gui import theme
from app.gui.device_name import DeviceNameRow
from app.gui.profile_view import LicenseLines, profile_view
from app.gui.resources import icon, pixmap
from app.gui.theme import set_property
from app.gui.view_model import Offer
from app.gui.widgets import (
    button,
    card,
    field_grid,
    label,
    set_tone,
    show_offer,
    show_text,
    tick_while_visible,
)

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
        layout.addLayout(self._license_header())
        self.status_label = label("", "status", "licenseStatusLabel")
        # Its name is its text (Active, No license…); what it is, the description says.
        self.status_label.setAccessibleDescription(self.tr("License state"))
        layout.addWidget(self.status_label)
        self.summary_label = label("", "muted", "licenseSummaryLabel", wrap=True)
        layout.addWidget(self.summary_label)
        layout.addLayout(self._license_fields())
        self.problem_label = label("", None, "licenseProblemLabel", wrap=True)
        set_tone(self.problem_label, "warn")
        layout.addWidget(self.problem_label)
        self.checked_label = label("", "muted", "licenseCheckedLabel", wrap=True)
        layout.addWidget(self.checked_label)
        self.storage_label = label("", "muted", "secretsStorageLabel", wrap=True)
        layout.addWidget(self.storage_label)
        layout.addLayout(self._license_buttons())
        return frame

    def _license_header(self) -> QHBoxLayout:
        """The key, the heading and the three-dots button with its menu."""
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
        self._license_menu()
        return header

    def _license_menu(self) -> None:
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

    def _license_fields(self) -> QGridLayout:
        """The license's rows and the reserve code's, each title the buddy of its value."""
        grid = field_grid()
        self.type_label = label("", None, "licenseTypeLabel")
        self.expiry_label = label("", None, "licenseExpiryLabel", wrap=True)
        self.devices_label = label("", None, "licenseDevicesLabel")
        self.reserve_label = label("", None, "reserveCodeLabel", wrap=True)
        self.type_title = _field(grid, 0, self.tr("License type"), self.type_label)
        self.expiry_title = _field(grid, 1, self.tr("Expires"), self.expiry_label)
        self.devices_title = _field(grid, 2, self.tr("Devices"), self.devices_label)
        self.reserve_title = _field(grid, 3, self.tr("Reserve activation code"), self.reserve_label)
        return grid

    def _license_buttons(self) -> QHBoxLayout:
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
        return actions

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
        view = profile_view(self.engine.snapshot)
        colors = theme.current()
        self.account_icon.setPixmap(pixmap("account", colors.muted, 22))
        self.license_icon.setPixmap(pixmap("key", colors.tone(view.key_tone), 22))
        self.menu_button.setIcon(icon("more", colors.text, 22))
        self.account_label.setText(view.account)
        self.sign_in_button.setText(view.sign_in)
        self.status_label.setText(view.status)
        set_tone(self.status_label, view.status_tone)
        self.summary_label.setText(view.summary)
        self._show_license(view.license)
        self.reserve_title.setVisible(bool(view.reserve))
        show_text(self.reserve_label, "\n".join(view.reserve) or None)
        if view.reserve:
            set_tone(self.reserve_label, view.reserve_tone)
        show_text(self.problem_label, view.problem)
        show_text(self.checked_label, view.checked)
        show_text(self.storage_label, view.storage)
        self.remove_action.setEnabled(view.remove is Offer.SHOWN)
        self.enter_action.setEnabled(view.enter_code is not Offer.HIDDEN)
        show_offer(self.enter_button, view.enter_code)
        if view.enter_code is not Offer.HIDDEN:
            set_property(self.enter_button, "primary", view.enter_code is Offer.MAIN)

    def _show_license(self, lines: LicenseLines | None) -> None:
        for widget in (
            *(self.type_title, self.type_label),
            *(self.expiry_title, self.expiry_label),
            *(self.devices_title, self.devices_label),
        ):
            widget.setVisible(lines is not None)
        if lines is not None:
            self.type_label.setText(lines.type)
            self.expiry_title.setText(lines.expiry_title)
            self.expiry_label.setText(lines.expiry)
            self.devices_label.setText(lines.devices)


def _field(grid: QGridLayout, row: int, title: str, value: QLabel) -> QLabel:
    """A 'title: value' row; returns the title."""
    title_label = label(title, "field")
    title_label.setBuddy(value)  # a screen reader hears the title, then the value's text
    grid.addWidget(title_label, row, 0, Qt.AlignmentFlag.AlignTop)
    grid.addWidget(value, row, 1)
    return title_label
