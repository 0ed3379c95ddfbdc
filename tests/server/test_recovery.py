"""Account recovery by e-mail, through a real ``standby-server serve --smtp`` and a real SMTP
server: the reset link mailed, used once, expired after 30 minutes; the new password signs in
and the old one does not, and the account's browsers are signed out; the one-time sign-in
code mailed, used once, dead after 5 wrong tries; at most 1 mail a minute and 5 an hour per
address; the same answer and no mail for an address with no account; links made from
``--public-url``, never the Host header; no code or token in the server's log."""

from __future__ import annotations

import ast
import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app.domain.errors import DomainError, ErrorCode
from app.server.console import recovery as console_recovery
from app.server.console.words import POLISH
from app.server.mail import Mailer
from app.server.services import Services
from app.server.services.recovery import AccountRecovery
from app.server.services.store import utcnow
from app.server.tables import AUDIT
from tests.mail import PUBLIC_URL, MailServer, mailing_through
from tests.server.console import Browser, new_account
from tests.servers import RunningServer, services_for

NEW_PASSWORD = "a brand new password"
LINK = re.compile(re.escape(PUBLIC_URL) + r"/account/reset/([A-Za-z0-9_-]{43})")
SENT_LINK = "If an account exists for that address, we sent it a link"
SENT_CODE = "If an account exists for that address, we e-mailed it a one-time code"


@pytest.fixture(scope="module")
def mailing(tmp_path_factory: pytest.TempPathFactory, mail: MailServer) -> Iterator[RunningServer]:
    """A server that mails through ``mail``, its links to PUBLIC_URL."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('recovery') / 'standby.db'}"
    from_ = ["--mail-from", "Standby <noreply@example.test>"]
    with mailing_through(db_url, mail, *from_) as running:
        yield running


@pytest.fixture(scope="module")
def on_mailing(mailing: RunningServer) -> Iterator[Services]:
    with services_for(mailing.db_url) as services:
        yield services


@pytest.fixture
def recovery(on_mailing: Services, mail: MailServer) -> AccountRecovery:
    """The recovery service on the mailing server's database, in this process, whose clock
    the test gives."""
    mailer = Mailer.from_url(mail.url, "noreply@example.test")
    return AccountRecovery(on_mailing.store, mailer, PUBLIC_URL, hasher=on_mailing.hasher)


def _forgot(server: RunningServer, email: str, language: str = "en") -> tuple[Browser, int, str]:
    browser = Browser(server, language)
    browser.get("/account/forgot")
    answer = browser.post("/account/forgot", {"email": email})
    return browser, answer.status_code, answer.text


def _link(mail: MailServer, email: str, index: int = 0) -> str:
    body = mail.inbox.wait(email, index + 1)[index].get_content()
    found = LINK.search(body)
    assert found, body
    return found.group(1)


def _code(mail: MailServer, email: str, index: int = 0) -> str:
    body = mail.inbox.wait(email, index + 1)[index].get_content()
    found = re.search(r"\b(\d{6})\b", body)
    assert found, body
    return found.group(1)


def test_the_reset_link_works_once_and_signs_every_browser_out(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, account = new_account(on_mailing)
    signed_in = Browser(mailing)
    assert signed_in.sign_in(email).status_code == 303
    _browser, status, page = _forgot(mailing, email)
    assert status == 200
    assert SENT_LINK in page
    letter = mail.inbox.wait(email)[0]
    assert letter["Subject"] == "Reset your Standby password"
    assert "30 minutes" in letter.get_content()
    assert "ignore this e-mail" in letter.get_content()
    token = _link(mail, email)

    browser = Browser(mailing)
    form = browser.get(f"/account/reset/{token}")
    assert form.status == 200
    assert email in form.text
    short = {"password": "short", "password_again": "short"}
    assert browser.post(f"/account/reset/{token}", short).status_code == 400
    differ = browser.post(
        f"/account/reset/{token}", {"password": NEW_PASSWORD, "password_again": "other words"}
    )
    assert differ.status_code == 400
    assert "The two passwords differ" in differ.text
    both = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert browser.post(f"/account/reset/{token}", both, csrf=False).status_code == 403
    done = browser.post(f"/account/reset/{token}", both)
    assert done.status_code == 200
    assert "Your password was changed" in done.text

    another = {"password": "yet another one", "password_again": "yet another one"}
    again = browser.post(f"/account/reset/{token}", another)
    assert again.status_code == 410
    assert browser.get(f"/account/reset/{token}").status == 410
    ended = signed_in.http.get(signed_in.url("/account/devices"), allow_redirects=False)
    assert ended.status_code == 303  # its session ended with the reset
    assert Browser(mailing).sign_in(email).status_code == 401  # the old password
    assert Browser(mailing).sign_in(email, NEW_PASSWORD).status_code == 303
    with on_mailing.store.connection() as connection:
        audited = connection.execute(
            select(AUDIT.c.event, AUDIT.c.detail).where(
                AUDIT.c.subject == email, AUDIT.c.event == "password_reset"
            )
        ).all()
    assert [(row.event, row.detail) for row in audited] == [
        ("password_reset", {"sessions_ended": 1})
    ]
    assert account


def test_a_reset_link_expires_after_30_minutes(
    recovery: AccountRecovery, on_mailing: Services
) -> None:
    email, _account = new_account(on_mailing)
    start = utcnow()
    letter = recovery.prepare_password_reset(email, "en", now=start)
    assert letter is not None
    found = LINK.search(letter.body)
    assert found
    token = found.group(1)
    assert token not in repr(letter)
    assert recovery.reset_target(token, start + timedelta(minutes=29)) == email
    assert recovery.reset_target(token, start + timedelta(minutes=30)) is None
    assert not recovery.reset_password(token, NEW_PASSWORD, start + timedelta(minutes=30))
    with pytest.raises(ValueError, match="at least 8"):
        recovery.reset_password(token, "short", start)


def test_two_uses_of_one_link_at_once_reset_once(
    recovery: AccountRecovery, on_mailing: Services
) -> None:
    email, _account = new_account(on_mailing)
    letter = recovery.prepare_password_reset(email, "en")
    assert letter is not None
    found = LINK.search(letter.body)
    assert found
    results: list[bool] = []
    threads = [
        threading.Thread(
            target=lambda n=n: results.append(
                recovery.reset_password(found.group(1), f"password number {n}")
            )
        )
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


def test_two_requests_at_once_send_one_mail(
    recovery: AccountRecovery, on_mailing: Services
) -> None:
    email, _account = new_account(on_mailing)
    answers: list[str] = []

    def ask() -> None:
        try:
            recovery.prepare_password_reset(email, "en")
            answers.append("sent")
        except DomainError as exc:
            answers.append(exc.code.value)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["rate_limited"] * 5 + ["sent"]


def test_the_sign_in_code_is_mailed_and_works_once(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, account = new_account(on_mailing)
    browser = Browser(mailing, "pl")
    browser.get("/account/sign-in")
    answer = browser.post("/account/sign-in-code", {"email": email})
    assert answer.status_code == 200
    assert 'name="code"' in answer.text  # the code's field, inside the sign-in form
    assert POLISH[SENT_CODE + ". It works once, for 10 minutes."] in answer.text
    letter = mail.inbox.wait(email)[0]
    assert letter["Subject"] == "Twój kod logowania do Standby"  # the page's language
    assert "10 minut" in letter.get_content()
    code = _code(mail, email)
    check = on_mailing.recovery.check_sign_in_code
    assert check(email.upper(), f"{code[:3]} {code[3:]}") == account
    assert check(email, code) is None  # used up


def test_five_wrong_tries_kill_a_code(recovery: AccountRecovery, on_mailing: Services) -> None:
    email, account = new_account(on_mailing)
    letter = recovery.prepare_sign_in_code(email, "en")
    assert letter is not None
    found = re.search(r"\b(\d{6})\b", letter.body)
    assert found
    code = found.group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert recovery.check_sign_in_code(email, "not a code") is None  # costs no try
    for _ in range(4):
        assert recovery.check_sign_in_code(email, wrong) is None
    fifth = recovery.prepare_sign_in_code(email, "en", now=utcnow() + timedelta(minutes=1))
    assert fifth is not None  # a second code, still live: the next wrong try costs both one
    assert recovery.check_sign_in_code(email, wrong) is None
    assert recovery.check_sign_in_code(email, code) is None  # the first died at 5 wrong
    second = re.search(r"\b(\d{6})\b", fifth.body)
    assert second
    assert recovery.check_sign_in_code(email, second.group(1)) == account


def test_a_code_expires_after_10_minutes(recovery: AccountRecovery, on_mailing: Services) -> None:
    email, _account = new_account(on_mailing)
    start = utcnow()
    letter = recovery.prepare_sign_in_code(email, "en", now=start)
    assert letter is not None
    found = re.search(r"\b(\d{6})\b", letter.body)
    assert found
    assert recovery.check_sign_in_code(email, found.group(1), start + timedelta(minutes=10)) is None


def test_an_address_gets_one_mail_a_minute_and_five_an_hour(
    recovery: AccountRecovery, on_mailing: Services, mailing: RunningServer, mail: MailServer
) -> None:
    email, _account = new_account(on_mailing)
    _browser, first, _page = _forgot(mailing, email)
    _browser, second, page = _forgot(mailing, email)
    assert (first, second) == (200, 429)
    assert "Try again in 1 min." in page
    mail.inbox.wait(email)
    # The same bounds for an address no account has: the answers tell nothing.
    nobody = f"nobody-{email}"
    assert [_forgot(mailing, nobody)[1] for _ in range(2)] == [200, 429]

    other, _account = new_account(on_mailing)
    start = utcnow()
    for minute in range(5):
        recovery.prepare_sign_in_code(other, "en", now=start + timedelta(minutes=minute))
    with pytest.raises(DomainError) as refused:
        recovery.prepare_sign_in_code(other, "en", now=start + timedelta(minutes=5))
    assert refused.value.code is ErrorCode.RATE_LIMITED
    assert refused.value.reason == "mail_limited"
    assert refused.value.retry_after == 55 * 60
    later = recovery.prepare_sign_in_code(other, "en", now=start + timedelta(minutes=61))
    assert later is not None  # the first request has aged out
    # Each kind has its own bounds: a reset link is still allowed.
    assert recovery.prepare_password_reset(other, "en", now=start + timedelta(minutes=5))


def test_an_address_without_account_gets_the_same_answer_and_no_mail(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, _account = new_account(on_mailing)
    nobody = f"nobody-{email}"
    _b, status, page = _forgot(mailing, nobody)
    _b, known_status, known_page = _forgot(mailing, email)
    assert (status, known_status) == (200, 200)
    assert SENT_LINK in page
    assert SENT_LINK in known_page
    mail.inbox.wait(email)  # posted after the first one, which had nothing to post
    assert mail.inbox.to(nobody) == []


def test_the_link_is_made_from_the_public_url_not_the_host_header(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, _account = new_account(on_mailing)
    browser = Browser(mailing)
    browser.get("/account/forgot")
    # requests would keep the cookie from another host's request: it is sent by hand.
    cookie = f"standby_sign_in={browser.csrf}"
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
    answer = requests.post(
        browser.url("/account/forgot"),
        data={"email": email, "csrf": browser.csrf or ""},
        headers={**forged, "Cookie": cookie},
        timeout=30,
    )
    assert answer.status_code == 200
    body = mail.inbox.wait(email)[0].get_content()
    assert "attacker" not in body
    assert LINK.search(body)


def test_a_form_without_its_csrf_token_is_refused(mailing: RunningServer) -> None:
    browser = Browser(mailing)
    browser.get("/account/forgot")
    for path in ("/account/forgot", "/account/sign-in-code"):
        assert browser.post(path, {"email": "x@example.com"}, csrf=False).status_code == 403


def test_no_code_or_token_reaches_the_log(
    mailing: RunningServer, on_mailing: Services, mail: MailServer
) -> None:
    email, _account = new_account(on_mailing)
    browser, _status, _page = _forgot(mailing, email)
    token = _link(mail, email)
    browser.get(f"/account/reset/{token}")
    browser.get(f"/account/language/pl?back=/account/reset/{token}")
    browser.get("/account/sign-in")
    browser.post("/account/sign-in-code", {"email": email})
    code = _code(mail, email, 1)
    log = mailing.log.read_text()
    assert "/account/reset/…" in log  # the requests were logged, without the token
    assert token not in log
    assert code not in log
    assert email not in log


def test_a_server_without_smtp_offers_no_recovery(server: RunningServer) -> None:
    browser = Browser(server)
    page = browser.get("/account/forgot")
    assert page.status == 200
    assert "does not offer account recovery by e-mail" in page.text
    assert 'id="forgot"' not in page.text
    browser.get("/account/sign-in")  # a form's CSRF token
    assert browser.post("/account/forgot", {"email": "a@example.com"}).status_code == 503
    refused = browser.post("/account/sign-in-code", {"email": "a@example.com"})
    assert refused.status_code == 503
    assert "cannot send you a one-time code" in refused.text
    sign_in = browser.get("/account/sign-in")
    assert 'href="/account/forgot"' in sign_in.text
    assert 'name="code"' not in sign_in.text  # only when the address is held back


def test_every_sentence_of_the_recovery_pages_has_polish_words() -> None:
    """As tests/server/test_console_words.py does for the other pages' routes (which it
    does not read this module for): every sentence the module hands a page, docstrings aside."""
    tree = ast.parse(Path(console_recovery.__file__).read_text())
    documented = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
    }
    sentences = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and node.value[:1].isupper()
        and " " in node.value
    }
    assert len(sentences) >= 6
    assert sorted(sentence for sentence in sentences if sentence not in POLISH) == []
