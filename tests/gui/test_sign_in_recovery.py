"""The sign-in dialog when a stranger's wrong passwords hold the account's e-mail back: it
says so in plain words, has a one-time code e-mailed (by the real server, to a real SMTP
server), and signs in with the password and the code. Forgot password? opens the account
console's page in the browser. A server that sends no mail is told in Polish too."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QProgressBar, QPushButton

from app.engine.vocabulary import EMAIL_LIMITED
from app.gui.opener import Failed
from app.gui.sign_in_dialog import SignInDialog
from app.server.services import Services
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS, Driver
from tests.mail import (  # noqa: F401 (the fixtures)
    MailServer,
    code_in,
    hold_back,
    mail_server,
    mailing_server,
)
from tests.server.helpers import new_device, post_from
from tests.servers import RunningServer

PASSWORD = "correct horse battery"


def held_back_account(server: RunningServer, services: Services, first: int) -> str:
    """A new account whose e-mail a stranger has held back, guessing from 127.0.0.<first>…"""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(email, PASSWORD)
    hold_back(server, email, f"127.0.0.{first}")
    body = {"email": email, "password": "one more guess", "device_id": new_device()}
    status, answer, _wait = post_from(server, f"127.0.0.{first}", "/accounts/sign-in", body)
    assert status == 429, answer
    assert answer["error"]["reason"] == EMAIL_LIMITED
    return email


def sign_in_dialog(ui: Driver) -> SignInDialog:
    dialog = ui.window.open_sign_in()
    ui.qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def type_into(ui: Driver, dialog: QDialog, name: str, text: str) -> None:
    edit = ui.find(QLineEdit, name, dialog)
    edit.setFocus()
    edit.selectAll()
    ui.qtbot.keyClicks(edit, text)


def press_sign_in(ui: Driver, dialog: QDialog) -> object:
    """Sign in, from the keyboard (Enter: the default button); the engine's answer."""
    with ui.qtbot.waitSignal(ui.engine.signInFinished, timeout=WAIT_MS) as finished:
        ui.qtbot.keyClick(ui.find(QLineEdit, "signInPasswordEdit", dialog), Qt.Key.Key_Return)
    return finished.args[0]


def recovery_text(ui: Driver, dialog: QDialog) -> str:
    return ui.find(QLabel, "signInRecoveryText", dialog).text()


def refused_for_the_email(ui: Driver, email: str) -> SignInDialog:
    dialog = sign_in_dialog(ui)
    type_into(ui, dialog, "signInEmailEdit", email)
    type_into(ui, dialog, "signInPasswordEdit", PASSWORD)
    assert press_sign_in(ui, dialog) is not None
    ui.qtbot.waitUntil(lambda: ui.find(QPushButton, "sendCodeButton", dialog).isVisible())
    return dialog


def test_a_held_back_email_signs_in_with_a_code_from_the_mail(
    make_window: MakeWindow,
    mailing_server: tuple[RunningServer, Services],  # noqa: F811
    mail_server: MailServer,  # noqa: F811
) -> None:
    server, services = mailing_server
    email = held_back_account(server, services, first=70)
    ui = make_window(server_url=server.url)
    dialog = refused_for_the_email(ui, email)

    said = recovery_text(ui, dialog)
    assert said.startswith("Someone has been trying wrong passwords for this account")
    assert "e-mail you a one-time code" in said
    send = ui.find(QPushButton, "sendCodeButton", dialog)
    assert send.text() == "E-mail me a code"
    assert send.hasFocus()  # the next step is one key away
    assert not ui.find(QLabel, "signInError", dialog).isVisible()

    with ui.qtbot.waitSignal(ui.engine.signInCodeSent, timeout=WAIT_MS) as sent:
        ui.qtbot.keyClick(send, Qt.Key.Key_Space)
        assert ui.find(QProgressBar, "signInProgress", dialog).isVisible()
        assert not send.isEnabled()
    assert sent.args == [None]
    code_edit = ui.find(QLineEdit, "oneTimeCodeEdit", dialog)
    ui.qtbot.waitUntil(code_edit.isVisible, timeout=WAIT_MS)
    assert code_edit.hasFocus()
    assert code_edit.accessibleName() == "Code from the e-mail"
    assert email in recovery_text(ui, dialog)
    assert send.text() == "Send another code"

    code = code_in(mail_server, email)

    # A wrong code: said so, and another can be sent.
    type_into(ui, dialog, "oneTimeCodeEdit", f"{(int(code) + 1) % 1_000_000:06d}")
    refusal = press_sign_in(ui, dialog)
    assert getattr(refusal, "reason", None) == "code_refused"
    assert recovery_text(ui, dialog).startswith("That code is not right")
    assert send.isVisible()
    assert send.text() == "Send another code"
    assert dialog.isVisible()

    type_into(ui, dialog, "oneTimeCodeEdit", code)
    assert press_sign_in(ui, dialog) is None
    ui.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert ui.engine.snapshot.account_email == email


def test_forgot_password_opens_the_consoles_page_or_gives_its_address(
    make_window: MakeWindow, server: RunningServer
) -> None:
    ui = make_window()
    dialog = sign_in_dialog(ui)
    forgot = ui.find(QPushButton, "forgotPasswordButton", dialog)
    assert forgot.text() == "Forgot password?"
    assert forgot.focusPolicy() & Qt.FocusPolicy.TabFocus  # reached with Tab
    asked: list[tuple[str, Failed]] = []
    # The browser is not ours to start: record the address it would be asked to show.
    dialog.open_url = lambda url, _parent, failed: asked.append((url, failed))
    forgot.setFocus()
    ui.qtbot.keyClick(forgot, Qt.Key.Key_Space)
    assert [url for url, _failed in asked] == [f"{server.url}/account/forgot"]

    # No browser could be started: the address, to copy, over the sign-in dialog.
    url, failed = asked[0]
    failed("no method available")
    ui.qtbot.waitUntil(lambda: ui.dialog_is_open("accountWebDialog"), timeout=WAIT_MS)
    shown = ui.find(QLineEdit, "accountWebAddress", ui.visible_dialog("accountWebDialog"))
    assert shown.text() == url
    assert dialog.isVisible()


def test_in_polish_a_server_without_mail_says_to_wait_or_use_the_forgot_page(
    make_window: MakeWindow, server: RunningServer, services: Services
) -> None:
    email = held_back_account(server, services, first=90)
    ui = make_window(language="pl")
    dialog = refused_for_the_email(ui, email)
    assert recovery_text(ui, dialog).startswith("Ktoś próbował")
    send = ui.find(QPushButton, "sendCodeButton", dialog)
    assert send.text() == "Wyślij mi kod e-mailem"
    with ui.qtbot.waitSignal(ui.engine.signInCodeSent, timeout=WAIT_MS) as sent:
        ui.click("sendCodeButton", dialog)
    assert getattr(sent.args[0], "reason", None) == "recovery_not_offered"
    said = recovery_text(ui, dialog)
    assert "nie wysyła e-maili" in said
    assert "minut" in said  # the wait the sign-in's refusal gave
    assert not send.isVisible()
    assert not ui.find(QLineEdit, "oneTimeCodeEdit", dialog).isVisible()
    forgot = ui.find(QPushButton, "forgotPasswordButton", dialog)
    assert forgot.text() == "Nie pamiętasz hasła?"
    assert forgot.hasFocus()
