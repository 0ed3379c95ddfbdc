"""Help → Open the log file, when no program on this computer could open it: where the
file is, to copy and open some other way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from app.gui.widgets import DialogColumn, button, label, wide_enough


class LogFileDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logFileDialog")
        self.setWindowTitle(self.tr("Standby's log file"))
        self._column = DialogColumn(self, 480)
        layout = self._column.body
        layout.addWidget(label(self.tr("The log file could not be opened"), "heading"))
        text = label(
            self.tr(
                "No program on this computer opens text files for Standby. The log file is "
                "here; copy its path to open it another way, or to send it to support:"
            ),
            "muted",
            wrap=True,
        )
        layout.addWidget(text)
        self.path = QLineEdit(str(path))
        self.path.setObjectName("logFilePath")
        self.path.setReadOnly(True)
        self.path.setAccessibleName(self.tr("Where the log file is"))
        text.setBuddy(self.path)
        layout.addWidget(self.path)
        bottom = self._column.buttons
        bottom.addStretch(1)
        self.copy = button(self.tr("Copy"), "logFileCopyButton")
        wide_enough(self.copy, self.tr("Copy"), self.tr("Copied"))
        self.copy.clicked.connect(self._copy)
        bottom.addWidget(self.copy)
        close = button(self.tr("Close"), "logFileCloseButton", primary=True)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        bottom.addWidget(close)
        self._column.fit()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.path.text())
        self.copy.setText(self.tr("Copied"))
