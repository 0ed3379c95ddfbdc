"""Fixtures the server tests share beyond those of tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mail import MailServer, running_mail_server


@pytest.fixture(scope="module")
def mail() -> Iterator[MailServer]:
    """A real SMTP server for the module's mailing activation servers."""
    with running_mail_server() as running:
        yield running
