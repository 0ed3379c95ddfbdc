"""A real SMTP server for the tests (aiosmtpd, on 127.0.0.1 and a free port) that keeps
every message it is given, so a test can read the mail the activation server sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.servers import free_port


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
