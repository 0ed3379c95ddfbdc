"""Account recovery over the API (``POST /api/v1/accounts/sign-in-code`` and
``/accounts/password-reset``), through a real ``standby-server serve --smtp`` and a real SMTP
server: 202 for every address alike, the mail in the asker's language, 429 past the bounds,
422 for what is no address, 503 on a server that sends no mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.server.services import Services
from tests.mail import PUBLIC_URL, MailServer, mailing_through
from tests.server.console import new_account
from tests.servers import RunningServer, running_server, services_for


@pytest.fixture(scope="module")
def mailing(tmp_path_factory: pytest.TempPathFactory, mail: MailServer) -> Iterator[RunningServer]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('recovery-api') / 'standby.db'}"
    with mailing_through(db_url, mail) as running:
        yield running


@pytest.fixture(scope="module")
def on_mailing(mailing: RunningServer) -> Iterator[Services]:
    with services_for(mailing.db_url) as services:
        yield services


def _ask(
    server: RunningServer, what: str, email: str, headers: dict[str, str] | None = None
) -> tuple[int, Any, str | None]:
    answer = requests.post(
        server.api(f"/accounts/{what}"), json={"email": email}, headers=headers, timeout=30
    )
    return answer.status_code, answer.json(), answer.headers.get("Retry-After")


def test_a_sign_in_code_is_mailed_in_the_askers_language(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, account = new_account(on_mailing)
    status, body, _wait = _ask(mailing, "sign-in-code", email, {"Accept-Language": "pl"})
    assert (status, body) == (202, {"status": "accepted"})
    letter = mail.inbox.wait(email)[0]
    assert letter["Subject"] == "Twój kod logowania do Standby"
    code = re.search(r"\b(\d{6})\b", letter.get_content())
    assert code
    assert on_mailing.recovery.check_sign_in_code(email, code.group(1)) == account


def test_a_reset_link_is_mailed_from_the_public_url(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, _account = new_account(on_mailing)
    status, body, _wait = _ask(mailing, "password-reset", email, {"Host": "attacker.example"})
    assert (status, body) == (202, {"status": "accepted"})
    content = mail.inbox.wait(email)[0].get_content()
    assert f"{PUBLIC_URL}/account/reset/" in content
    assert "attacker" not in content


def test_every_address_gets_the_same_answers_and_bounds(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, _account = new_account(on_mailing)
    nobody = f"nobody-{email}"
    for address in (nobody, email):
        first = _ask(mailing, "password-reset", address)
        second = _ask(mailing, "password-reset", address)
        assert first == (202, {"status": "accepted"}, None)
        status, body, wait = second
        assert status == 429
        assert body["error"]["code"] == "rate_limited"
        assert body["error"]["reason"] == "mail_limited"
        assert wait is not None
        assert 1 <= int(wait) <= 60
    mail.inbox.wait(email)
    assert mail.inbox.to(nobody) == []


def test_what_is_no_address_is_422(mailing: RunningServer) -> None:
    for what in ("sign-in-code", "password-reset"):
        status, body, _wait = _ask(mailing, what, "not an address")
        assert status == 422
        assert body["error"]["code"] == "validation_error"
        answer = requests.post(mailing.api(f"/accounts/{what}"), json={}, timeout=30)
        assert answer.status_code == 422


def test_a_server_without_smtp_answers_503(server: RunningServer) -> None:
    for what in ("sign-in-code", "password-reset"):
        status, body, wait = _ask(server, what, "someone@example.com")
        assert status == 503
        assert body["error"]["code"] == "not_offered"
        assert body["error"]["reason"] == "recovery_not_offered"
        assert wait is None  # waiting will not change it


def test_the_mail_server_can_come_from_the_environment(
    fresh_sqlite_url: str, mail: MailServer
) -> None:
    """An operator keeps the SMTP password in the service's environment file, out of the
    command line that every user's process list shows."""
    variables = {"STANDBY_SMTP_URL": mail.url, "STANDBY_PUBLIC_URL": PUBLIC_URL}
    with running_server(fresh_sqlite_url, env=variables) as server:
        command = " ".join(str(part) for part in server.process.args)  # type: ignore[union-attr]
        assert "smtp" not in command
        with services_for(fresh_sqlite_url) as services:
            email, _account = new_account(services)
        status, _body, _wait = _ask(server, "password-reset", email)
        assert status == 202
        assert f"{PUBLIC_URL}/account/reset/" in mail.inbox.wait(email)[0].get_content()
