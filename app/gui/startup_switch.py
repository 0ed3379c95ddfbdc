"""*Start Standby when I log in*: the switch on the Profile page.

The license engine must run for the reserve code to take over on time, so once a license
is active the switch turns itself on, unless the user has chosen before; from then on it
follows the user's choice. What it writes is :class:`app.engine.autostart.Autostart`'s.

There is one login entry per user. The switch is on only when that entry starts this
device (this data folder, against this server); when it starts another one, the switch is
off, the panel says which device starts instead and offers to start this one, and nothing
replaces the other device's entry unasked.
"""

from __future__ import annotations

import logging
from enum import Enum

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from app.data_dir import default_data_dir
from app.domain.license import LicenseState
from app.engine.autostart import Autostart, AutostartError, Target
from app.engine.engine import Engine
from app.gui.widgets import announce, button, card, label, set_tone, show_text

log = logging.getLogger("standby.gui")
# Set once the user switched it themselves: no default overrides that choice.
CHOSEN_KEY = "autostart/chosen"
PROTECTED = (LicenseState.ACTIVE, LicenseState.EXPIRING_SOON, LicenseState.TRIAL)


class Entry(Enum):
    NONE = "none"
    THIS = "this"  # it starts this device
    OTHER = "other"  # it starts another data folder, or another server


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
        self.other = label("", "muted", "startAtLoginOther", wrap=True)
        self.other.hide()
        layout.addWidget(self.other)
        self.take_over = button(self.tr("Start this device at login instead"), "startAtLoginHere")
        self.take_over.hide()
        self.take_over.clicked.connect(self._start_here)
        layout.addWidget(self.take_over, 0, Qt.AlignmentFlag.AlignLeft)
        self.error = label("", None, "startAtLoginError", wrap=True)
        set_tone(self.error, "bad")
        self.error.hide()
        layout.addWidget(self.error)
        self.check.setChecked(self._found()[0] is Entry.THIS)
        self._say_other()
        self.check.toggled.connect(self._chosen)
        engine.changed.connect(self._default_on)
        self._default_on()

    def _found(self) -> tuple[Entry, Target | None]:
        """Whose login entry there is (this device's, another's, or none), and what it
        starts."""
        try:
            target = self.autostart.starts()
        except AutostartError as exc:
            log.warning("%s", exc)
            return Entry.NONE, None
        if target is None:
            return Entry.NONE, None
        same = target.same_device(self.autostart.target, default_data_dir())
        return (Entry.THIS if same else Entry.OTHER), target

    def _say_other(self) -> None:
        """When the entry starts another device: which one, and the offer to start this."""
        entry, target = self._found()
        self.take_over.setVisible(entry is Entry.OTHER)
        if entry is not Entry.OTHER or target is None:
            self.other.hide()
            return
        server = (
            self.tr("the activation server %1").replace("%1", target.server_url)
            if target.server_url
            else self.tr("its built-in activation server")
        )
        show_text(
            self.other,
            self.tr(
                "At login, Standby starts another device instead of this one: the data "
                "folder %1, with %2."
            )
            .replace("%1", target.data_dir or self.tr("the default folder"))
            .replace("%2", server),
        )

    def _start_here(self) -> None:
        self.settings.setValue(CHOSEN_KEY, "on")
        if self._write(on=True):
            self._show(on=True)
        self._say_other()

    def _default_on(self) -> None:
        if self.settings.value(CHOSEN_KEY) is not None or self.check.isChecked():
            return
        if self.engine.snapshot.state not in PROTECTED or self._found()[0] is not Entry.NONE:
            return  # another device's entry is never replaced unasked
        if self._write(on=True):
            self._show(on=True)

    def _chosen(self, on: bool) -> None:
        self.settings.setValue(CHOSEN_KEY, "on" if on else "off")
        if not self._write(on=on):
            self._show(on=not on)
        self._say_other()

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
