"""Sessions of the account console: a browser signed in to an account.

The browser holds a random token (in an ``HttpOnly`` cookie); the server keeps only its
SHA-256, so neither the database nor its backups can sign anyone in. A session ends after
30 minutes without use and 12 hours after it began, whichever comes first, and at
"Sign out" (this browser) or "Sign out everywhere" (every browser of the account). Each
form carries a CSRF token derived from the session's token: a page of another site cannot
read the cookie, so it cannot make the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, or_, select, update

from app.server.services.store import Store, utcnow
from app.server.tables import ACCOUNTS, SESSIONS

IDLE = timedelta(minutes=30)
LONGEST = timedelta(hours=12)
#: A session's last use is written at most this often (not at every page).
TOUCH_EVERY = timedelta(minutes=1)
_CSRF_CONTEXT = b"standby console csrf\0"


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def csrf_token(token: str) -> str:
    """The CSRF token of the session whose browser holds ``token``."""
    return hmac.new(token.encode(), _CSRF_CONTEXT, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ConsoleCaller:
    """Who a console request comes from."""

    session_id: int
    account_id: int
    email: str
    csrf: str

    def csrf_matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


class Sessions:
    def __init__(self, store: Store) -> None:
        self.store = store

    def start(self, account_id: int, now: datetime | None = None) -> str:
        """A new session for ``account_id``: the token for the browser's cookie. Always a
        new one (a token an attacker planted before sign-in is worth nothing after it)."""
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        sessions = SESSIONS
        with self.store.connection() as connection:
            # The account's ended sessions go as a new one comes: nothing else sweeps them.
            connection.execute(
                delete(sessions).where(
                    sessions.c.account_id == account_id,
                    or_(
                        sessions.c.last_used_at <= now - IDLE,
                        sessions.c.created_at <= now - LONGEST,
                    ),
                )
            )
            connection.execute(
                insert(sessions).values(
                    token_hash=_digest(token),
                    account_id=account_id,
                    created_at=now,
                    last_used_at=now,
                )
            )
            connection.commit()
        return token

    def find(self, token: str | None, now: datetime | None = None) -> ConsoleCaller | None:
        """The signed-in account of the browser holding ``token``, or None when the token
        is unknown or its session has ended."""
        if not token:
            return None
        now = now or utcnow()
        sessions, accounts = SESSIONS, ACCOUNTS
        with self.store.connection() as connection:
            row = connection.execute(
                select(
                    sessions.c.id,
                    sessions.c.account_id,
                    sessions.c.created_at,
                    sessions.c.last_used_at,
                    accounts.c.email,
                )
                .join(accounts, accounts.c.id == sessions.c.account_id)
                .where(sessions.c.token_hash == _digest(token))
            ).first()
            if row is None:
                return None
            if now - row.last_used_at >= IDLE or now - row.created_at >= LONGEST:
                connection.execute(delete(sessions).where(sessions.c.id == row.id))
                connection.commit()
                return None
            if now - row.last_used_at >= TOUCH_EVERY:
                connection.execute(
                    update(sessions).where(sessions.c.id == row.id).values(last_used_at=now)
                )
                connection.commit()
        return ConsoleCaller(row.id, row.account_id, row.email, csrf_token(token))

    def end(self, token: str) -> None:
        """Sign this browser out."""
        sessions = SESSIONS
        with self.store.connection() as connection:
            connection.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))
            connection.commit()

    def end_everywhere(self, account_id: int) -> int:
        """Sign every browser of the account out; how many sessions there were."""
        sessions = SESSIONS
        with self.store.connection() as connection:
            ended = connection.execute(
                delete(sessions).where(sessions.c.account_id == account_id)
            ).rowcount
            connection.commit()
        return int(ended or 0)
