"""Accounts: creating one, and signing a device in to it, with failures rate-limited."""

from __future__ import annotations

import math
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import anyio
import anyio.to_thread
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.errors import DomainError, ErrorCode
from app.server.models import Account
from app.server.records import normalize_email
from app.server.secrets import hash_password, verify_password
from app.server.services.devices import check_key, usable_name
from app.server.services.store import RETRIES, Store, utcnow
from app.server.tables import ACCOUNTS, AUDIT, DEVICES, INSERT_DEVICE

SIGN_IN_WINDOW = timedelta(minutes=10)
#: Failed sign-ins within the window: for an e-mail from clients it does not know (and so for
#: password guessing), and for one known client and the e-mail.
SIGN_IN_MAX_FAILURES = 5
#: Failed sign-ins within the window from one address, whatever the e-mails.
ADDRESS_MAX_FAILURES = 20
SIGN_IN_STALE = timedelta(minutes=1)
#: A client is known to an account when its device is linked to it, or when its address
#: signed in to it successfully within this time.
KNOWN_FOR = timedelta(days=90)
#: Password hashes at once in one process (each takes 32 MiB and a core for about 0.1 s):
#: half the cores, so the rest of the API keeps the others; and sign-ins that may wait for
#: one before the next is told to come back later.
HASHES_AT_ONCE = max(1, (os.cpu_count() or 2) // 2)
HASHES_WAITING = 32


@cache
def _dummy_password_hash() -> str:
    return hash_password(secrets.token_hex(16))


class _HeldBack:
    """Clients this process refused lately for a limit, refused again without asking the
    database until their wait is over, so a flood of sign-ins costs no writes (and no audit
    rows). Keyed by address, or by e-mail and address. Bounded: when full of live entries,
    the database decides as before."""

    MOST = 100_000

    def __init__(self) -> None:
        self._until: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: tuple[str, ...]) -> int | None:
        now = time.monotonic()
        with self._lock:
            waits = [self._until.get(key, now) - now for key in keys]
        longest = max(waits, default=0.0)
        return max(1, math.ceil(longest)) if longest > 0 else None

    def hold(self, key: tuple[str, ...], seconds: int) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._until) >= self.MOST:
                self._until = {k: until for k, until in self._until.items() if until > now}
                if len(self._until) >= self.MOST:
                    return
            self._until[key] = now + seconds


@dataclass(frozen=True)
class _Admitted:
    attempt: int
    account_id: int | None
    password_hash: str | None


class Accounts:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._hashes: anyio.CapacityLimiter | None = None
        self._held_back = _HeldBack()

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

    async def sign_in(
        self,
        email: str,
        password: str,
        device_id: str,
        address: str,
        key: str,
        name: str | None = None,
    ) -> str:
        """Link ``device_id`` (the call signed with ``key``, named ``name`` when given) to the
        account; returns the account's e-mail. Another device's id is refused before any
        password is checked."""
        email = normalize_email(email)
        attempt, account_id = await self._authenticate(email, password, address, device_id, key)
        await anyio.to_thread.run_sync(
            self._link, attempt, account_id, device_id, key, usable_name(name)
        )
        return email

    async def sign_in_console(self, email: str, password: str, address: str) -> int:
        """The account whose e-mail and password these are, for a browser of the account
        console at ``address``: under the same limits as a device's sign-in."""
        email = normalize_email(email)
        attempt, account_id = await self._authenticate(email, password, address)
        await anyio.to_thread.run_sync(self._settle, attempt, "sign_in", None)
        return account_id

    async def _authenticate(
        self,
        email: str,
        password: str,
        address: str,
        device_id: str | None = None,
        key: str | None = None,
    ) -> tuple[int, int]:
        """The attempt's audit row and the account, once the password is checked.

        The attempt is recorded before it is counted, so however many guesses arrive at
        once, at most the limit of them within the window reach the password check. The
        database work runs on the server's threads; the password hash on threads of its own,
        at most HASHES_AT_ONCE at a time, so a flood of sign-ins neither fills the memory nor
        takes the threads the rest of the API answers on.
        """
        wait = self._held_back.wait(("address", address), ("pair", email, address))
        if wait is not None:
            raise DomainError(ErrorCode.RATE_LIMITED, retry_after=wait)
        admitted = await anyio.to_thread.run_sync(self._admit, email, device_id, address, key)
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

    def _admit(
        self, email: str, device_id: str | None, address: str, device_key: str | None
    ) -> _Admitted:
        """Record the attempt, then refuse it if a limit is reached (429, with how long) or
        the device is not the caller's (a browser of the console names no device)."""
        now = utcnow()
        with self.store.connection() as connection:
            attempt = connection.execute(
                insert(AUDIT)
                .values(
                    at=now,
                    event="sign_in_attempt",
                    subject=email,
                    device_id=device_id,
                    address=address,
                )
                .returning(AUDIT.c.id)
            ).scalar_one()
            connection.commit()
            unproven = (
                check_key(connection, device_id, device_key, register=False)
                if device_id is not None and device_key is not None
                else None
            )
            if unproven is not None:
                self._settle(attempt, "sign_in_refused", unproven.code, connection)
                raise unproven
            account = connection.execute(
                select(ACCOUNTS.c.id, ACCOUNTS.c.password_hash).where(ACCOUNTS.c.email == email)
            ).first()
            known = account is not None and _known(
                connection, account.id, email, device_id, address, now
            )
            # A client the account knows has a budget of its own, so that nobody who knows
            # an e-mail can keep its owner out; every other client shares the e-mail's.
            scopes = [
                (("address", address), AUDIT.c.address == address, ADDRESS_MAX_FAILURES),
                (
                    ("pair", email, address),
                    (AUDIT.c.subject == email) & (AUDIT.c.address == address)
                    if known
                    else AUDIT.c.subject == email,
                    SIGN_IN_MAX_FAILURES,
                ),
            ]
            for key, scope, most in scopes:
                retry_after = _over(connection, scope, most, now)
                if retry_after is not None:
                    self._settle(attempt, "sign_in_limited", ErrorCode.RATE_LIMITED, connection)
                    self._held_back.hold(key, retry_after)
                    raise DomainError(ErrorCode.RATE_LIMITED, retry_after=retry_after)
            connection.commit()
        return _Admitted(
            attempt,
            account.id if account else None,
            account.password_hash if account else None,
        )

    def _link(
        self, attempt: int, account_id: int, device_id: str, key: str, name: str | None
    ) -> None:
        for _attempt in range(RETRIES):
            with self.store.connection() as connection:
                unproven = check_key(connection, device_id, key)
                if unproven is not None:  # another device took the id since the admission
                    self._settle(attempt, "sign_in_refused", unproven.code, connection)
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
                self._settle(attempt, "sign_in", None, connection)
                return
        raise DomainError(ErrorCode.INTERNAL_ERROR, "The sign-in could not be completed.")

    def _settle(
        self,
        attempt: int,
        event: str,
        error: ErrorCode | None,
        connection: Connection | None = None,
    ) -> None:
        if connection is None:
            with self.store.connection() as own:
                _settle(own, attempt, event, error)
        else:
            _settle(connection, attempt, event, error)


def _known(
    connection: Connection,
    account_id: int,
    email: str,
    device_id: str | None,
    address: str,
    now: datetime,
) -> bool:
    """Whether the client is one the account knows: its device, or an address it used."""
    if device_id is not None:
        device = connection.execute(
            select(DEVICES.c.id).where(
                DEVICES.c.id == device_id, DEVICES.c.account_id == account_id
            )
        ).first()
        if device is not None:
            return True
    used = connection.execute(
        select(AUDIT.c.id)
        .where(
            AUDIT.c.address == address,
            AUDIT.c.subject == email,
            AUDIT.c.event == "sign_in",
            AUDIT.c.at > now - KNOWN_FOR,
        )
        .limit(1)
    ).first()
    return used is not None


def _over(connection: Connection, scope: Any, most: int, now: datetime) -> int | None:
    """Seconds to wait if the failures in ``scope`` (with the attempts still under way, which
    may yet fail) are over ``most``; None if not."""
    refused, oldest = connection.execute(
        select(func.count(), func.min(AUDIT.c.at)).where(
            scope, AUDIT.c.event == "sign_in_refused", AUDIT.c.at > now - SIGN_IN_WINDOW
        )
    ).one()
    # An attempt left behind by a request that died is forgotten after a minute.
    under_way = connection.execute(
        select(func.count()).where(
            scope, AUDIT.c.event == "sign_in_attempt", AUDIT.c.at > now - SIGN_IN_STALE
        )
    ).scalar_one()
    if refused + under_way <= most:
        return None
    if refused >= most:  # wait until the oldest failure ages out
        return max(1, int((oldest + SIGN_IN_WINDOW - now).total_seconds()) + 1)
    return 1  # only a burst of attempts at once: they settle within a second


def _settle(connection: Connection, attempt: int, event: str, error: ErrorCode | None) -> None:
    connection.execute(
        update(AUDIT)
        .where(AUDIT.c.id == attempt)
        .values(event=event, error_code=error.value if error else None)
    )
    connection.commit()
