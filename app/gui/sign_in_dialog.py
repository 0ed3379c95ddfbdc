"""Connect this device to an account: e-mail and password, checked by the server.

When wrong passwords tried by others hold the account's e-mail back (``rate_limited``,
reason ``email_limited``), a new device cannot sign in with the password alone: the dialog
says so, has a one-time code e-mailed to the owner, and signs in with the password and the
code. A forgotten password is set anew on the account console's page, in the browser.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ErrorCode
from app.engine.engine import Engine
from app.engine.vocabulary import (
    ADDRESS_LIMITED,
    CODE_REFUSED,
    EMAIL_LIMITED,
    MAIL_LIMITED,
    MAIL_NOT_OFFERED,
    Failure,
)
from app.gui import texts, web_pages
from app.gui.opener import open_url
from app.gui.widgets import DialogColumn, announce, button, card, label, set_tone, show_text

#: A link that is a button: reached with Tab, pressed with Space; drawn as a link.
LINK_STYLE = """
QPushButton { border: 2px solid transparent; border-radius: 4px; background: transparent;
              color: palette(link); text-decoration: underline; padding: 2px 4px; }
QPushButton:hover { background: transparent; }
QPushButton:focus { border: 2px solid palette(highlight); padding: 2px 4px; }
"""


def link_button(text: str, name: str) -> QPushButton:
    widget = button(text, name)
    widget.setStyleSheet(LINK_STYLE)
    widget.setAutoDefault(False)  # Enter in a field signs in; it never opens the browser
    return widget


def minutes(seconds: float | None) -> int | None:
    """Whole minutes to wait (at least one), or None when the server gave no wait."""
    return None if seconds is None else max(1, math.ceil(seconds / 60))


class SignInDialog(QDialog):
    def __init__(self, engine: Engine, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.engine = engine
        # How the browser is asked to show a page (a seam for tests, as the window's).
        self.open_url: web_pages.OpenUrl = open_url
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in"))
        self._busy = False
        self._sending = False  # the running request asks for a code (not a sign-in)
        self._wait: float | None = None  # the Retry-After of the last limited sign-in

        self._column = DialogColumn(self, 440)
        layout = self._column.body
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
        self._build_form()
        layout.addLayout(self.form)
        self.error = label("", None, "signInError", wrap=True)
        set_tone(self.error, "bad")
        self.error.hide()
        layout.addWidget(self.error)
        self._build_recovery()
        layout.addWidget(self.recovery)
        self.progress = QProgressBar()
        self.progress.setObjectName("signInProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Waiting for the activation server"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self._build_buttons()

        self.email.textChanged.connect(self._email_changed)
        for edit in (self.password, self.code):
            edit.textChanged.connect(self._update)
        engine.signInFinished.connect(self._finished)
        engine.signInCodeSent.connect(self._code_sent)
        for first, second in (
            (self.email, self.password),
            (self.password, self.forgot_button),
            (self.forgot_button, self.code),
            (self.code, self.send_code_button),
            (self.send_code_button, self.cancel_button),
            (self.cancel_button, self.submit_button),
        ):
            QWidget.setTabOrder(first, second)
        self._update()

    def _build_form(self) -> None:
        self.form = form = QFormLayout()
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
        self.forgot_button = link_button(self.tr("Forgot password?"), "forgotPasswordButton")
        self.forgot_button.setAccessibleDescription(
            self.tr("Opens a web page that e-mails you a link to set a new password")
        )
        self.forgot_button.clicked.connect(self.open_forgot_page)
        forgot_row = QHBoxLayout()
        forgot_row.setContentsMargins(0, 0, 0, 0)
        forgot_row.addWidget(self.forgot_button)
        forgot_row.addStretch(1)
        form.addRow(email_title, self.email)
        form.addRow(password_title, self.password)
        form.addRow("", forgot_row)

    def _build_recovery(self) -> None:
        """The note shown while signing in from a new device is paused, and its button."""
        self.recovery, box = card("signInRecoveryBox")
        box.setContentsMargins(16, 14, 16, 14)
        box.setSpacing(10)
        self.recovery_text = label("", None, "signInRecoveryText", wrap=True)
        box.addWidget(self.recovery_text)
        # The code's field, once a code was sent: in the note, so the form above stays put.
        self.code_row = QWidget()
        self.code_row.setObjectName("oneTimeCodeRow")
        rows = QVBoxLayout(self.code_row)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(6)
        self.code = QLineEdit()
        self.code.setObjectName("oneTimeCodeEdit")
        self.code.setAccessibleName(self.tr("Code from the e-mail"))
        self.code.setAccessibleDescription(self.tr("The 6 digits of the one-time code"))
        self.code.setPlaceholderText("123456")
        self.code.setMaxLength(12)
        self.code.setMaximumWidth(200)
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        code_title = label(self.tr("C&ode from the e-mail"))
        code_title.setBuddy(self.code)
        rows.addWidget(code_title)
        rows.addWidget(self.code)
        self.code_row.hide()
        box.addWidget(self.code_row)
        row = QHBoxLayout()
        self.send_code_button = button(self.tr("E-mail me a code"), "sendCodeButton")
        self.send_code_button.clicked.connect(self.send_code)
        row.addWidget(self.send_code_button)
        row.addStretch(1)
        box.addLayout(row)
        self.recovery.hide()

    def _build_buttons(self) -> None:
        buttons = self._column.buttons
        buttons.addStretch(1)
        self.cancel_button = button(self.tr("Cancel"), "signInCancelButton")
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.submit_button = button(self.tr("Sign in"), "signInSubmitButton", primary=True)
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.submit_button)

    def done(self, result: int) -> None:
        self.password.clear()  # never kept once the window is gone
        self.code.clear()
        super().done(result)

    @property
    def code_shown(self) -> bool:
        return not self.code_row.isHidden()

    def _typed_code(self) -> str:
        return "".join(self.code.text().split())

    def _update(self) -> None:
        typed = self._typed_code()
        code_ok = not typed or (len(typed) == 6 and typed.isdigit())
        ready = "@" in self.email.text() and bool(self.password.text()) and code_ok
        self.submit_button.setEnabled(ready and not self._busy)
        self.send_code_button.setEnabled("@" in self.email.text() and not self._busy)

    def _email_changed(self) -> None:
        """A code, and the pause, are the other address's: start over for this one."""
        if not self._busy and (self.recovery.isVisible() or self.code_shown):
            self._reset_recovery()
        self._update()

    def _reset_recovery(self) -> None:
        self.recovery.hide()
        self.code.clear()
        self.code_row.hide()
        self.send_code_button.setText(self.tr("E-mail me a code"))
        self._column.fit()

    def _start(self, sending: bool) -> None:
        self._busy, self._sending = True, sending
        show_text(self.error, None)
        self.progress.show()
        self._update()

    def _stop(self) -> None:
        self._busy = False
        self.progress.hide()
        self._update()

    def submit(self) -> None:
        if self._busy or not self.submit_button.isEnabled():
            return
        self._start(sending=False)
        code = self._typed_code() if self.code_shown else ""
        self.engine.sign_in(self.email.text().strip(), self.password.text(), code or None)

    def send_code(self) -> None:
        """E-mail me a code: the server mails a one-time code to the account's owner."""
        if self._busy or not self.send_code_button.isEnabled():
            return
        self._start(sending=True)
        language = "pl" if QLocale().language() == QLocale.Language.Polish else "en"
        self.engine.send_sign_in_code(self.email.text().strip(), language)

    def open_forgot_page(self) -> None:
        """Forgot password?: the console's page that mails a link to set a new password."""
        url = web_pages.page_url(self.engine.api.base_url, web_pages.FORGOT_PAGE)
        web_pages.open_page(url, self, self.open_url)

    # --- answers --------------------------------------------------------------------------------

    def _finished(self, failure: Failure | None) -> None:
        if not self._busy or self._sending:
            return
        self._stop()
        if failure is None:
            self.password.clear()
            self.code.clear()
            self.accept()
            return
        if failure.reason == EMAIL_LIMITED:
            self._wait = failure.retry_after
            self._tell_limited()
            return
        if failure.reason == CODE_REFUSED:
            self._tell_recovery(
                self.tr(
                    "That code is not right, or it has expired. Check the e-mail and type the "
                    "code again, or have another one sent."
                ),
                self.tr("Send another code"),
                focus=self.code,
            )
            self.code.selectAll()
            return
        self._tell_error(self._failure_words(failure))

    def _failure_words(self, failure: Failure) -> str:
        wait = minutes(failure.retry_after)
        if failure.error is ErrorCode.VALIDATION_ERROR:
            return self.tr("Enter a valid e-mail address.")
        if failure.reason == ADDRESS_LIMITED and wait is not None:
            return self.tr(
                "Too many sign-ins failed from this network in a short time. Try again in "
                "about %n minute(s).",
                "",
                wait,
            )
        return texts.failure_words(failure, self.engine.snapshot.server_address)

    def _tell_error(self, message: str) -> None:
        show_text(self.error, message)
        announce(self.error, message, assertive=True)
        self.password.selectAll()
        self.password.setFocus()
        self._column.fit()

    def _tell_limited(self) -> None:
        self._tell_recovery(
            self.tr(
                "Someone has been trying wrong passwords for this account, so signing in from "
                "a new device is paused. We can e-mail you a one-time code to sign in now."
            ),
            self.tr("E-mail me a code"),
            focus=self.send_code_button,
        )

    def _tell_recovery(
        self, message: str, action: str | None, *, focus: QWidget | None = None
    ) -> None:
        """Show ``message`` in the recovery note, with the button saying ``action`` (None:
        no button), and have a screen reader say it."""
        self.recovery_text.setText(message)
        self.send_code_button.setText(action or "")
        self.send_code_button.setVisible(action is not None)
        self.recovery.show()
        self._column.fit()
        announce(self.recovery_text, message, assertive=True)
        if focus is not None and focus.isVisible():
            focus.setFocus()

    def _code_sent(self, failure: Failure | None) -> None:
        if not self._busy or not self._sending:
            return
        self._stop()
        if failure is None:
            self.code_row.show()
            self.code.clear()
            self._tell_recovery(
                self.tr(
                    "We e-mailed a one-time code to %1. It is valid for 10 minutes: type it in "
                    "Code from the e-mail, then choose Sign in."
                ).replace("%1", self.email.text().strip()),
                self.tr("Send another code"),
                focus=self.code,
            )
            return
        if failure.reason == MAIL_NOT_OFFERED:
            self._tell_recovery(self._no_mail_message(), None, focus=self.forgot_button)
            return
        wait = minutes(failure.retry_after)
        if failure.reason == MAIL_LIMITED and wait is not None:
            message = self.tr(
                "A code was e-mailed to this address a short while ago: use that one, or ask "
                "for another in about %n minute(s).",
                "",
                wait,
            )
            self._tell_recovery(message, self.send_code_button.text())
            return
        message = texts.failure_words(failure, self.engine.snapshot.server_address)
        self._tell_recovery(message, self.send_code_button.text())

    def _no_mail_message(self) -> str:
        wait = minutes(self._wait)
        if wait is None:
            return self.tr(
                "This activation server does not send e-mail, so no code can be sent. Wait a "
                "while, then sign in again with your password. If you have forgotten it, choose "
                "Forgot password?: the page says how to get a new one."
            )
        return self.tr(
            "This activation server does not send e-mail, so no code can be sent. Wait about "
            "%n minute(s), then sign in again with your password. If you have forgotten it, "
            "choose Forgot password?: the page says how to get a new one.",
            "",
            wait,
        )
