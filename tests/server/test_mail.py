"""Outbound mail (app.server.mail): the ``--smtp`` URL read and checked, one line and exit
status 2 when malformed; a mail server that is away is a False, and the log says neither the
password, nor the recipient, nor what the mail said."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from app.server.mail import Mailer, parse_smtp_url, smtp_url
from tests.mail import MailServer
from tests.mail import mail_server as mail_server  # the fixture
from tests.servers import free_port


def test_smtp_urls_are_read_with_their_defaults() -> None:
    plain = parse_smtp_url("smtp://mail.example")
    assert (plain.host, plain.port, plain.tls, plain.user) == ("mail.example", 25, "offered", None)
    secure = parse_smtp_url("smtps://me%40example.com:p%3Ass@mail.example")
    assert (secure.port, secure.tls, secure.user, secure.password) == (
        465,
        "implicit",
        "me@example.com",
        "p:ss",
    )
    assert parse_smtp_url("smtp://h:587?starttls=1").tls == "required"
    assert parse_smtp_url("smtp://127.0.0.1:2525?starttls=0").tls == "never"
    assert "p:ss" not in repr(secure)


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://mail.example",
        "smtp://",
        "smtp://mail.example:port",
        "smtps://h?starttls=1",
        "smtp://h?starttls=yes",
        "smtp://h/path",
        "smtp://user@h",
    ],
)
def test_a_malformed_smtp_url_is_refused(bad: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        smtp_url(bad)


def test_mail_goes_out_plain_text_from_the_sender(mail_server: MailServer) -> None:
    mailer = Mailer.from_url(mail_server.url, "Standby <noreply@example.test>")
    assert mailer.send("someone@example.org", "Zażółć", "Treść: gęślą jaźń\n")
    letter = mail_server.inbox.wait("someone@example.org")[0]
    assert letter["From"] == "Standby <noreply@example.test>"
    assert letter["Subject"] == "Zażółć"
    assert letter["Auto-Submitted"] == "auto-generated"
    assert letter.get_content_type() == "text/plain"
    assert letter.get_content().rstrip() == "Treść: gęślą jaźń"  # lines end in CRLF on the wire


def test_a_malformed_smtp_url_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for bad in (
        "ftp://mail.example",
        "smtp://",
        "smtp://mail.example:port",
        "smtps://h?starttls=1",
    ):
        command = ["serve", "--db", f"sqlite:///{tmp_path}/x.db", "--smtp", bad]
        done = subprocess.run(
            [sys.executable, "-m", "app.server", *command],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, bad
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "--smtp" in done.stderr


def test_a_mail_server_that_is_away_is_a_false_not_a_crash(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailer = Mailer.from_url(f"smtp://user:s3cret@127.0.0.1:{free_port()}")
    assert mailer.send("someone@example.org", "Subject", "the code is 123456") is False
    said = caplog.text
    assert "example.org" in said
    for secret in ("s3cret", "123456", "someone"):
        assert secret not in said
    assert "s3cret" not in repr(mailer.server)


def test_starttls_required_sends_nothing_in_the_clear(
    mail_server: MailServer, caplog: pytest.LogCaptureFixture
) -> None:
    mailer = Mailer.from_url(f"{mail_server.url}?starttls=1")  # it offers no STARTTLS
    assert mailer.send("someone@example.org", "Subject", "the code is 123456") is False
    assert "does not offer STARTTLS" in caplog.text
    assert mail_server.inbox.to("someone@example.org") == []
