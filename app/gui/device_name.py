"""The device's name in Profile's account block: what the account console calls this device
(the computer's host name until the user renames it here)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.domain.names import NAME_MOST, clean_name
from app.engine.engine import Engine
from app.gui.widgets import announce, button, label


class DeviceNameRow(QWidget):
    """``Device name: [field] [Rename]``; Enter in the field renames too."""

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.setObjectName("deviceNamePanel")
        self._shown = ""  # the name the field showed last (not edited since)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(12)
        title = label(self.tr("Device name"), "field")
        row.addWidget(title, 0, Qt.AlignmentFlag.AlignVCenter)
        self.edit = QLineEdit()
        self.edit.setObjectName("deviceNameEdit")
        self.edit.setMaxLength(NAME_MOST)
        self.edit.setAccessibleName(self.tr("Device name"))
        hint = self.tr("The name this device has in your account on the web.")
        self.edit.setAccessibleDescription(hint)
        self.edit.setToolTip(hint)
        title.setBuddy(self.edit)
        row.addWidget(self.edit, 1)
        self.save_button = button(self.tr("Rename"), "saveDeviceNameButton")
        self.save_button.setAccessibleName(self.tr("Rename this device"))
        row.addWidget(self.save_button)
        column.addLayout(row)
        self.note = label("", "muted", "deviceNameNote", wrap=True)
        self.note.hide()
        column.addWidget(self.note)

        self.edit.textEdited.connect(self._update)
        self.edit.returnPressed.connect(self.save)
        self.save_button.clicked.connect(self.save)
        engine.changed.connect(self.refresh)
        self.refresh()

    def _wanted(self) -> str | None:
        """The name typed, as it would be kept; None when it cannot be a name."""
        try:
            return clean_name(self.edit.text())
        except ValueError:
            return None

    def _update(self) -> None:
        wanted = self._wanted()
        current = self.engine.snapshot.device_name
        self.save_button.setEnabled(wanted is not None and wanted != current)
        self.note.hide()

    def refresh(self) -> None:
        name = self.engine.snapshot.device_name or ""
        if self.edit.text() == self._shown or not self.edit.hasFocus():
            # Not being edited: the field follows the engine (a rename from the command line).
            if self.edit.text() != name:
                self.edit.setText(name)
            self._shown = name
        self.setEnabled(self.engine.snapshot.loaded)
        wanted = self._wanted()
        self.save_button.setEnabled(wanted is not None and wanted != name)

    def save(self) -> None:
        wanted = self._wanted()
        if wanted is None or not self.save_button.isEnabled():
            return
        if self.engine.rename_device(wanted):
            self._shown = wanted
            self.edit.setText(wanted)
            message = self.tr(
                "Renamed. Your account on the web shows the new name after the next check "
                "with the activation server."
            )
            self.note.setText(message)
            self.note.show()
            announce(self.note, message)
        self.refresh()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
