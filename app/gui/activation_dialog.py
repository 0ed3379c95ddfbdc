"""Enter activation code: forgiving input, instant format checks, Save with progress."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import codes
from app.domain.errors import ErrorCode
from app.domain.license import LicenseState, LicenseType
from app.engine.engine import Engine
from app.engine.vocabulary import Failure, Ours, SaveOutcome, SaveResult
from app.gui import texts
from app.gui.theme import set_property
from app.gui.widgets import DialogColumn, announce, button, label, set_tone, show_text

translate = QCoreApplication.translate
#: Refusals that say nothing about the code typed (an account or a wait is missing).
_NOT_THE_CODE = {ErrorCode.ACCOUNT_REQUIRED, ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL_ERROR}


def about_the_code(failure: Failure) -> bool:
    """True when the code typed is what was refused; a connection, the computer or a missing
    account is not the code's fault."""
    return failure.error is not None and failure.error not in _NOT_THE_CODE


def input_problem(text: str) -> tuple[str, str | None, bool]:
    """(the text shown formatted, what is wrong with it or None, whether it is complete)."""
    symbols = codes.strip_separators(text)
    formatted = codes.group(symbols)
    bad = "".join(sorted({s for s in symbols if s not in codes.ALPHABET}))
    if bad:
        if bad == "U":
            message = translate(
                "ActivationCodeDialog",
                "Activation codes never contain the letter U. Check the code again.",
            )
        else:
            message = translate(
                "ActivationCodeDialog",
                "“%1” cannot be part of an activation code: codes contain only letters and digits.",
            ).replace("%1", bad)
        return formatted, message, False
    if len(symbols) > codes.CODE_LENGTH:
        message = translate(
            "ActivationCodeDialog", "An activation code has 20 letters and digits; you entered %1."
        )
        return formatted, message.replace("%1", str(len(symbols))), False
    if len(symbols) < codes.CODE_LENGTH:
        return formatted, None, False
    if not codes.is_valid(symbols):
        return formatted, texts.failure_words(Failure(ErrorCode.INVALID_FORMAT)), False
    return formatted, None, True


class ActivationCodeDialog(QDialog):
    """Opened by Enter activation code; ends activated, saved as the reserve, or refused."""

    signInRequested = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.setObjectName("activationCodeDialog")
        self.setWindowTitle(self.tr("Enter activation code"))
        self._saving = False
        self._finished = False

        self._column = DialogColumn(self, 520)
        layout = self._column.body
        layout.addWidget(label(self.tr("Enter activation code"), "heading"))
        self.intro = label(self._intro_text(), "muted", "activationCodeIntro", wrap=True)
        layout.addWidget(self.intro)

        layout.addWidget(self._code_edit())
        self._feedback(layout)
        self._buttons()

        engine.saveFinished.connect(self._save_finished)
        engine.changed.connect(self._progress_changed)
        self._update_hint(0)
        self.edit.setFocus()

    def _code_edit(self) -> QLineEdit:
        self.edit = QLineEdit()
        self.edit.setObjectName("activationCodeEdit")
        self.edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX")
        self.edit.setMaxLength(80)
        self.edit.setClearButtonEnabled(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 12.0))
        mono.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.0)
        self.edit.setFont(mono)
        self.edit.setAccessibleName(self.tr("Activation code"))
        self._edit_description = self.tr("20 letters and digits, as in your purchase confirmation")
        self.edit.setAccessibleDescription(self._edit_description)
        for clear in self.edit.findChildren(QToolButton):  # the clear button inside it
            clear.setAccessibleName(self.tr("Clear the code"))
        self.edit.textEdited.connect(self._edited)
        return self.edit

    def _feedback(self, layout: QVBoxLayout) -> None:
        """The hint, the error, the progress and the result under the code."""
        self.hint = label("", "muted", "activationCodeHint")
        layout.addWidget(self.hint)
        self.error = label("", None, "activationCodeError", wrap=True)
        set_tone(self.error, "bad")
        self.error.hide()
        layout.addWidget(self.error)

        self.progress = QProgressBar()
        self.progress.setObjectName("activationProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Checking the code"))
        self.progress.hide()
        self.progress_text = label(
            self.tr("Checking the code with the activation server…"),
            "muted",
            "activationProgressText",
            wrap=True,
        )
        self.progress_text.hide()
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress)

        self.result_label = label("", None, "activationCodeResult", wrap=True)
        self.result_label.hide()
        layout.addWidget(self.result_label)
        self.devices_note = label("", "muted", "activationCodeDevicesNote", wrap=True)
        self.devices_note.hide()
        layout.addWidget(self.devices_note)

    def _buttons(self) -> None:
        buttons = self._column.buttons
        self.sign_in_button = button(self.tr("Sign in…"), "activationSignInButton")
        self.sign_in_button.hide()
        self.sign_in_button.clicked.connect(self.signInRequested)
        buttons.addWidget(self.sign_in_button)
        buttons.addStretch(1)
        self.cancel_button = button(self.tr("Cancel"), "activationCancelButton")
        self.cancel_button.clicked.connect(self._cancel)
        buttons.addWidget(self.cancel_button)
        self.save_button = button(
            self.tr("Save activation code"), "saveActivationCodeButton", primary=True
        )
        self.save_button.setEnabled(False)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)

    def _intro_text(self) -> str:
        snapshot = self.engine.snapshot
        lic = snapshot.license
        if (
            lic is not None
            and lic.type is LicenseType.COMMERCIAL
            and snapshot.state in (LicenseState.ACTIVE, LicenseState.EXPIRING_SOON)
        ):
            if snapshot.reserve is not None:
                return self.tr(
                    "A reserve activation code (%1) is already saved. A new code is checked "
                    "first: only if it can take over when your license ends does it replace the "
                    "saved one. Otherwise the saved code stays, and you are told why."
                ).replace("%1", texts.masked(snapshot.reserve.last5))
            return self.tr(
                "Your license is active. A new code is saved as your reserve activation code "
                "and activates by itself when the current license ends, so your protection "
                "never stops."
            )
        return self.tr(
            "Type or paste the code from your purchase confirmation to activate Standby."
        )

    def _edited(self, text: str) -> None:
        position = self.edit.cursorPosition()
        before = len(codes.strip_separators(text[:position]))
        formatted, problem, complete = input_problem(text)
        if formatted != text:
            self.edit.setText(formatted)
            self.edit.setCursorPosition(_position_after(formatted, before))
        self._show_problem(problem)
        self.result_label.hide()
        self.devices_note.hide()
        self.sign_in_button.hide()
        self.save_button.setEnabled(complete and not self._saving)
        self._update_hint(len(codes.strip_separators(formatted)))
        self._fit()

    def _update_hint(self, count: int) -> None:
        self.hint.setText(
            self.tr("%1 of 20 characters").replace("%1", str(min(count, 99)))
            if count < codes.CODE_LENGTH
            else ""
        )
        self.hint.setVisible(count < codes.CODE_LENGTH)

    def _show_problem(self, problem: str | None, *, mark_input: bool = True) -> None:
        show_text(self.error, problem)
        set_tone(self.edit, "bad" if problem and mark_input else None)
        # What is wrong with the code is what a screen reader says about the field.
        self.edit.setAccessibleDescription(problem or self._edit_description)

    def save(self) -> None:
        if self._saving or not self.save_button.isEnabled():
            return
        self._saving = True
        self._finished = False
        self._show_problem(None)
        self.result_label.hide()
        self.devices_note.hide()
        self.sign_in_button.hide()
        set_property(self.save_button, "primary", True)
        self.save_button.setDefault(True)
        self.edit.setReadOnly(True)
        self.save_button.setEnabled(False)
        self.progress.show()
        self.progress_text.show()
        self.engine.save_code(self.edit.text())

    def _progress_changed(self) -> None:
        """While saving: say so when the keyring keeps the save waiting (its prompt may be
        open behind this window)."""
        if not self._saving or self.progress_text.text() == self.tr("Cancelling…"):
            return
        if self.engine.snapshot.waiting_for_keyring:
            text = self.tr(
                "Waiting for your password keyring: it may be asking you to unlock it, or to "
                "create a keyring, in a window of its own."
            )
        else:
            text = self.tr("Checking the code with the activation server…")
        if text != self.progress_text.text():
            self.progress_text.setText(text)
            announce(self.progress_text, text)

    def _cancel(self) -> None:
        if self._saving:
            self.progress_text.setText(self.tr("Cancelling…"))
            self.engine.cancel_save()
        else:
            self.reject()

    def _save_finished(self, outcome: SaveOutcome) -> None:
        if not self._saving:
            return
        self._saving = False
        self.progress.hide()
        self.progress_text.hide()
        self.progress_text.setText(self.tr("Checking the code with the activation server…"))
        self.edit.setReadOnly(False)
        if outcome.result is SaveResult.REFUSED:
            self._refused(outcome.failure or Failure(ours=Ours.LOCAL_PROBLEM))
        elif outcome.result is SaveResult.CANCELLED:
            self._cancelled()
        else:
            self._saved(outcome)

    def _refused(self, failure: Failure) -> None:
        message = texts.failure_words(failure, self.engine.snapshot.server_address)
        self._show_problem(message, mark_input=about_the_code(failure))
        announce(self.error, message, assertive=True)
        needs_account = failure.error is ErrorCode.ACCOUNT_REQUIRED
        self.sign_in_button.setVisible(needs_account)
        # Signing in is the way on; saving the same code again is not.
        set_property(self.sign_in_button, "primary", needs_account)
        set_property(self.save_button, "primary", not needs_account)
        self.sign_in_button.setDefault(needs_account)
        self._fit()
        self.save_button.setEnabled(True)
        self.edit.setFocus()

    def _cancelled(self) -> None:
        cancelled = self.tr("Cancelled. The code was not added to this device.")
        show_text(self.result_label, cancelled)
        set_tone(self.result_label, None)
        announce(self.result_label, cancelled)
        self.save_button.setEnabled(True)

    def _saved(self, outcome: SaveOutcome) -> None:
        self._finished = True
        self.edit.setEnabled(False)
        self.save_button.hide()
        self.cancel_button.setText(self.tr("Close"))
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        set_tone(self.result_label, "ok")
        text, note = saved_words(outcome)
        show_text(self.result_label, text)
        if note is not None:
            show_text(self.devices_note, note)
        announce(self.result_label, " ".join(said for said in (text, note) if said))
        self._fit()

    def _fit(self) -> None:
        if self.isVisible():
            self._column.fit()

    def retry_after_sign_in(self) -> None:
        """Called when the user signed in from this dialog: save the same code again."""
        if not self._finished and codes.is_valid(self.edit.text()):
            self.save_button.setEnabled(True)
            self.save()

    def done(self, result: int) -> None:
        if self._saving:
            self.engine.cancel_save()
            self._saving = False
        self.edit.clear()  # the code does not stay in memory with a closed window
        super().done(result)


def saved_words(outcome: SaveOutcome) -> tuple[str, str | None]:
    """What a save that went through says, and a note for a code that covers more devices
    than this one (or None)."""
    if outcome.result is SaveResult.ACTIVATED:
        text = translate(
            "ActivationCodeDialog", "Standby is activated. Your license is valid until %1."
        )
    elif outcome.replaced_last5:
        text = translate(
            "ActivationCodeDialog",
            "Saved as your reserve activation code in place of %2. It activates by itself "
            "on %1, when your current license ends.",
        ).replace("%2", texts.masked(outcome.replaced_last5))
    else:
        text = translate(
            "ActivationCodeDialog",
            "Saved as your reserve activation code. It activates by itself on %1, when "
            "your current license ends.",
        )
    activated = outcome.result is SaveResult.ACTIVATED
    moment = outcome.expires_at if activated else outcome.takes_over_at
    text = text.replace("%1", texts.date_time(moment) if moment else "—")
    devices = outcome.max_devices
    if devices <= 1:
        return text, None
    if activated:
        note = translate(
            "ActivationCodeDialog",
            "This code covers %n device(s). Enter it on each device you want to protect.",
            "",
            devices,
        )
    else:
        note = translate(
            "ActivationCodeDialog",
            "This code covers %n device(s). To renew each of them automatically, enter "
            "it as the reserve code on every one of them.",
            "",
            devices,
        )
    return text, note


def _position_after(formatted: str, symbols: int) -> int:
    """The cursor position in ``formatted`` just after its first ``symbols`` symbols."""
    if symbols <= 0:
        return 0
    seen = 0
    for index, char in enumerate(formatted):
        if char != "-":
            seen += 1
            if seen == symbols:
                return index + 1
    return len(formatted)
