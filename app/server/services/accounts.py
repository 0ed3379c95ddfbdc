"""Accounts: creating one, and signing a device in to it, with failures rate-limited."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.errors import DomainError, ErrorCode
from app.server.models import Account
from app.server.records import normalize_email
from app.server.secrets import hash_password, verify_password
from app.server.services.store import RETRIES, Store, utcnow
from app.server.tables import ACCOUNTS, AUDIT, DEVICES, INSERT_DEVICE

SIGN_IN_WINDOW = timedelta(minutes=10)
SIGN_IN_MAX_FAILURES = 5
SIGN_IN_STALE = timedelta(minutes=1)


@cache
def _dummy_password_hash() -> str:
    return hash_password(secrets.token_hex(16))


class Accounts:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, email: str, password: str) -> None:
        email = normalize_email(email)
        if len(password) < 8:
            raise ValueError("the password must be at least 8 characters long")
        password_hash = hash_password(password)  # slow: not while holding the database
        with self.store.session() as session:
            session.add(Account(email=email, password_hash=password_hash, created_at=utcnow()))
            try:
                session.commit()
            except IntegrityError as exc:
                raise ValueError(f"an account for {email} exists already") from exc

    def sign_in(self, email: str, password: str, device_id: str) -> str:
        """Link ``device_id`` to the account; returns the account's e-mail.

        The attempt is recorded before it is counted, so however many guesses arrive at
        once, at most SIGN_IN_MAX_FAILURES of them within the window reach the password
        check. The slow password hash runs outside any transaction.
        """
        email = normalize_email(email)
        now = utcnow()
        with self.store.connection() as connection:
            attempt = connection.execute(
                insert(AUDIT)
                .values(at=now, event="sign_in_attempt", subject=email, device_id=device_id)
                .returning(AUDIT.c.id)
            ).scalar_one()
            connection.commit()
            refused, oldest_refused = connection.execute(
                select(func.count(), func.min(AUDIT.c.at)).where(
                    AUDIT.c.subject == email,
                    AUDIT.c.event == "sign_in_refused",
                    AUDIT.c.at > now - SIGN_IN_WINDOW,
                )
            ).one()
            # Attempts still under way may yet fail, so they count too; one left behind by
            # a request that died is forgotten after a minute.
            under_way = connection.execute(
                select(func.count()).where(
                    AUDIT.c.subject == email,
                    AUDIT.c.event == "sign_in_attempt",
                    AUDIT.c.at > now - SIGN_IN_STALE,
                )
            ).scalar_one()
            if refused + under_way > SIGN_IN_MAX_FAILURES:
                _settle(connection, attempt, "sign_in_limited", ErrorCode.RATE_LIMITED)
                if refused >= SIGN_IN_MAX_FAILURES:  # wait until the oldest failure ages out
                    wait = oldest_refused + SIGN_IN_WINDOW - now
                    retry_after = max(1, int(wait.total_seconds()) + 1)
                else:  # only a burst of attempts at once: they settle within a second
                    retry_after = 1
                raise DomainError(ErrorCode.RATE_LIMITED, retry_after=retry_after)
            account = connection.execute(
                select(ACCOUNTS.c.id, ACCOUNTS.c.password_hash).where(ACCOUNTS.c.email == email)
            ).first()
            connection.commit()
        # Unknown e-mails cost a hash too, so the time taken does not tell which exist.
        stored = account.password_hash if account else _dummy_password_hash()
        if not verify_password(password, stored) or account is None:
            with self.store.connection() as connection:
                _settle(connection, attempt, "sign_in_refused", ErrorCode.UNAUTHORIZED)
            raise DomainError(ErrorCode.UNAUTHORIZED, "The e-mail or the password is wrong.")
        for _attempt in range(RETRIES):
            with self.store.connection() as connection:
                linked = connection.execute(
                    update(DEVICES).where(DEVICES.c.id == device_id).values(account_id=account.id)
                ).rowcount
                try:
                    if not linked:
                        connection.execute(
                            INSERT_DEVICE,
                            {"id": device_id, "first_seen_at": now, "account_id": account.id},
                        )
                except IntegrityError:
                    connection.rollback()  # the device appeared meanwhile; update it instead
                    continue
                _settle(connection, attempt, "sign_in", None)
                return email
        raise DomainError(ErrorCode.INTERNAL_ERROR, "The sign-in could not be completed.")


def _settle(connection: Connection, attempt: int, event: str, error: ErrorCode | None) -> None:
    connection.execute(
        update(AUDIT)
        .where(AUDIT.c.id == attempt)
        .values(event=event, error_code=error.value if error else None)
    )
    connection.commit()
