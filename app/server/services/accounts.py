"""Accounts: creating one, and signing a device in to it, with failures rate-limited."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import anyio
import anyio.to_thread
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.errors import REASON_CODE_REFUSED, DomainError, ErrorCode
from app.server.models import AccountRow
from app.server.records import normalize_email
from app.server.secrets import hash_password, verify_password
from app.server.services.devices import check_key, register_key, usable_name
from app.server.services.sign_in_limits import (
    ADDRESS_FAILURES,
    ADDRESS_MAX_FAILURES,
    EMAIL_FAILURES,
    SIGN_IN_MAX_FAILURES,
    HeldBack,
    known,
    limited,
    over,
    settle,
)
from app.server.services.store import RETRIES, Store, utcnow
from app.server.tables import ACCOUNTS, AUDIT, DEVICES, INSERT_DEVICE, SESSIONS

#: Password hashes at once in one process (each takes 32 MiB and a core for about 0.1 s):
#: half the cores, so the rest of the API keeps the others; and sign-ins that may wait for
#: one before the next is told to come back later.
HASHES_AT_ONCE = max(1, (os.cpu_count() or 2) // 2)
HASHES_WAITING = 32


@cache
def _dummy_password_hash() -> str:
    return hash_password(secrets.token_hex(16))


@dataclass(frozen=True)
class _Admitted:
    attempt: int
    account_id: int | None
    password_hash: str | None


class Accounts:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._hashes: anyio.CapacityLimiter | None = None
        self._held_back = HeldBack()
        #: Whether a one-time code is the one mailed to an e-mail's owner (and then spent):
        #: the account's id, else None. Set where the server sends mail (``--smtp``).
        self.one_time_codes: Callable[[str, str], int | None] | None = None

    def create(self, email: str, password: str) -> str:
        """Create an account; returns its e-mail as kept (see ``normalize_email``). An address
        that is an existing one once normalised is refused."""
        email = normalize_email(email)
        if len(password) < 8:
            raise ValueError("the password must be at least 8 characters long")
        password_hash = hash_password(password)  # slow: not while holding the database
        with self.store.session() as session:
            session.add(AccountRow(email=email, password_hash=password_hash, created_at=utcnow()))
            try:
                session.commit()
            except IntegrityError as exc:
                raise ValueError(f"an account for {email} exists already") from exc
        return email

    def set_password(self, email: str, password: str) -> str:
        """The operator sets a new password (``accounts password``): every browser signed in
        to the account is signed out. Its e-mail as kept; ValueError for no such account."""
        email = normalize_email(email)
        if len(password) < 8:
            raise ValueError("the password must be at least 8 characters long")
        password_hash = hash_password(password)  # slow: not while holding the database
        with self.store.connection() as connection:
            account = connection.execute(
                update(ACCOUNTS)
                .where(ACCOUNTS.c.email == email)
                .values(password_hash=password_hash)
                .returning(ACCOUNTS.c.id)
            ).scalar()
            if account is None:
                raise ValueError(f"there is no account for {email}")
            connection.execute(delete(SESSIONS).where(SESSIONS.c.account_id == account))
            connection.execute(
                insert(AUDIT).values(at=utcnow(), event="password_set", subject=email)
            )
            connection.commit()
        return email

    async def sign_in(
        self,
        email: str,
        password: str,
        device_id: str,
        address: str,
        key: str,
        name: str | None = None,
        one_time_code: str | None = None,
    ) -> str:
        """Link ``device_id`` (the call signed with ``key``, named ``name`` when given) to the
        account; returns the account's e-mail. Another device's id is refused before any
        password is checked. With the ``one_time_code`` mailed to the owner, the e-mail's
        limit does not apply."""
        email = normalize_email(email)
        attempt, account_id = await self._authenticate(
            email, password, address, device_id, key, one_time_code
        )
        await anyio.to_thread.run_sync(
            self._link, attempt, account_id, device_id, key, usable_name(name)
        )
        return email

    async def sign_in_console(
        self, email: str, password: str, address: str, one_time_code: str | None = None
    ) -> int:
        """The account whose e-mail and password these are, for a browser of the account
        console at ``address``: under the same limits as a device's sign-in."""
        email = normalize_email(email)
        attempt, account_id = await self._authenticate(
            email, password, address, one_time_code=one_time_code
        )
        await anyio.to_thread.run_sync(self._settle, attempt, "sign_in", None)
        return account_id

    async def _authenticate(
        self,
        email: str,
        password: str,
        address: str,
        device_id: str | None = None,
        key: str | None = None,
        one_time_code: str | None = None,
    ) -> tuple[int, int]:
        """The attempt's audit row and the account, once the password is checked.

        The attempt is recorded before it is counted, so however many guesses arrive at
        once, at most the limit of them within the window reach the password check. The
        database work runs on the server's threads; the password hash on threads of its own,
        at most HASHES_AT_ONCE at a time, so a flood of sign-ins neither fills the memory nor
        takes the threads the rest of the API answers on.
        """
        by_email = [] if one_time_code else [("pair", email, address)]
        held_back = self._held_back.wait(("address", address), *by_email)
        if held_back is not None:
            raise held_back
        admitted = await anyio.to_thread.run_sync(
            self._admit, email, device_id, address, key, not one_time_code
        )
        if one_time_code is not None:
            await anyio.to_thread.run_sync(self._spend_code, admitted.attempt, email, one_time_code)
        if self._hashes is None:
            self._hashes = anyio.CapacityLimiter(HASHES_AT_ONCE)
        if self._hashes.statistics().tasks_waiting >= HASHES_WAITING:
            await anyio.to_thread.run_sync(
                self._settle, admitted.attempt, "sign_in_limited", ErrorCode.RATE_LIMITED
            )
            raise DomainError(ErrorCode.RATE_LIMITED, retry_after=1)
        # Unknown e-mails cost a hash too, so the time taken does not tell which exist.
        stored = admitted.password_hash

        def check() -> bool:
            return verify_password(password, stored or _dummy_password_hash())

        matches = await anyio.to_thread.run_sync(check, limiter=self._hashes)
        if not matches or admitted.account_id is None:
            await anyio.to_thread.run_sync(
                self._settle, admitted.attempt, "sign_in_refused", ErrorCode.UNAUTHORIZED
            )
            raise DomainError(ErrorCode.UNAUTHORIZED, "The e-mail or the password is wrong.")
        return admitted.attempt, admitted.account_id

    def _spend_code(self, attempt: int, email: str, code: str) -> None:
        """Go on if ``code`` is the one mailed for ``email`` (it is spent); else the attempt
        counts against its address, as a call refused before the password does."""
        spent = self.one_time_codes(email, code) if self.one_time_codes else None
        if spent is None:
            self._settle(attempt, "sign_in_unproven", ErrorCode.UNAUTHORIZED)
            raise DomainError(
                ErrorCode.UNAUTHORIZED,
                "The one-time code is wrong or has expired: ask for a new one.",
                reason=REASON_CODE_REFUSED,
            )

    def _admit(
        self,
        email: str,
        device_id: str | None,
        address: str,
        device_key: str | None,
        limit_email: bool = True,
    ) -> _Admitted:
        """Record the attempt, then refuse it if a limit is reached (429, with how long and
        which limit) or the device is not the caller's (a browser of the console names none).

        The attempt is under way for its address at once, and for its e-mail only once the
        device is proven: a call refused before the password is checked counts against the
        address, never against the e-mail, so naming another's device cannot lock its owner
        out, and costs the caller its address's budget.
        """
        now = utcnow()
        with self.store.connection() as connection:
            attempt = connection.execute(
                insert(AUDIT)
                .values(at=now, event="sign_in_attempt", device_id=device_id, address=address)
                .returning(AUDIT.c.id)
            ).scalar_one()
            connection.commit()
            by_address = AUDIT.c.address == address
            self._limit(
                connection, attempt, ("address", address), by_address, ADDRESS_MAX_FAILURES, now
            )
            unproven = (
                check_key(connection, device_id, device_key)
                if device_id is not None and device_key is not None
                else None
            )
            if unproven is not None:
                self._settle(attempt, "sign_in_unproven", unproven.code, connection, email)
                raise unproven
            self._settle(attempt, "sign_in_attempt", None, connection, email)
            account = connection.execute(
                select(ACCOUNTS.c.id, ACCOUNTS.c.password_hash).where(ACCOUNTS.c.email == email)
            ).first()
            familiar = account is not None and known(
                connection, account.id, email, device_id, address, now
            )
            # A client the account knows has a budget of its own, so that nobody who knows
            # an e-mail can keep its owner out; every other client shares the e-mail's.
            by_email = (
                (AUDIT.c.subject == email) & by_address if familiar else AUDIT.c.subject == email
            )
            if limit_email:  # not with the one-time code mailed to the owner
                key = ("pair", email, address)
                self._limit(connection, attempt, key, by_email, SIGN_IN_MAX_FAILURES, now)
        return _Admitted(
            attempt,
            account.id if account else None,
            account.password_hash if account else None,
        )

    def _limit(
        self,
        connection: Connection,
        attempt: int,
        key: tuple[str, ...],
        scope: Any,
        most: int,
        now: datetime,
    ) -> None:
        """Refuse the attempt (429, the limit named in its reason) if ``scope`` is over
        ``most`` failures; an address counts the calls refused before the password too."""
        failures = ADDRESS_FAILURES if key[0] == "address" else EMAIL_FAILURES
        retry_after = over(connection, scope, failures, most, now)
        if retry_after is None:
            return
        self._settle(attempt, "sign_in_limited", ErrorCode.RATE_LIMITED, connection)
        self._held_back.hold(key, retry_after)
        raise limited(key, retry_after)

    def _link(
        self, attempt: int, account_id: int, device_id: str, key: str, name: str | None
    ) -> None:
        for _attempt in range(RETRIES):
            with self.store.connection() as connection:
                unproven = check_key(connection, device_id, key)
                if unproven is not None:  # another device took the id since the admission
                    self._settle(attempt, "sign_in_unproven", unproven.code, connection)
                    raise unproven
                now = utcnow()  # a sign-in is a contact, for the account console
                linked = connection.execute(
                    update(DEVICES)
                    .where(DEVICES.c.id == device_id)
                    .values(
                        account_id=account_id,
                        last_seen_at=now,
                        **({"name": name} if name else {}),
                    )
                ).rowcount
                try:
                    if not linked:
                        connection.execute(
                            INSERT_DEVICE,
                            {
                                "id": device_id,
                                "first_seen_at": now,
                                "last_seen_at": now,
                                "name": name,
                                "account_id": account_id,
                                "public_key": key,
                            },
                        )
                except IntegrityError:
                    connection.rollback()  # the device appeared meanwhile; update it instead
                    continue
                register_key(connection, device_id, key)  # a device from before keys
                self._settle(attempt, "sign_in", None, connection)
                return
        raise DomainError(ErrorCode.INTERNAL_ERROR, "The sign-in could not be completed.")

    def _settle(
        self,
        attempt: int,
        event: str,
        error: ErrorCode | None,
        connection: Connection | None = None,
        subject: str | None = None,
    ) -> None:
        if connection is None:
            with self.store.connection() as own:
                settle(own, attempt, event, error, subject)
        else:
            settle(connection, attempt, event, error, subject)
