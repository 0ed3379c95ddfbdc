"""Outbound e-mail: the server mails one-time sign-in codes and password-reset links.

``standby-server serve --smtp URL`` names the mail server (its workers read it from
STANDBY_SMTP_URL), and ``--mail-from ADDRESS`` the sender:

- ``smtp://[user:password@]host[:port]``: port 25 unless given. STARTTLS is used whenever the
  mail server offers it, with the certificate checked; ``?starttls=1`` requires it (no mail
  goes out in the clear), ``?starttls=0`` never asks for it (a relay on the same host whose
  certificate cannot be checked). A password is never sent in the clear, except to a
  loopback host.
- ``smtps://[user:password@]host[:port]``: TLS from the first byte, port 465 unless given.

The user and the password are percent-decoded (``%40`` for ``@``). Sending is blocking (the
standard library's ``smtplib``, 10 seconds' time-out per step): callers run it on a thread,
off the event loop. A failure is logged and answered ``False``; the log names the
recipient's domain at most, never a password, a code or a link.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from app.server.settings import ServerSettings

log = logging.getLogger("standby.server.mail")

#: The variables ``serve --smtp`` and ``--mail-from`` default to (app.server.settings).
SMTP_URL_ENV = "STANDBY_SMTP_URL"
MAIL_FROM_ENV = "STANDBY_MAIL_FROM"
TIMEOUT_SECONDS = 10.0
_STARTTLS = {"1": "required", "0": "never"}


@dataclass(frozen=True)
class SmtpServer:
    """Where mail goes and how: ``tls`` is ``implicit`` (smtps), ``required``, ``offered``
    (STARTTLS when the server offers it) or ``never``."""

    host: str
    port: int
    tls: str
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never the password, wherever the object is printed
        return f"SmtpServer(host={self.host!r}, port={self.port}, tls={self.tls!r})"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_smtp_url(text: str) -> SmtpServer:
    """The mail server a ``--smtp`` URL names; ValueError, in words for the operator (and
    without the password), when it is malformed."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        raise ValueError("the SMTP URL is malformed (is the port a number?)") from None
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ValueError("the SMTP URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("the SMTP URL names no host")
    if parts.path not in ("", "/") or parts.fragment:
        raise ValueError("the SMTP URL takes no path: smtp://[user:password@]host[:port]")
    query = parse_qs(parts.query, keep_blank_values=True)
    if set(query) - {"starttls"}:
        raise ValueError("the SMTP URL's only option is ?starttls=0 or ?starttls=1")
    starttls = query.get("starttls", [""])[-1]
    if starttls and (starttls not in _STARTTLS or scheme == "smtps"):
        raise ValueError("starttls is 0 or 1, and only for smtp:// (smtps:// is TLS throughout)")
    if (parts.username is None) != (parts.password is None):
        raise ValueError("the SMTP URL gives a user without a password, or the other way")
    tls = "implicit" if scheme == "smtps" else _STARTTLS.get(starttls, "offered")
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if scheme == "smtps" else 25),
        tls=tls,
        user=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def smtp_url(text: str) -> str:
    """An argparse type: a ``--smtp`` URL, checked (one line, exit 2, when malformed)."""
    try:
        parse_smtp_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def mail_address(text: str) -> str:
    """An argparse type: a ``--mail-from`` address (``name@domain``, or with a display name,
    ``Standby <name@domain>``)."""
    _name, address = parseaddr(text)
    local, _, domain = address.partition("@")
    if not local or not domain or "\n" in text or "\r" in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not an e-mail address")
    return text.strip()


def default_sender() -> str:
    return f"standby@{socket.gethostname() or 'localhost'}"


def domain_of(address: str) -> str:
    """What the log may say about a recipient: the domain of the address."""
    return address.rpartition("@")[2] or "?"


class Mailer:
    """Sends plain-text mail through one SMTP server, one connection per message."""

    def __init__(self, server: SmtpServer, sender: str | None = None) -> None:
        self.server = server
        self.sender = sender or default_sender()

    @classmethod
    def from_url(cls, url: str, sender: str | None = None) -> Mailer:
        return cls(parse_smtp_url(url), sender)

    @classmethod
    def of(cls, settings: ServerSettings) -> Mailer | None:
        """The mailer ``serve --smtp`` asked for, or None."""
        if not settings.smtp_url:
            return None
        return cls.from_url(settings.smtp_url, settings.mail_from or None)

    def message(self, to: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = make_msgid(domain=domain_of(parseaddr(self.sender)[1]))
        message["Auto-Submitted"] = "auto-generated"  # no vacation replies to it
        message.set_content(body)
        return message

    def send(self, to: str, subject: str, body: str) -> bool:
        """Mail ``body`` to ``to``; whether the mail server took it. Blocking: run it on a
        thread. Failures are logged (the recipient's domain and the kind of failure only)."""
        try:
            self._deliver(self.message(to, subject, body))
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            log.warning("mail to an address at %s not sent: %s", domain_of(to), _why(exc))
            return False
        log.info("mail sent to an address at %s", domain_of(to))
        return True

    def _deliver(self, message: EmailMessage) -> None:
        server = self.server
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if server.tls == "implicit":
            client = smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        with client:
            client.ehlo()
            secure = server.tls == "implicit"
            if server.tls in ("required", "offered") and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                secure = True
            if server.tls == "required" and not secure:
                raise smtplib.SMTPNotSupportedError("the mail server does not offer STARTTLS")
            if server.user is not None and server.password is not None:
                if not secure and not server.loopback:
                    raise smtplib.SMTPNotSupportedError(
                        "no TLS: the password is not sent in the clear"
                    )
                client.login(server.user, server.password)
            client.send_message(message)


def _why(exc: BaseException) -> str:
    """A failure in words safe for the log: its kind, and the SMTP status when there is one
    (never the server's text, which may repeat the address or the credentials)."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"{exc.__class__.__name__}: {exc}"
    return f"{exc.__class__.__name__}" + (f" ({code})" if code else "")
