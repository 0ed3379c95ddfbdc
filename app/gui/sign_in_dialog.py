"""Connect this device to an account: e-mail and password, checked by the server."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from app.domain.errors import ErrorCode
from app.engine.engine import Engine
from app.engine.vocabulary import Refusal
from app.gui import texts
from app.gui.widgets import DialogColumn, announce, button, label, set_tone, show_text


class SignInDialog(QDialog):
    def __init__(self, engine: Engine, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.engine = engine
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in"))
        self._busy = False

        column = DialogColumn(self, 440)
        layout = column.body
        layout.addWidget(label(self.tr("Sign in to your account"), "heading"))
        layout.addWidget(
            label(
                reason
                or self.tr(
                    "Connecting this device to your account lets it use activation codes that "
                    "need an account."
                ),
                "muted",
                wrap=True,
            )
        )
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.email = QLineEdit()
        self.email.setObjectName("signInEmailEdit")
        self.email.setPlaceholderText(self.tr("name@example.com"))
        self.email.setAccessibleName(self.tr("E-mail address"))
        self.password = QLineEdit()
        self.password.setObjectName("signInPasswordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        email_title = label(self.tr("&E-mail address"))
        email_title.setBuddy(self.email)
        password_title = label(self.tr("&Password"))
        password_title.setBuddy(self.password)
        form.addRow(email_title, self.email)
        form.addRow(password_title, self.password)
        layout.addLayout(form)

        self.error = label("", None, "signInError", wrap=True)
        set_tone(self.error, "bad")
        self.error.hide()
        layout.addWidget(self.error)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)

        buttons = column.buttons
        buttons.addStretch(1)
        self.cancel_button = button(self.tr("Cancel"), "signInCancelButton")
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.submit_button = button(self.tr("Sign in"), "signInSubmitButton", primary=True)
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.submit_button)

        for edit in (self.email, self.password):
            edit.textChanged.connect(self._update)
        engine.signInFinished.connect(self._finished)
        self._update()

    def done(self, result: int) -> None:
        self.password.clear()  # never kept once the window is gone
        super().done(result)

    def _update(self) -> None:
        ready = "@" in self.email.text() and bool(self.password.text())
        self.submit_button.setEnabled(ready and not self._busy)

    def submit(self) -> None:
        if self._busy or not self.submit_button.isEnabled():
            return
        self._busy = True
        show_text(self.error, None)
        self.progress.show()
        self._update()
        self.engine.sign_in(self.email.text().strip(), self.password.text())

    def _finished(self, refusal: Refusal | None) -> None:
        if not self._busy:
            return
        self._busy = False
        self.progress.hide()
        self._update()
        if refusal is None:
            self.password.clear()
            self.accept()
            return
        code = refusal.key
        if code == ErrorCode.VALIDATION_ERROR.value:
            message = self.tr("Enter a valid e-mail address.")
        else:
            message = texts.error_message(code, address=self.engine.snapshot.server_address)
        show_text(self.error, message)
        announce(self.error, message, assertive=True)
        self.password.selectAll()
        self.password.setFocus()
