"""Help → Demo activation codes: fresh codes from the embedded server, to try it all out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.engine.jobs import Jobs, Outcome
from app.gui.widgets import DialogColumn, button, label, set_tone, show_text, wide_enough

if TYPE_CHECKING:
    from app.wiring import LocalServer


class DemoCodesDialog(QDialog):
    def __init__(self, server: LocalServer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoCodesDialog")
        self.setWindowTitle(self.tr("Demo activation codes"))
        self.codes: dict[str, Any] = {}

        self._column = DialogColumn(self, 620)
        layout = self._column.body
        layout.addWidget(label(self.tr("Demo activation codes"), "heading"))
        # "3‑minute" is written with a non-breaking hyphen (U+2011): never split across lines.
        layout.addWidget(
            label(
                self.tr(
                    "These codes were just issued by the activation server built into this copy "
                    "of Standby. To watch a reserve code take over: activate the 3‑minute code, "
                    "then enter the one-year code. It is saved as your reserve code and "
                    "activates by itself when the 3 minutes are over."
                ),
                "muted",
                wrap=True,
            )
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.error = label("", None, "demoCodesError", wrap=True)
        set_tone(self.error, "bad")
        self.error.hide()
        layout.addWidget(self.error)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(10)
        layout.addLayout(self.grid)
        self.account = label("", "muted", "demoAccountLabel", wrap=True)
        self.account.hide()
        layout.addWidget(self.account)

        bottom = self._column.buttons
        bottom.addStretch(1)
        close = button(self.tr("Close"), "demoCloseButton")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        bottom.addWidget(close)

        self._jobs = Jobs(self)
        self._jobs.submit(server.demo_codes, self._issued)

    def _issued(self, outcome: Outcome[dict[str, Any]]) -> None:
        self.progress.hide()
        try:
            self.codes = outcome.get()
        except Exception as exc:
            show_text(
                self.error,
                self.tr("The demo codes could not be issued: %1").replace("%1", str(exc)),
            )
            return
        rows = (
            ("short", self.tr("Expires 3 minutes after activation")),
            ("year", self.tr("One year")),
            ("three_devices", self.tr("One year, for 3 devices")),
            ("account", self.tr("Two years, needs an account")),
        )
        for row, (key, title) in enumerate(rows):
            title_label = label(title, "field")
            self.grid.addWidget(title_label, row, 0)
            code = label(self.codes[key], None, f"demoCode_{key}")
            title_label.setBuddy(code)  # read as the title, then the code itself
            self.grid.addWidget(code, row, 1)
            copy = button(self.tr("Copy"), f"demoCopy_{key}")
            copy.setAccessibleName(self.tr("Copy: %1").replace("%1", title))
            wide_enough(copy, self.tr("Copy"), self.tr("Copied"))
            copy.clicked.connect(
                lambda _=False, text=self.codes[key], source=copy: self._copy(text, source)
            )
            self.grid.addWidget(copy, row, 2)
        self.grid.setColumnStretch(1, 1)
        show_text(
            self.account,
            self.tr("Account for the last code: %1, password %2")
            .replace("%1", self.codes["email"])
            .replace("%2", self.codes["password"]),
        )
        self._column.fit()

    def _copy(self, text: str, source: QPushButton) -> None:
        QGuiApplication.clipboard().setText(text)
        for other in self.findChildren(QPushButton):
            if other.objectName().startswith("demoCopy_"):
                other.setText(self.tr("Copy"))
        source.setText(self.tr("Copied"))

    def done(self, result: int) -> None:
        self._jobs.close(0)
        super().done(result)
