"""Account recovery by e-mail: one-time sign-in codes, and links that reset the password.

A **sign-in code** (6 digits, 10 minutes, single use, dead after 5 wrong tries) lets the
right password in while the account's e-mail is held back for failed sign-ins from unknown
clients (``Accounts``, reason ``email_limited``). A **reset link**
(``<public URL>/account/reset/<token>``, 30 minutes, single use) sets a new password and
ends every console session of the account. The public URL is the operator's
(``serve --public-url``), never the request's Host header, which anyone can forge to have a
real link mailed pointing at their own site.

Both answer the same whether or not an account has the address, and both are bounded per
address, for each kind: at most 1 mail a minute and 5 an hour. The requests are rows of the
database (app.server.models.RecoveryRequestRow), so every server process shares the bounds;
only the secrets' hashes are kept (a sign-in code's keyed with the server's key, since six
digits are quickly guessed against a plain hash). Mail goes out in two steps: the request
is decided and recorded (:meth:`AccountRecovery.prepare_sign_in_code`), then the letter is posted
(:meth:`AccountRecovery.deliver`, blocking, on a thread) after the answer is sent, so that how long
the answer takes does not tell whether there was a mail to send.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from sqlalchemy import Connection, delete, func, insert, select, text, update

from app.domain.errors import REASON_MAIL_LIMITED, DomainError, ErrorCode
from app.server.mail import Mailer
from app.server.records import normalize_email
from app.server.secrets import CodeHasher, hash_password
from app.server.services.store import Store, utcnow
from app.server.tables import ACCOUNTS, AUDIT, RECOVERY, SESSIONS

#: ``serve --public-url``, for the workers: where the reset links point.
PUBLIC_URL_ENV = "STANDBY_PUBLIC_URL"
SIGN_IN_CODE = "sign_in_code"
PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind of request)
CODE_LIFETIME = timedelta(minutes=10)
RESET_LIFETIME = timedelta(minutes=30)
#: Wrong codes a sign-in code survives; the fifth kills it.
MOST_TRIES = 5
#: Mails of one kind to one address: (how many, within how long).
BOUNDS = ((1, timedelta(minutes=1)), (5, timedelta(hours=1)))
#: Requests older than this count for nothing and are swept away.
KEEP = timedelta(hours=2)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

_LETTERS = {
    (SIGN_IN_CODE, "en"): (
        "Your Standby sign-in code",
        "Your one-time code to sign in to your Standby account is:\n\n    {secret}\n\n"
        "It works once, for 10 minutes. Type it on the sign-in page with your password.\n\n"
        "If you did not ask for it, ignore this e-mail: the code alone signs no one in.\n",
    ),
    (SIGN_IN_CODE, "pl"): (
        "Twój kod logowania do Standby",
        "Twój jednorazowy kod logowania do konta Standby:\n\n    {secret}\n\n"
        "Działa raz, przez 10 minut. Wpisz go na stronie logowania razem z hasłem.\n\n"
        "Jeśli to nie Twoja prośba, zignoruj tę wiadomość: sam kod nikogo nie zaloguje.\n",
    ),
    (PASSWORD_RESET, "en"): (
        "Reset your Standby password",
        "To choose a new password for your Standby account, open this link:\n\n{secret}\n\n"
        "It works once, for 30 minutes.\n\n"
        "If you did not ask for it, ignore this e-mail: your password stays as it is.\n",
    ),
    (PASSWORD_RESET, "pl"): (
        "Nowe hasło do konta Standby",
        "Aby ustawić nowe hasło do konta Standby, otwórz ten link:\n\n{secret}\n\n"
        "Działa raz, przez 30 minut.\n\n"
        "Jeśli to nie Twoja prośba, zignoruj tę wiadomość: hasło pozostanie bez zmian.\n",
    ),
}


class NotOffered(Exception):
    """This server sends no mail (``serve`` without ``--smtp``), so it offers no recovery."""


@dataclass(frozen=True)
class Letter:
    """A mail to post: to the account's address, in the asker's language."""

    to: str
    subject: str
    body: str = field(repr=False)  # it holds the code or the link


def parse_public_url(text: str) -> str:
    """An argparse type: ``--public-url``, the server's address as browsers reach it
    (``https://licenses.example.com``), without a trailing slash."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http:// or https:// address")
    if parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(f"{text!r}: give the address without ? or #")
    return text.strip().rstrip("/")


def check_password(password: str) -> None:
    """A new password's length, as ``Accounts.create`` asks (ValueError if not)."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must be at least {MIN_PASSWORD} characters long")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"the password must be at most {MAX_PASSWORD} characters long")


def _token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class AccountRecovery:
    def __init__(
        self,
        store: Store,
        mailer: Mailer | None,
        public_url: str | None,
        hasher: CodeHasher | None = None,
    ) -> None:
        self.store = store
        self.mailer = mailer
        self.public_url = public_url.rstrip("/") if public_url else None
        self._hasher = hasher

    @property
    def offered(self) -> bool:
        """Whether this server mails codes and links at all."""
        return self.mailer is not None and self.public_url is not None

    # --- asking ---------------------------------------------------------------------------

    def prepare_sign_in_code(
        self, email: str, language: str, now: datetime | None = None
    ) -> Letter | None:
        """Record a request for a sign-in code to ``email``: the letter with a new code, or
        None when no account has the address. ValueError for what is no address,
        :class:`NotOffered` without mail, 429 (``mail_limited``) past the bounds."""
        code = f"{secrets.randbelow(10**6):06d}"
        to = self._request(SIGN_IN_CODE, email, lambda to: self._code_digest(to, code), now)
        return self._letter(SIGN_IN_CODE, to, language, code)

    def prepare_password_reset(
        self, email: str, language: str, now: datetime | None = None
    ) -> Letter | None:
        """Record a request for a reset link to ``email``: the letter with a new link, or
        None when no account has the address. Refusals as :meth:`prepare_sign_in_code`."""
        token = secrets.token_urlsafe(32)
        to = self._request(PASSWORD_RESET, email, lambda _to: _token_digest(token), now)
        return self._letter(
            PASSWORD_RESET, to, language, f"{self.public_url}/account/reset/{token}"
        )

    def deliver(self, letter: Letter | None) -> bool:
        """Post ``letter`` (nothing when None); whether the mail server took it. Blocking."""
        if letter is None or self.mailer is None:
            return False
        return self.mailer.send(letter.to, letter.subject, letter.body)

    async def send_sign_in_code(self, email: str, language: str) -> None:
        """Mail a sign-in code to the account of ``email``, if there is one."""
        letter = await anyio.to_thread.run_sync(self.prepare_sign_in_code, email, language)
        await anyio.to_thread.run_sync(self.deliver, letter)

    async def send_password_reset(self, email: str, language: str) -> None:
        """Mail a reset link to the account of ``email``, if there is one."""
        letter = await anyio.to_thread.run_sync(self.prepare_password_reset, email, language)
        await anyio.to_thread.run_sync(self.deliver, letter)

    def _letter(self, kind: str, to: str | None, language: str, secret: str) -> Letter | None:
        if to is None:
            return None
        subject, body = _LETTERS[(kind, language if language == "pl" else "en")]
        return Letter(to, subject, body.format(secret=secret))

    def _request(
        self, kind: str, email: str, digest: Callable[[str], bytes], now: datetime | None
    ) -> str | None:
        """Count the request against the bounds (refused past them), then record it, with
        the secret's digest when an account has the address; the account's address, or None.
        Requests for one address are decided one at a time, in every process, so two at once
        (a double click) send one mail, not two or none."""
        email = normalize_email(email)
        if not self.offered:
            raise NotOffered
        now = now or utcnow()
        lifetime = CODE_LIFETIME if kind == SIGN_IN_CODE else RESET_LIFETIME
        with self.store.connection() as connection:
            connection.execute(delete(RECOVERY).where(RECOVERY.c.created_at < now - KEEP))
            connection.commit()
            _one_at_a_time(connection, email)
            wait = _wait(connection, kind, email, now)
            if wait is not None:
                connection.rollback()
                raise DomainError(
                    ErrorCode.RATE_LIMITED, retry_after=wait, reason=REASON_MAIL_LIMITED
                )
            account = connection.execute(
                select(ACCOUNTS.c.id, ACCOUNTS.c.email).where(ACCOUNTS.c.email == email)
            ).first()
            connection.execute(
                insert(RECOVERY).values(
                    kind=kind,
                    email=email,
                    account_id=account.id if account else None,
                    secret_hash=digest(account.email) if account else None,
                    created_at=now,
                    expires_at=now + lifetime,
                    tries=0,
                )
            )
            connection.commit()
        return str(account.email) if account else None

    # --- using ----------------------------------------------------------------------------

    def check_sign_in_code(self, email: str, code: str, now: datetime | None = None) -> int | None:
        """The account whose live sign-in code ``code`` is, which it uses up (with every
        other code of the address); None when it is no such code. A wrong code costs every
        live code of the address a try; a code tried wrongly 5 times is dead. What cannot be
        a code (not 6 digits, spaces aside) costs nothing."""
        try:
            email = normalize_email(email)
        except ValueError:
            return None
        code = "".join(code.split())
        if len(code) != 6 or not all(c in "0123456789" for c in code):
            return None
        now = now or utcnow()
        with self.store.connection() as connection:
            live = connection.execute(
                select(RECOVERY.c.id, RECOVERY.c.secret_hash, RECOVERY.c.account_id)
                .where(
                    RECOVERY.c.kind == SIGN_IN_CODE,
                    RECOVERY.c.email == email,
                    RECOVERY.c.secret_hash.is_not(None),
                    RECOVERY.c.used_at.is_(None),
                    RECOVERY.c.expires_at > now,
                    RECOVERY.c.tries < MOST_TRIES,
                )
                .with_for_update()  # checks of one address's codes, one at a time
            ).all()
            if not live:
                return None
            digest = self._code_digest(email, code)
            found = next((r for r in live if hmac.compare_digest(r.secret_hash, digest)), None)
            ids = [row.id for row in live]
            spent = {"used_at": now} if found else {"tries": RECOVERY.c.tries + 1}
            connection.execute(update(RECOVERY).where(RECOVERY.c.id.in_(ids)).values(**spent))
            connection.commit()
        return int(found.account_id) if found else None

    def reset_target(self, token: str, now: datetime | None = None) -> str | None:
        """The e-mail of the account a live reset link is for (None: unknown, used or
        expired). It uses nothing up."""
        now = now or utcnow()
        with self.store.connection() as connection:
            return connection.execute(
                select(RECOVERY.c.email).where(*_live_reset(token, now))
            ).scalar_one_or_none()

    def reset_password(
        self,
        token: str,
        new_password: str,
        now: datetime | None = None,
        address: str | None = None,
    ) -> bool:
        """Set the new password of the account the live reset link ``token`` is for, and end
        its console sessions; whether it was done (False: the link is unknown, used or
        expired). The link is used up in the same transaction, so of two uses at once only
        one succeeds; so are the account's other links and codes. ValueError for a password
        of the wrong length."""
        check_password(new_password)
        if self.reset_target(token, now) is None:
            return False  # a dead link costs no password hash
        password_hash = hash_password(new_password)  # slow: not while holding the database
        now = now or utcnow()
        with self.store.connection() as connection:
            used = connection.execute(
                update(RECOVERY)
                .where(*_live_reset(token, now))
                .values(used_at=now)
                .returning(RECOVERY.c.account_id, RECOVERY.c.email)
            ).first()
            if used is None or used.account_id is None:
                connection.rollback()
                return False
            account = used.account_id
            connection.execute(
                update(ACCOUNTS).where(ACCOUNTS.c.id == account).values(password_hash=password_hash)
            )
            connection.execute(
                update(RECOVERY)
                .where(RECOVERY.c.account_id == account, RECOVERY.c.used_at.is_(None))
                .values(used_at=now)
            )
            ended = connection.execute(delete(SESSIONS).where(SESSIONS.c.account_id == account))
            connection.execute(
                insert(AUDIT).values(
                    at=now,
                    event="password_reset",
                    subject=used.email,
                    address=address,
                    detail={"sessions_ended": int(ended.rowcount or 0)},
                )
            )
            connection.commit()
        return True

    def _code_digest(self, email: str, code: str) -> bytes:
        """A sign-in code's digest, bound to its address; keyed with the server's key where
        there is one (a copy of the database alone cannot try the million codes)."""
        plain = hashlib.sha256(f"standby sign-in code\0{email}\0{code}".encode())
        if self._hasher is None:
            return plain.digest()
        return self._hasher.digest(plain.hexdigest())


def _live_reset(token: str, now: datetime) -> tuple[Any, ...]:
    return (
        RECOVERY.c.kind == PASSWORD_RESET,
        RECOVERY.c.secret_hash == _token_digest(token),
        RECOVERY.c.used_at.is_(None),
        RECOVERY.c.expires_at > now,
    )


def _one_at_a_time(connection: Connection, email: str) -> None:
    """Hold the requests for ``email`` in other transactions back until this one ends: on
    PostgreSQL by a transaction's advisory lock (an address without an account has no row
    to lock); SQLite's write gate, held by the store's connection, does it already."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"standby recovery: {email}"},
        )


def _wait(connection: Connection, kind: str, email: str, now: datetime) -> int | None:
    """Seconds until the address may be mailed again, if one more request now would be past
    a bound; None when it is within them."""
    waits = []
    for most, window in BOUNDS:
        count, oldest = connection.execute(
            select(func.count(), func.min(RECOVERY.c.created_at)).where(
                RECOVERY.c.email == email,
                RECOVERY.c.kind == kind,
                RECOVERY.c.created_at > now - window,
            )
        ).one()
        if count >= most:
            waits.append(max(1, math.ceil((oldest + window - now).total_seconds())))
    return max(waits) if waits else None
