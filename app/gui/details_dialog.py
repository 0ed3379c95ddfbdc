"""License details: the current license, the reserve code and when the status was confirmed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.license import LicenseState
from app.engine.engine import Engine
from app.engine.vocabulary import Busy, ReserveSource, ReserveStatus
from app.gui import account_words, texts
from app.gui.widgets import (
    DialogColumn,
    button,
    card,
    field_grid,
    label,
    set_tone,
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
        layout.addWidget(current)

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
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.remove_reserve_button = button(self.tr("Remove reserve code…"), "removeReserveButton")
        self.remove_reserve_button.clicked.connect(self._remove_reserve)
        buttons.addWidget(self.remove_reserve_button)
        self.retry_button = button(self.tr("Try again"), "retryButton", primary=True)
        self.retry_button.clicked.connect(engine.retry)
        buttons.addWidget(self.retry_button)
        self.activate_now_button = button(
            self.tr("Activate now"), "activateNowButton", primary=True
        )
        self.activate_now_button.clicked.connect(engine.activate_now)
        buttons.addWidget(self.activate_now_button)
        reserve_layout.addLayout(buttons)
        layout.addWidget(reserve)

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
        self.refresh_button.clicked.connect(engine.refresh)
        row.addWidget(self.refresh_button)
        status_layout.addLayout(row)
        layout.addWidget(status)

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

    def refresh(self) -> None:
        snap = self.engine.snapshot
        now = datetime.now(UTC)
        lic = snap.license
        self.no_license.setVisible(lic is None)
        if lic is None:
            for key in self.current.rows:
                self.current.set(key, None)
        else:
            self.current.set("code", texts.masked(lic.code_last5))
            self.current.set("type", texts.type_name(lic.type.value))
            self.current.set("state", texts.state_name(snap.state))
            set_tone(self.state_label, texts.state_tone(snap.state))
            self.current.set("activated", texts.date_time(lic.activated_at))
            self.current.retitle(
                "expires",
                self.tr("Expired on") if lic.expires_at <= now else self.tr("Expires"),
            )
            self.current.set("expires", texts.expiry(lic.expires_at, now))
            self.current.set("devices", texts.devices(snap.devices_used, lic.max_devices))

        reserve = snap.reserve
        self.no_reserve.setVisible(reserve is None)
        self.reserve_source.setVisible(
            reserve is not None and reserve.source is ReserveSource.ACCOUNT
        )
        idle = snap.busy is None
        if reserve is None:
            for key in self.reserve.rows:
                self.reserve.set(key, None)
            self.reserve_code.setText("")
        else:
            self.reserve.set("code", texts.masked(reserve.last5))
            self.reserve.set("term", texts.duration(reserve.term_seconds))
            self.reserve.set("devices", texts.devices(None, reserve.max_devices))
            self.reserve.set("expires", texts.date_time(reserve.expires_at))
            self.reserve.set("takes_over", texts.date_time(reserve.takes_over_at))
            self.reserve.set("status", texts.reserve_status(reserve))
            failed = reserve.status is ReserveStatus.FAILED
            set_tone(
                self.reserve_status, "bad" if failed and not reserve.failure_transient else None
            )
        failed = reserve is not None and reserve.status is ReserveStatus.FAILED
        self.retry_button.setVisible(failed and snap.reserve_can_take_over_now)
        self.retry_button.setEnabled(idle)
        self.activate_now_button.setVisible(
            reserve is not None and not failed and snap.state is LicenseState.BLOCKED
        )
        self.activate_now_button.setEnabled(idle)
        self.remove_reserve_button.setVisible(reserve is not None)
        self.remove_reserve_button.setEnabled(
            idle and reserve is not None and reserve.status is not ReserveStatus.ACTIVATING
        )

        if snap.checked_at is None:
            checked = self.tr("The status has not been confirmed with the activation server yet.")
        else:
            checked = self.tr("Last confirmed with the activation server: %1").replace(
                "%1", texts.date_time(snap.checked_at)
            )
        if snap.busy is Busy.SYNCING:
            checked += " " + self.tr("(checking now…)")
        self.checked_label.setText(checked)
        # Where a recent purchase may not show yet: nothing confirmed, or no usable license.
        self.purchase_note.setVisible(
            snap.loaded
            and (
                snap.checked_at is None
                or snap.unreachable is not None
                or snap.state in (LicenseState.NONE, LicenseState.EXPIRED, LicenseState.BLOCKED)
            )
        )
        self.status.set("server", snap.server_address)
        where = snap.secrets_location
        if where and not snap.secrets_secure:
            private = self.tr("%1 (a file only your user account can read; no password keyring)")
            where = private.replace("%1", where)
        self.status.set("secrets", where)
        problems = [texts.problem_message(snap.problem)]
        if snap.unreachable:
            problems.append(texts.unreachable_message(snap.unreachable, snap.server_address))
        show_text(self.problem_label, "\n".join(p for p in problems if p) or None)
        self.refresh_button.setEnabled(idle)
        # Rows appear and disappear with the state: let the window fit them again.
        self._column.fit()
