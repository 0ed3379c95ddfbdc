"""Signing in while others' wrong passwords hold the account's e-mail back: the engine's
refusal says why (``email_limited``, not ``address_limited``), ``standby account send-code``
has the real server mail a one-time code to a real SMTP server, and ``standby account
sign-in --code`` signs in with it. A server that sends no e-mail, a code asked for too
often and a wrong code are each told in one line, with the license commands' exit statuses."""

from __future__ import annotations

import uuid
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.engine.vocabulary import CODE_REFUSED, EMAIL_LIMITED, Failure
from app.server.services import Services
from tests.engine.devices import WAIT_MS, EngineDevice, keyring_in_memory
from tests.engine.processes import account_sign_in, standby
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


def held_back_account(server: RunningServer, services: Services, first: int = 20) -> str:
    """A new account whose e-mail a stranger has held back: wrong passwords from addresses
    127.0.0.<first>… (machines the account does not know), as many as the limit allows."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(email, PASSWORD)
    hold_back(server, email, f"127.0.0.{first}")
    body = {"email": email, "password": "one more guess", "device_id": new_device()}
    status, answer, _wait = post_from(server, f"127.0.0.{first}", "/accounts/sign-in", body)
    assert status == 429, answer
    assert answer["error"]["reason"] == EMAIL_LIMITED
    return email


def test_the_engine_tells_a_held_back_email_and_signs_in_with_the_mailed_code(
    qtbot: QtBot,
    tmp_path: Path,
    mailing_server: tuple[RunningServer, Services],  # noqa: F811
    mail_server: MailServer,  # noqa: F811
) -> None:
    server, services = mailing_server
    email = held_back_account(server, services)
    with keyring_in_memory():
        device = EngineDevice(qtbot, tmp_path / "device", server.url)
        engine = device.engine
        try:
            with qtbot.waitSignal(engine.signInFinished, timeout=WAIT_MS) as refused:
                engine.sign_in(email, PASSWORD)
            refusal = refused.args[0]
            assert isinstance(refusal, Failure)
            assert refusal.key == "rate_limited"
            assert refusal.reason == EMAIL_LIMITED
            assert refusal.retry_after is not None
            assert refusal.retry_after >= 1

            with qtbot.waitSignal(engine.signInCodeSent, timeout=WAIT_MS) as sent:
                engine.send_sign_in_code(email, "pl")
            assert sent.args == [None]
            code = code_in(mail_server, email)

            wrong = f"{(int(code) + 1) % 1_000_000:06d}"
            with qtbot.waitSignal(engine.signInFinished, timeout=WAIT_MS) as refused:
                engine.sign_in(email, PASSWORD, wrong)
            refusal = refused.args[0]
            assert isinstance(refusal, Failure)
            assert (refusal.key, refusal.reason) == ("unauthorized", CODE_REFUSED)

            with qtbot.waitSignal(engine.signInFinished, timeout=WAIT_MS) as signed:
                engine.sign_in(email, PASSWORD, f"{code[:3]} {code[3:]}")  # as typed
            assert signed.args == [None]
            assert engine.snapshot.account_email == email
        finally:
            engine.shutdown()


def _send_code(device: Path, server: RunningServer, email: str) -> tuple[int, str, str]:
    done = standby("account", "send-code", email, "--server", server.url, "--data-dir", str(device))
    return done.returncode, done.stdout, done.stderr


def test_the_command_line_sends_a_code_and_signs_in_with_it(
    tmp_path: Path,
    mailing_server: tuple[RunningServer, Services],  # noqa: F811
    mail_server: MailServer,  # noqa: F811
) -> None:
    server, services = mailing_server
    email = held_back_account(server, services, first=40)
    device = tmp_path / "device"

    limited = account_sign_in(device, server.url, email, PASSWORD)
    assert limited.returncode == 1, limited.stderr
    assert limited.stderr.startswith("error: rate_limited: "), limited.stderr
    assert f"standby account send-code {email}" in limited.stderr
    assert "--code" in limited.stderr
    assert len(limited.stderr.strip().splitlines()) == 1

    status, out, err = _send_code(device, server, email)
    assert status == 0, err
    assert "10 minutes" in out
    code = code_in(mail_server, email)
    # Asked again at once: refused for a while, in one line (the first code still works).
    status, _out, err = _send_code(device, server, email)
    assert status == 1
    assert err.startswith("error: rate_limited: "), err
    assert "mail_limited" in err

    not_a_code = account_sign_in(device, server.url, email, PASSWORD, "--code", "12ab56")
    assert not_a_code.returncode == 2
    assert "--code" in not_a_code.stderr
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = account_sign_in(device, server.url, email, PASSWORD, "--code", wrong)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: unauthorized: "), refused.stderr
    assert CODE_REFUSED in refused.stderr
    assert "send-code" in refused.stderr

    signed = account_sign_in(device, server.url, email, PASSWORD, "--code", code)
    assert signed.returncode == 0, signed.stderr
    assert email in signed.stdout
    assert code not in signed.stdout + signed.stderr


def test_a_server_that_sends_no_mail_says_so_and_points_to_the_forgot_page(
    tmp_path: Path, server: RunningServer
) -> None:
    status, _out, err = _send_code(tmp_path / "device", server, "someone@example.com")
    assert status == 1
    assert err.startswith("error: recovery_not_offered: "), err
    assert f"{server.url}/account/forgot" in err
    usage = standby("account", "send-code", "not-an-address", "--data-dir", str(tmp_path / "d"))
    assert usage.returncode == 2
    helped = standby("account", "--help")
    assert "send-code" in helped.stdout
