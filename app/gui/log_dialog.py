"""What Help could not open (the log file, the account's web page) because no program on
this computer would: where it is, to copy and open some other way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from app.gui.widgets import DialogColumn, button, label, wide_enough

translate = QCoreApplication.translate


class CopyDialog(QDialog):
    """``value`` (a path, an address) shown read-only, with Copy and Close. The object names
    start with ``name``: ``<name>Dialog``, ``<name><field>``, ``<name>CopyButton``,
    ``<name>CloseButton``."""

    def __init__(
        self,
        value: str,
        parent: QWidget | None,
        *,
        name: str,
        field: str,
        title: str,
        heading: str,
        text: str,
        value_name: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Dialog")
        self.setWindowTitle(title)
        self._column = DialogColumn(self, 480)
        layout = self._column.body
        layout.addWidget(label(heading, "heading"))
        words = label(text, "muted", wrap=True)
        layout.addWidget(words)
        self.value = QLineEdit(value)
        self.value.setObjectName(f"{name}{field}")
        self.value.setReadOnly(True)
        self.value.setAccessibleName(value_name)
        words.setBuddy(self.value)
        layout.addWidget(self.value)
        bottom = self._column.buttons
        bottom.addStretch(1)
        copy, copied = translate("CopyDialog", "Copy"), translate("CopyDialog", "Copied")
        self.copy = button(copy, f"{name}CopyButton")
        wide_enough(self.copy, copy, copied)
        self.copy.clicked.connect(lambda: self._copy(copied))
        bottom.addWidget(self.copy)
        close = button(translate("CopyDialog", "Close"), f"{name}CloseButton", primary=True)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        bottom.addWidget(close)
        self._column.fit()

    def _copy(self, copied: str) -> None:
        QGuiApplication.clipboard().setText(self.value.text())
        self.copy.setText(copied)


class LogFileDialog(CopyDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(
            str(path),
            parent,
            name="logFile",
            field="Path",
            title=translate("LogFileDialog", "Standby's log file"),
            heading=translate("LogFileDialog", "The log file could not be opened"),
            text=translate(
                "LogFileDialog",
                "No program on this computer opens text files for Standby. The log file is "
                "here; copy its path to open it another way, or to send it to support:",
            ),
            value_name=translate("LogFileDialog", "Where the log file is"),
        )


class AccountPageDialog(CopyDialog):
    """Help → Your account on the web, when no browser could be started: its address."""

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(
            url,
            parent,
            name="accountWeb",
            field="Address",
            title=translate("AccountPageDialog", "Your account on the web"),
            heading=translate("AccountPageDialog", "The web page could not be opened"),
            text=translate(
                "AccountPageDialog",
                "No web browser on this computer could be started for Standby. Copy this "
                "address and open it in your web browser:",
            ),
            value_name=translate("AccountPageDialog", "The address of your account's web page"),
        )
