"""What the server does, without HTTP: issue, activate, check reserves, deactivate, sign in.

Each public function is a short transaction or a few. Refusals are written to the audit log and
raised as DomainError; routes only translate them to HTTP.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from typing import Any

import anyio.to_thread
import jwt
from sqlalchemy import (
    Connection,
    Engine,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import (
    MAX_TERM,
    CodeFacts,
    CurrentLicense,
    LicenseState,
    LicenseType,
    check_activation,
    check_reserve_code,
    check_reserve_slot,
    parse_version_spec,
    save_action,
)
from app.server.db import WAIT_SECONDS, DatabaseBusy, session_factory, write_gate
from app.server.models import Account, Activation, AuditEvent, Code, Device
from app.server.records import (
    Activated,
    ActivationResult,
    CodeRecord,
    ReserveCheck,
    Seat,
    iso,
    license_info,
    normalize_email,
)
from app.server.secrets import (
    CodeHasher,
    KeyRing,
    ensure_server_keys,
    has_sealed_secrets,
    hash_password,
    verify_password,
)
from app.server.tables import (
    ACCOUNTS,
    AUDIT,
    CODES,
    DEVICES,
    INSERT_AUDIT,
    INSERT_DEVICE,
    INSERT_SEAT,
    SEATS,
    SELECT_CODE_FOR_UPDATE,
    SELECT_DEVICE_AND_SEAT,
    TAKE_SEAT,
)
from app.server.vault import Vault, default_secret_path
from app.server.writer import BatchWriter

SIGN_IN_WINDOW = timedelta(minutes=10)
SIGN_IN_MAX_FAILURES = 5
SIGN_IN_STALE = timedelta(minutes=1)
_RETRIES = 8


@cache
def _dummy_password_hash() -> str:
    return hash_password(secrets.token_hex(16))


def utcnow() -> datetime:
    return datetime.now(UTC)


class Services:
    """The server's state shared by every request: sessions, the code hasher, the keys."""

    def __init__(self, engine: Engine, vault: Vault | None = None) -> None:
        """``vault`` defaults to the secret file for this database (see app.server.vault)."""
        self.engine = engine
        self.factory = session_factory(engine)
        # A database whose keys are sealed already must not get a new, useless secret file.
        self.vault = vault or Vault.from_file(
            default_secret_path(engine.url), create=not has_sealed_secrets(self.factory)
        )
        self._gate = write_gate(engine)
        self._writer = BatchWriter(engine, self._gate.blocking) if self._gate else None
        self.hasher = CodeHasher(ensure_server_keys(self.factory, self.vault))
        self.keys = KeyRing(engine, self.vault)
        self.keys.jwks()  # every signing key must open with this secret file, now

    def close(self) -> None:
        """Finish queued writes and close the database connections."""
        if self._writer is not None:
            self._writer.close()
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """An ORM session, inside the SQLite write gate where there is one."""
        with self._gate() if self._gate else nullcontext(), self.factory() as session:
            yield session

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A Core connection for the hot path, inside the write gate where there is one."""
        with self._gate() if self._gate else nullcontext(), self.engine.connect() as connection:
            yield connection

    # --- helpers -----------------------------------------------------------------------------

    def _refuse(
        self,
        session: Session | Connection,
        error: DomainError,
        *,
        event: str,
        code: CodeRecord | None = None,
        last5: str | None = None,
        device_id: str | None = None,
        subject: str | None = None,
        commit: bool = True,
    ) -> DomainError:
        """Record a refusal in the audit log and hand back the error to raise.

        Every refusal comes before any write of its transaction, so committing here stores
        the audit row and nothing else.
        """
        code_id, last5 = (code.id, code.last5) if code else (None, last5)
        session.execute(
            insert(AUDIT).values(
                at=utcnow(),
                event=event,
                code_id=code_id,
                code_last5=last5,
                device_id=device_id,
                subject=subject,
                error_code=error.code.value,
                detail={"message": error.message},
            )
        )
        if commit:
            session.commit()
        return error

    def _record_refusal(
        self,
        error: DomainError,
        *,
        event: str,
        device_id: str | None = None,
        last5: str | None = None,
    ) -> DomainError:
        """_refuse outside any transaction of the caller's."""
        with self._connection() as connection:
            return self._refuse(connection, error, event=event, device_id=device_id, last5=last5)

    @staticmethod
    def _facts(code: CodeRecord) -> CodeFacts:
        return CodeFacts(
            type=LicenseType(code.type),
            term=timedelta(seconds=code.term_seconds),
            max_devices=code.max_devices,
            devices_used=code.devices_used,
            valid_until=code.valid_until,
            first_activated_at=code.first_activated_at,
            blocked=code.blocked,
            requires_account=code.requires_account,
            app_versions=code.app_versions,
        )

    def _license_token(self, code: CodeRecord, seat: Seat) -> str:
        assert code.first_activated_at is not None
        expires_at = code.first_activated_at + timedelta(seconds=code.term_seconds)
        return self.keys.sign(
            {
                "sub": seat.device_id,
                "lid": seat.id,
                "type": code.type,
                "max_devices": code.max_devices,
                "activated_at": int(code.first_activated_at.timestamp()),
                "device_activated_at": int(seat.activated_at.timestamp()),
                "expires_at": int(expires_at.timestamp()),
                "code_last5": code.last5,
                "requires_account": code.requires_account,
                "iat": int(utcnow().timestamp()),
            }
        )

    def read_license(self, token: str, device_id: str | None = None) -> dict[str, Any]:
        """Claims of a license token this server signed (for ``device_id`` when given)."""
        try:
            claims = self.keys.verify(token)
        except jwt.InvalidTokenError:
            raise self._record_refusal(
                DomainError(
                    ErrorCode.UNAUTHORIZED, "The license was not signed by this activation server."
                ),
                event="license_refused",
                device_id=device_id,
            ) from None
        if device_id is not None and claims["sub"] != device_id:
            raise self._record_refusal(
                DomainError(ErrorCode.UNAUTHORIZED, "The license belongs to another device."),
                event="license_refused",
                device_id=device_id,
                last5=claims.get("code_last5"),
            )
        return claims

    # --- operator actions ---------------------------------------------------------------------

    def issue_codes(
        self,
        *,
        license_type: LicenseType,
        term_seconds: int,
        max_devices: int = 1,
        valid_until: datetime | None = None,
        app_versions: str = "",
        requires_account: bool = False,
        count: int = 1,
    ) -> list[str]:
        if max_devices < 1:
            raise ValueError("a code must cover at least one device")
        if not 1 <= term_seconds <= MAX_TERM.total_seconds():
            raise ValueError(f"the term must be between 1 second and {MAX_TERM.days} days")
        parse_version_spec(app_versions)
        now = utcnow()
        valid_until = valid_until or now + timedelta(days=365)
        if valid_until > now + MAX_TERM:
            raise ValueError(f"valid until must be within {MAX_TERM.days} days from now")
        issued = [codes.generate() for _ in range(count)]
        with self._session() as session, session.begin():
            for code in issued:
                session.add(
                    Code(
                        code_hash=self.hasher.digest_text(code),
                        last5=codes.suffix(code),
                        type=license_type.value,
                        term_seconds=term_seconds,
                        max_devices=max_devices,
                        devices_used=0,
                        valid_until=valid_until,
                        app_versions=app_versions,
                        requires_account=requires_account,
                        blocked=False,
                        created_at=now,
                    )
                )
            session.add(
                AuditEvent(at=now, event="issue", detail={"count": count, "type": license_type})
            )
        return issued

    def _operator_code(self, session: Session, text: str) -> Code:
        digest = self.hasher.digest_text(text)
        code = session.scalars(
            select(Code).where(Code.code_hash == digest).with_for_update()
        ).first()
        if code is None:
            raise DomainError(ErrorCode.CODE_NOT_FOUND)
        return code

    def block_code(self, text: str) -> bool:
        """Block a code; False when it was blocked already."""
        with self._session() as session, session.begin():
            code = self._operator_code(session, text)
            if code.blocked:
                return False
            code.blocked = True
            session.add(
                AuditEvent(at=utcnow(), event="block", code_id=code.id, code_last5=code.last5)
            )
            return True

    def code_info(self, text: str) -> dict[str, Any]:
        """What ``codes show`` prints: the license facts plus the operator's own."""
        with self._session() as session, session.begin():
            code = CodeRecord.of(self._operator_code(session, text))
        return {
            **license_info(code, utcnow()),
            "first_activated_at": iso(code.first_activated_at),
            "app_versions": code.app_versions,
        }

    def create_account(self, email: str, password: str) -> None:
        email = normalize_email(email)
        if len(password) < 8:
            raise ValueError("the password must be at least 8 characters long")
        password_hash = hash_password(password)  # slow: not while holding the database
        with self._session() as session:
            session.add(Account(email=email, password_hash=password_hash, created_at=utcnow()))
            try:
                session.commit()
            except IntegrityError as exc:
                raise ValueError(f"an account for {email} exists already") from exc

    # --- device actions -----------------------------------------------------------------------

    def activate(self, text: str, device_id: str, app_version: str) -> ActivationResult:
        """Activate ``text`` on ``device_id``: a new seat, or the one the device holds already."""
        for _attempt in range(_RETRIES):
            with self._connection() as connection:
                try:
                    activated = self._activation(connection, text, device_id, app_version)
                except DomainError:
                    connection.commit()  # the refusal's audit row
                    raise
                except IntegrityError:
                    # Another request created this device or this very seat at the same
                    # moment; the next attempt sees its row and returns that seat.
                    continue
                connection.commit()
            return self._signed(activated)
        raise DomainError(ErrorCode.INTERNAL_ERROR, "The activation could not be completed.")

    async def activate_async(self, text: str, device_id: str, app_version: str) -> ActivationResult:
        """activate() for the event loop: on SQLite through the batching writer thread."""
        if self._writer is None:
            return await anyio.to_thread.run_sync(self.activate, text, device_id, app_version)
        job = partial(self._activation, text=text, device_id=device_id, app_version=app_version)
        try:
            activated: Activated = await asyncio.wait_for(
                asyncio.wrap_future(self._writer.submit(job)), timeout=2 * WAIT_SECONDS
            )
        except TimeoutError:
            raise DatabaseBusy("the database writer is behind") from None
        return self._signed(activated)

    def _signed(self, activated: Activated) -> ActivationResult:
        return ActivationResult(
            token=self._license_token(activated.code, activated.seat),
            created=activated.created,
            info=license_info(activated.code, activated.now),
        )

    def _activation(
        self, connection: Connection, text: str, device_id: str, app_version: str
    ) -> Activated:
        """The hot path, in prebuilt Core statements, on the caller's transaction.

        Refusals are recorded and raised before anything else is written, so the caller
        may commit either way; the caller commits.
        """
        try:
            normalized = codes.normalize(text)
        except codes.InvalidCodeFormat as exc:
            raise self._refuse(
                connection,
                DomainError(ErrorCode.INVALID_FORMAT, str(exc)),
                event="activation_refused",
                device_id=device_id,
                commit=False,
            ) from None
        row = connection.execute(
            SELECT_CODE_FOR_UPDATE, {"digest": self.hasher.digest(normalized)}
        ).first()
        if row is None:
            raise self._refuse(
                connection,
                DomainError(ErrorCode.CODE_NOT_FOUND),
                event="activation_refused",
                last5=normalized[-5:],
                device_id=device_id,
                commit=False,
            )
        code = CodeRecord.of(row)
        # Read the clock once the code is locked: a wait for the lock cannot make an
        # activation slip past valid_until. Licenses carry whole seconds; so does the row.
        now = utcnow().replace(microsecond=0)
        known = connection.execute(
            SELECT_DEVICE_AND_SEAT, {"code": code.id, "device": device_id}
        ).first()
        seat = Seat(known.id, device_id, known.activated_at) if known and known.id else None
        try:
            check_activation(
                self._facts(code),
                now=now,
                app_version=app_version,
                device_has_seat=seat is not None,
                device_has_account=known is not None and known.account_id is not None,
            )
        except DomainError as error:
            raise self._refuse(
                connection,
                error,
                event="activation_refused",
                code=code,
                device_id=device_id,
                commit=False,
            ) from None
        created = seat is None
        if seat is None:
            first_activated_at = code.first_activated_at or now
            taken = connection.execute(TAKE_SEAT, {"code": code.id, "first": first_activated_at})
            if taken.rowcount != 1:  # the lock makes this unreachable; the database agrees
                raise self._refuse(
                    connection,
                    DomainError(ErrorCode.DEVICE_LIMIT_REACHED),
                    event="activation_refused",
                    code=code,
                    device_id=device_id,
                    commit=False,
                )
            if known is None:
                connection.execute(INSERT_DEVICE, {"id": device_id, "first_seen_at": now})
            code = replace(
                code, devices_used=code.devices_used + 1, first_activated_at=first_activated_at
            )
            seat = Seat(secrets.token_hex(16), device_id, now)
            connection.execute(
                INSERT_SEAT,
                {
                    "id": seat.id,
                    "code_id": code.id,
                    "device_id": device_id,
                    "activated_at": now,
                    "app_version": app_version,
                },
            )
        connection.execute(
            INSERT_AUDIT,
            {
                "at": now,
                "event": "activation" if created else "activation_repeated",
                "code_id": code.id,
                "code_last5": code.last5,
                "device_id": device_id,
            },
        )
        return Activated(code, seat, created, now)

    def check_reserve(
        self,
        text: str,
        *,
        device_id: str,
        app_version: str,
        current_license: str | None,
        saved_reserve: str | None,
        replace_reserve: bool = False,
    ) -> ReserveCheck:
        """Section 3: should this code be activated now, kept as the reserve, or refused?

        With ``replace_reserve`` the device asks whether this code may take the place of
        its saved reserve: it is checked in full, as if no reserve were saved (the device
        swaps them only on acceptance, so the old reserve is never lost to a bad code).
        """
        event = "reserve_refused"
        try:
            normalized = codes.normalize(text)
        except codes.InvalidCodeFormat as exc:
            raise self._record_refusal(
                DomainError(ErrorCode.INVALID_FORMAT, str(exc)), event=event, device_id=device_id
            ) from None
        claims = self.read_license(current_license, device_id) if current_license else None
        try:
            reserve_normalized = codes.normalize(saved_reserve) if saved_reserve else None
        except codes.InvalidCodeFormat:
            reserve_normalized = None  # a garbled saved reserve is still a saved reserve
        digest = self.hasher.digest(normalized)
        now = utcnow()
        with self._session() as session:
            current: CurrentLicense | None = None
            current_hash: bytes | None = None
            if claims is not None:
                held = session.execute(
                    select(CODES.c.code_hash, CODES.c.blocked)
                    .join(SEATS, SEATS.c.code_id == CODES.c.id)
                    .where(SEATS.c.id == claims["lid"], SEATS.c.device_id == claims["sub"])
                ).first()
                if held is not None:
                    current_hash = held.code_hash
                    current = CurrentLicense(
                        type=LicenseType(claims["type"]),
                        expires_at=datetime.fromtimestamp(claims["expires_at"], UTC),
                        blocked=held.blocked,
                    )
            if current is None or save_action(current, now) == "activate":
                session.commit()
                return ReserveCheck(action="activate")
            try:
                check_reserve_slot(
                    current,
                    is_current_code=digest == current_hash,
                    is_saved_reserve=reserve_normalized == normalized,
                    reserve_saved=saved_reserve is not None,
                    replacing=replace_reserve,
                )
            except DomainError as error:
                raise self._refuse(
                    session, error, event=event, last5=normalized[-5:], device_id=device_id
                ) from None
            row = session.execute(select(CODES).where(CODES.c.code_hash == digest)).first()
            if row is None:
                raise self._refuse(
                    session,
                    DomainError(ErrorCode.CODE_NOT_FOUND),
                    event=event,
                    last5=normalized[-5:],
                    device_id=device_id,
                )
            code = CodeRecord.of(row)
            has_seat = (
                session.execute(
                    select(SEATS.c.id).where(
                        SEATS.c.code_id == code.id, SEATS.c.device_id == device_id
                    )
                ).first()
                is not None
            )
            try:
                expiry = check_reserve_code(
                    current,
                    self._facts(code),
                    now=now,
                    app_version=app_version,
                    device_has_seat=has_seat,
                )
            except DomainError as error:
                raise self._refuse(
                    session, error, event=event, code=code, device_id=device_id
                ) from None
            info = {
                **license_info(code, now),
                "expires_at": expiry.isoformat(),
                "takes_over_at": max(current.expires_at, now).isoformat(),
                "replaces_reserve": replace_reserve and saved_reserve is not None,
            }
            session.add(
                AuditEvent(
                    at=now,
                    event="reserve_accepted",
                    code_id=code.id,
                    code_last5=code.last5,
                    device_id=device_id,
                )
            )
            session.commit()
            return ReserveCheck(action="reserve", info=info)

    def deactivate(self, token: str) -> bool:
        """Free the seat of this license; False when it was freed before."""
        claims = self.read_license(token)
        lid, device_id = claims["lid"], claims["sub"]
        with self._connection() as connection:
            seat = connection.execute(
                select(SEATS.c.code_id).where(SEATS.c.id == lid, SEATS.c.device_id == device_id)
            ).first()
            # Only the request whose DELETE removed the row gives the seat back: on
            # PostgreSQL a concurrent one waits for the row and then deletes nothing.
            freed = (
                seat is not None
                and connection.execute(
                    delete(SEATS).where(SEATS.c.id == lid, SEATS.c.device_id == device_id)
                ).rowcount
                == 1
            )
            if freed:
                assert seat is not None
                connection.execute(
                    update(CODES)
                    .where(CODES.c.id == seat.code_id)
                    .values(devices_used=CODES.c.devices_used - 1)
                )
            connection.execute(
                INSERT_AUDIT,
                {
                    "at": utcnow(),
                    "event": "deactivation" if freed else "deactivation_repeated",
                    "code_id": seat.code_id if seat else None,
                    "code_last5": claims.get("code_last5"),
                    "device_id": device_id,
                },
            )
            connection.commit()
        return freed

    def status(self, token: str) -> dict[str, Any]:
        """The license's state as the server sees it now, with a freshly signed token."""
        claims = self.read_license(token)
        now = utcnow()
        with self._session() as session, session.begin():
            seat = session.get(Activation, claims["lid"])
            device = session.get(Device, claims["sub"])
            account = (
                session.get(Account, device.account_id) if device and device.account_id else None
            )
            result: dict[str, Any] = {
                "checked_at": now.isoformat(),
                "account": account.email if account else None,
            }
            if seat is None or seat.device_id != claims["sub"]:
                return {**result, "seat": False, "state": LicenseState.NONE.value}
            row = session.get(Code, seat.code_id)
            assert row is not None
            code = CodeRecord.of(row)
            held = Seat(seat.id, seat.device_id, seat.activated_at)
        # Signed after the transaction: signing may re-read the keys, which must not wait
        # for the write lock this thread would still hold.
        return {
            **result,
            "seat": True,
            **license_info(code, now),
            "license": self._license_token(code, held),
        }

    def sign_in(self, email: str, password: str, device_id: str) -> str:
        """Link ``device_id`` to the account; returns the account's e-mail.

        The attempt is recorded before it is counted, so however many guesses arrive at
        once, at most SIGN_IN_MAX_FAILURES of them within the window reach the password
        check. The slow password hash runs outside any transaction.
        """
        email = normalize_email(email)
        now = utcnow()
        with self._connection() as connection:
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
                self._settle_attempt(connection, attempt, "sign_in_limited", ErrorCode.RATE_LIMITED)
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
            with self._connection() as connection:
                self._settle_attempt(connection, attempt, "sign_in_refused", ErrorCode.UNAUTHORIZED)
            raise DomainError(ErrorCode.UNAUTHORIZED, "The e-mail or the password is wrong.")
        for _attempt in range(_RETRIES):
            with self._connection() as connection:
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
                self._settle_attempt(connection, attempt, "sign_in", None)
                return email
        raise DomainError(ErrorCode.INTERNAL_ERROR, "The sign-in could not be completed.")

    @staticmethod
    def _settle_attempt(
        connection: Connection, attempt: int, event: str, error: ErrorCode | None
    ) -> None:
        connection.execute(
            update(AUDIT)
            .where(AUDIT.c.id == attempt)
            .values(event=event, error_code=error.value if error else None)
        )
        connection.commit()
