"""The owner always has a way in: while a stranger's wrong passwords hold an e-mail back, the
right password and a one-time code mailed to the owner sign in from a new device at a new
address, in the app's API and in the account console. Through a real ``serve --smtp`` and a
real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.server.services import Services
from tests.mail import MailServer, code_in, hold_back, mailing_through
from tests.server.console import PASSWORD, Browser, new_account
from tests.server.helpers import new_device, post_from
from tests.servers import RunningServer, services_for


@pytest.fixture(scope="module")
def mailing_server(
    tmp_path_factory: pytest.TempPathFactory, mail: MailServer
) -> Iterator[RunningServer]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('code') / 'standby.db'}"
    with mailing_through(db_url, mail) as server:
        yield server


@pytest.fixture
def held_back(mailing_server: RunningServer) -> str:
    """An account whose e-mail a stranger has held back with wrong passwords."""
    with services_for(mailing_server.db_url) as services:
        email, _account = new_account(services)
    hold_back(mailing_server, email, "127.0.5.1")
    return email


def _sign_in(
    server: RunningServer, address: str, email: str, password: str, code: str | None = None
) -> tuple[int, Any, str | None]:
    body = {"email": email, "password": password, "device_id": new_device()}
    return post_from(
        server, address, "/accounts/sign-in", {**body, **({"one_time_code": code} if code else {})}
    )


def _mailed_code(server: RunningServer, mail: MailServer, email: str) -> str:
    asked = requests.post(server.api("/accounts/sign-in-code"), json={"email": email}, timeout=30)
    assert asked.status_code == 202
    return code_in(mail, email)


def test_the_right_password_and_a_mailed_code_sign_in_while_held_back(
    mailing_server: RunningServer, mail: MailServer, held_back: str
) -> None:
    email, owner = held_back, "127.0.5.100"
    status, answer, _wait = _sign_in(mailing_server, owner, email, PASSWORD)
    assert status == 429
    assert answer["error"]["reason"] == "email_limited"

    code = _mailed_code(mailing_server, mail, email)
    status, answer, _wait = _sign_in(
        mailing_server, owner, email, PASSWORD, f"{code[:3]} {code[3:]}"
    )
    assert status == 200, answer
    assert answer["email"] == email
    # Spent: the same code does not sign in again.
    again = _sign_in(mailing_server, "127.0.5.101", email, PASSWORD, code)
    assert (again[0], again[1]["error"]["reason"]) == (401, "code_refused")


def test_a_code_does_not_open_the_door_to_password_guessing(
    mailing_server: RunningServer, mail: MailServer, held_back: str
) -> None:
    """A guessed code is refused before any password is checked, and a right code with a
    wrong password is spent: the stranger gets no more guesses than before."""
    email, stranger = held_back, "127.0.5.102"
    guessed = _sign_in(mailing_server, stranger, email, PASSWORD, "000000")
    assert (guessed[0], guessed[1]["error"]["reason"]) == (401, "code_refused")
    code = _mailed_code(mailing_server, mail, email)
    assert _sign_in(mailing_server, stranger, email, "a guess", code)[0] == 401
    spent = _sign_in(mailing_server, stranger, email, PASSWORD, code)
    assert (spent[0], spent[1]["error"]["reason"]) == (401, "code_refused")
    # Without a code the e-mail is still held back.
    assert _sign_in(mailing_server, stranger, email, PASSWORD)[0] == 429


def test_the_console_offers_the_code_and_signs_in_with_it(
    mailing_server: RunningServer, mail: MailServer, held_back: str
) -> None:
    browser = Browser(mailing_server)
    refused = browser.sign_in(held_back)
    assert refused.status_code == 429
    assert 'name="code"' in refused.text
    assert 'data-action="send-code"' in refused.text

    page = browser.get("/account/sign-in")
    assert page.status == 200
    sent = browser.post("/account/sign-in-code", {"email": held_back})
    assert sent.status_code == 200
    code = code_in(mail, held_back)
    browser.get("/account/sign-in")
    signed = browser.post(
        "/account/sign-in", {"email": held_back, "password": PASSWORD, "code": code}
    )
    assert signed.status_code == 303
    assert signed.headers["location"].endswith("/account/devices")


def test_without_mail_the_console_offers_no_code(server: RunningServer, services: Services) -> None:
    email, _account = new_account(services)
    hold_back(server, email, "127.0.6.1")
    refused = Browser(server).sign_in(email)
    assert refused.status_code == 429
    assert 'name="code"' not in refused.text
