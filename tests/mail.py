"""A real SMTP server for the tests (aiosmtpd, on 127.0.0.1 and a free port) that keeps
every message it is given, so a test can read the mail the activation server sent."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.server.services import Services
from app.server.services.sign_in_limits import SIGN_IN_MAX_FAILURES
from tests.server.helpers import new_device, post_from
from tests.servers import RunningServer, free_port, running_server, services_for


class Inbox:
    """The messages the SMTP server took, in order, and a way to wait for them."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        """aiosmtpd's hook: one message delivered."""
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self._arrived:
            return [m for m in self.messages if str(m["To"]).lower() == address.lower()]

    def wait(self, address: str, count: int = 1, seconds: float = 15.0) -> list[EmailMessage]:
        """The first ``count`` messages to ``address``, once they arrived (AssertionError
        after ``seconds``)."""
        deadline = time.monotonic() + seconds
        with self._arrived:
            while True:
                found = [m for m in self.messages if str(m["To"]).lower() == address.lower()]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{count} mail(s) to {address} did not arrive")
                self._arrived.wait(left)


class MailServer:
    """A running SMTP server: its ``smtp://`` URL and its inbox."""

    def __init__(self, port: int, inbox: Inbox) -> None:
        self.port = port
        self.inbox = inbox

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    """An SMTP server on 127.0.0.1, up when the block starts, stopped after."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield MailServer(port, inbox)
    finally:
        controller.stop()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A fresh SMTP server for one test (import it into the test module to use it)."""
    with running_mail_server() as server:
        yield server


#: The six digits of a one-time code, as a mail gives them.
CODE_IN_MAIL = re.compile(r"(?<!\d)(\d{6})(?!\d)")
#: Where the mailing servers' links point (``serve --public-url``).
PUBLIC_URL = "https://licenses.example.test"


def code_in(mail: MailServer, email: str, count: int = 1) -> str:
    """The one-time code in the ``count``-th mail to ``email``, once it has arrived."""
    body = mail.inbox.wait(email, count)[count - 1].get_body(preferencelist=("plain",))
    assert body is not None
    found = CODE_IN_MAIL.search(body.get_content())
    assert found is not None, body.get_content()
    return found.group(1)


@contextmanager
def mailing_through(db_url: str, mail: MailServer, *options: str) -> Iterator[RunningServer]:
    """A real activation server on ``db_url`` that mails through ``mail``, its links to
    PUBLIC_URL."""
    mailing_options = ["--smtp", mail.url, "--public-url", PUBLIC_URL, *options]
    with running_server(db_url, options=mailing_options) as server:
        yield server


@pytest.fixture
def mailing_server(
    mail_server: MailServer, tmp_path: Path
) -> Iterator[tuple[RunningServer, Services]]:
    """A real server of the test's own that mails through the test's SMTP server (import
    both fixtures into the test module to use them)."""
    db_url = f"sqlite:///{tmp_path / 'mailing.db'}"
    with mailing_through(db_url, mail_server) as server, services_for(db_url) as services:
        yield server, services


def hold_back(server: RunningServer, email: str, first: str) -> None:
    """A stranger holds ``email`` back: wrong passwords from the addresses ``first``, ``first``
    + 1, … (machines the account does not know, e.g. ``127.0.5.1``), as many as the limit
    allows; the next from anywhere unknown is told ``email_limited``."""
    prefix, _, start = first.rpartition(".")
    for i in range(SIGN_IN_MAX_FAILURES):
        body = {"email": email, "password": f"guess {i}", "device_id": new_device()}
        status, answer, _wait = post_from(
            server, f"{prefix}.{int(start) + i}", "/accounts/sign-in", body
        )
        assert status == 401, answer
