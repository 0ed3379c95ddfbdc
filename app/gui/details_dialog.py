"""License details: the current license, the reserve code and when the status was confirmed.

What it says is :func:`app.gui.details_view.details_view` of the engine's snapshot; the
dialog only applies it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.engine.engine import Engine
from app.gui import account_words
from app.gui.details_view import CurrentLicense, ReserveCode, details_view
from app.gui.widgets import (
    DialogColumn,
    button,
    card,
    field_grid,
    label,
    set_tone,
    show_offer,
    show_text,
    tick_while_visible,
)


class _Fields:
    """A two-column grid of 'title: value' rows inside a card."""

    def __init__(self, layout: QVBoxLayout) -> None:
        self.grid = field_grid()
        layout.addLayout(self.grid)
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}

    def add(self, key: str, title: str, name: str | None = None) -> QLabel:
        title_label = label(title, "field")
        value = label("", None, name, wrap=True)
        title_label.setBuddy(value)  # a screen reader hears the title, then the value's text
        row = self.grid.rowCount()
        self.grid.addWidget(title_label, row, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(value, row, 1)
        self.rows[key] = (title_label, value)
        return value

    def retitle(self, key: str, title: str) -> None:
        self.rows[key][0].setText(title)

    def set(self, key: str, text: str | None) -> None:
        title, value = self.rows[key]
        value.setText(text or "")
        title.setVisible(text is not None)
        value.setVisible(text is not None)

    def clear(self) -> None:
        """Hide every row."""
        for key in self.rows:
            self.set(key, None)


class LicenseDetailsDialog(QDialog):
    """Non-modal; follows the engine while open."""

    removeReserveRequested = Signal()

    def __init__(
        self,
        engine: Engine,
        parent: QWidget | None = None,
        *,
        confirm: Callable[[str, str, Callable[[], None]], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.setObjectName("licenseDetailsDialog")
        self.setWindowTitle(self.tr("License details"))

        self._column = DialogColumn(self, 640, 16)
        layout = self._column.body
        layout.addWidget(label(self.tr("License details"), "title"))
        layout.addWidget(self._current_card())
        layout.addWidget(self._reserve_card())
        layout.addWidget(self._status_card())

        bottom = self._column.buttons
        bottom.addStretch(1)
        close = button(self.tr("Close"), "detailsCloseButton")
        close.clicked.connect(self.accept)
        close.setDefault(True)
        bottom.addWidget(close)
        self.close_button = close

        self._confirm = confirm
        engine.changed.connect(self.refresh)
        self._tick = tick_while_visible(self, 15_000, self.refresh)
        self.refresh()
        close.setFocus()

    # --- building ------------------------------------------------------------------------------

    def _current_card(self) -> QWidget:
        current, current_layout = card("detailsCurrentLicense")
        current_layout.addWidget(label(self.tr("Current license"), "heading"))
        self.current = _Fields(current_layout)
        self.current.add("code", self.tr("Activation code"), "detailsLicenseCodeLabel")
        self.current.add("type", self.tr("License type"), "detailsLicenseTypeLabel")
        self.state_label = self.current.add("state", self.tr("State"), "detailsLicenseStateLabel")
        self.current.add("activated", self.tr("Activated on"), "detailsActivatedLabel")
        self.current.add("expires", self.tr("Expires"), "detailsExpiryLabel")
        self.current.add("devices", self.tr("Devices"), "detailsDevicesLabel")
        self.no_license = label(self.tr("No license is active on this device."), "muted")
        current_layout.addWidget(self.no_license)
        return current

    def _reserve_card(self) -> QWidget:
        reserve, reserve_layout = card("detailsReserve")
        reserve_layout.addWidget(label(self.tr("Reserve activation code"), "heading"))
        self.reserve = _Fields(reserve_layout)
        self.reserve_code = self.reserve.add(
            "code", self.tr("Activation code"), "detailsReserveCodeLabel"
        )
        self.reserve.add("term", self.tr("Term"), "detailsReserveTermLabel")
        self.reserve.add("devices", self.tr("Devices"), "detailsReserveDevicesLabel")
        self.reserve.add("expires", self.tr("License valid until"), "detailsReserveExpiryLabel")
        self.reserve.add("takes_over", self.tr("Takes over"), "detailsReserveTakesOverLabel")
        self.reserve_status = self.reserve.add(
            "status", self.tr("State"), "detailsReserveStatusLabel"
        )
        self.no_reserve = label(
            self.tr(
                "No reserve code is saved. While your license is active, a newly bought code "
                "entered with “Enter activation code” waits here and activates by itself when "
                "the license ends."
            ),
            "muted",
            wrap=True,
        )
        reserve_layout.addWidget(self.no_reserve)
        self.reserve_source = label(
            account_words.reserve_from_account(), "muted", "detailsReserveSourceLabel", wrap=True
        )
        reserve_layout.addWidget(self.reserve_source)
        reserve_layout.addLayout(self._reserve_buttons())
        return reserve

    def _reserve_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.remove_reserve_button = button(self.tr("Remove reserve code…"), "removeReserveButton")
        self.remove_reserve_button.clicked.connect(self._remove_reserve)
        buttons.addWidget(self.remove_reserve_button)
        self.retry_button = button(self.tr("Try again"), "retryButton", primary=True)
        self.retry_button.clicked.connect(self.engine.retry)
        buttons.addWidget(self.retry_button)
        self.activate_now_button = button(
            self.tr("Activate now"), "activateNowButton", primary=True
        )
        self.activate_now_button.clicked.connect(self.engine.activate_now)
        buttons.addWidget(self.activate_now_button)
        return buttons

    def _status_card(self) -> QWidget:
        status, status_layout = card("detailsStatus")
        status_layout.addWidget(label(self.tr("License status"), "heading"))
        self.checked_label = label("", None, "detailsCheckedLabel", wrap=True)
        status_layout.addWidget(self.checked_label)
        self.purchase_note = label(
            self.tr(
                "After a purchase it can take up to 24 hours until the license status shown "
                "here is up to date."
            ),
            "muted",
            "detailsPurchaseNote",
            wrap=True,
        )
        status_layout.addWidget(self.purchase_note)
        self.status = _Fields(status_layout)
        self.status.add("server", self.tr("Activation server"), "detailsServerLabel")
        self.status.add("secrets", self.tr("Activation codes kept in"), "detailsSecretsLabel")
        self.problem_label = label("", None, "detailsProblemLabel", wrap=True)
        set_tone(self.problem_label, "warn")
        status_layout.addWidget(self.problem_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.refresh_button = button(self.tr("Check status now"), "refreshButton")
        self.refresh_button.clicked.connect(self.engine.refresh)
        row.addWidget(self.refresh_button)
        status_layout.addLayout(row)
        return status

    def _remove_reserve(self) -> None:
        if self._confirm is None:
            self.engine.remove_reserve()
            return
        self._confirm(
            self.tr("Remove the reserve code?"),
            self.tr(
                "Standby will no longer renew your license by itself with this code. You can "
                "enter it again later."
            ),
            self.engine.remove_reserve,
        )

    # --- showing the state ----------------------------------------------------------------------

    def refresh(self) -> None:
        view = details_view(self.engine.snapshot)
        self._show_license(view.license)
        self._show_reserve(view.reserve)
        show_offer(self.retry_button, view.retry)
        show_offer(self.activate_now_button, view.activate_now)
        show_offer(self.remove_reserve_button, view.remove_reserve)
        self.checked_label.setText(view.checked)
        self.purchase_note.setVisible(view.purchase_note)
        self.status.set("server", view.server)
        self.status.set("secrets", view.secrets)
        show_text(self.problem_label, view.problem)
        show_offer(self.refresh_button, view.refresh)
        # Rows appear and disappear with the state: let the window fit them again.
        self._column.fit()

    def _show_license(self, lic: CurrentLicense | None) -> None:
        self.no_license.setVisible(lic is None)
        if lic is None:
            self.current.clear()
            return
        self.current.set("code", lic.code)
        self.current.set("type", lic.type)
        self.current.set("state", lic.state)
        set_tone(self.state_label, lic.state_tone)
        self.current.set("activated", lic.activated)
        self.current.retitle("expires", lic.expiry_title)
        self.current.set("expires", lic.expiry)
        self.current.set("devices", lic.devices)

    def _show_reserve(self, reserve: ReserveCode | None) -> None:
        self.no_reserve.setVisible(reserve is None)
        self.reserve_source.setVisible(reserve is not None and reserve.from_account)
        if reserve is None:
            self.reserve.clear()
            return
        self.reserve.set("code", reserve.code)
        self.reserve.set("term", reserve.term)
        self.reserve.set("devices", reserve.devices)
        self.reserve.set("expires", reserve.expires)
        self.reserve.set("takes_over", reserve.takes_over)
        self.reserve.set("status", reserve.status)
        set_tone(self.reserve_status, reserve.status_tone)
