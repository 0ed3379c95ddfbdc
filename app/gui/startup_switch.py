"""*Start Standby when I log in*: the switch on the Profile page.

The license engine must run for the reserve code to take over on time, so once a license
is active the switch turns itself on, unless the user has chosen before; from then on it
follows the user's choice. What it writes is :class:`app.engine.autostart.Autostart`'s.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from app.domain.license import LicenseState
from app.engine.autostart import Autostart, AutostartError
from app.engine.engine import Engine
from app.gui.widgets import announce, card, label, set_tone, show_text

log = logging.getLogger("standby.gui")
# Set once the user switched it themselves: no default overrides that choice.
CHOSEN_KEY = "autostart/chosen"
PROTECTED = (LicenseState.ACTIVE, LicenseState.EXPIRING_SOON, LicenseState.TRIAL)


class StartupSwitch(QWidget):
    def __init__(
        self,
        engine: Engine,
        autostart: Autostart,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.autostart = autostart
        self.settings = settings
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame, layout = card("startupPanel")
        frame.setAccessibleName(self.tr("Start-up"))
        outer.addWidget(frame)
        layout.setSpacing(6)
        self.check = QCheckBox(self.tr("Start Standby when I log in"))
        self.check.setObjectName("startAtLoginSwitch")
        why = self.tr("Standby then renews your license on time even when you never open it.")
        self.check.setToolTip(why)
        self.check.setAccessibleDescription(why)
        layout.addWidget(self.check)
        layout.addWidget(label(why, "muted", "startAtLoginNote", wrap=True))
        self.error = label("", None, "startAtLoginError", wrap=True)
        set_tone(self.error, "bad")
        self.error.hide()
        layout.addWidget(self.error)
        self.check.setChecked(self._enabled())
        self.check.toggled.connect(self._chosen)
        engine.changed.connect(self._default_on)
        self._default_on()

    def _enabled(self) -> bool:
        try:
            return self.autostart.enabled()
        except AutostartError as exc:
            log.warning("%s", exc)
            return False

    def _default_on(self) -> None:
        if self.settings.value(CHOSEN_KEY) is not None or self.check.isChecked():
            return
        if self.engine.snapshot.state in PROTECTED and self._write(on=True):
            self._show(on=True)

    def _chosen(self, on: bool) -> None:
        self.settings.setValue(CHOSEN_KEY, "on" if on else "off")
        if not self._write(on=on):
            self._show(on=not on)

    def _show(self, *, on: bool) -> None:
        """Set the switch without it counting as the user's choice."""
        self.check.blockSignals(True)
        self.check.setChecked(on)
        self.check.blockSignals(False)

    def _write(self, *, on: bool) -> bool:
        try:
            if on:
                self.autostart.enable()
            else:
                self.autostart.disable()
        except AutostartError as exc:
            log.warning("%s", exc)
            message = self.tr("Standby could not change what starts when you log in: %1").replace(
                "%1", str(exc)
            )
            show_text(self.error, message)
            announce(self.error, message, assertive=True)
            return False
        self.error.hide()
        return True
