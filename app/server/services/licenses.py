"""Licenses: signing a seat into a token, reading tokens back, status and deactivation."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import protocol
from app.domain.errors import (
    REASON_NOT_SIGNED,
    REASON_NOT_YET_VALID,
    REASON_OTHER_DEVICE,
    REASON_SEAT_FREED,
    DomainError,
    ErrorCode,
)
from app.domain.license import CodeFacts, LicenseState
from app.server.models import AccountRow, ActivationRow, CodeRow, DeviceRow, FreedSeatRow
from app.server.records import Seat, code_of, fields_of, license_facts
from app.server.secrets import KeyRing
from app.server.services import reserve_offers
from app.server.services.audit import Audit
from app.server.services.devices import other_key, register_key, usable_name
from app.server.services.seats import SEATS_OF_DEVICE, free_seat
from app.server.services.store import Store, utcnow
from app.server.tables import ACCOUNTS, DEVICES, INSERT_AUDIT, SEATS


class Licenses:
    def __init__(self, store: Store, audit: Audit, keys: KeyRing) -> None:
        self.store = store
        self.audit = audit
        self.keys = keys

    def sign(self, code: CodeFacts, seat: Seat) -> str:
        """The license token of ``seat`` of ``code``: a seat in use, or one held for a
        reserve, whose license is signed ahead (``held``: it starts at ``nbf``).

        Beside its own claims it carries JWT's time claims (RFC 7519), so any JOSE library
        that checks it enforces them: ``nbf`` the seat's start, ``exp`` the license's end,
        ``iat`` now, and a ``jti`` of its own.
        """
        start = seat.starts_at
        started = code.started(start)
        assert started.first_activated_at is not None
        assert started.expires_at is not None
        first = started.first_activated_at
        expires_at = int(started.expires_at.timestamp())
        claims: dict[str, Any] = {
            "sub": seat.device_id,
            "lid": seat.id,
            "jti": secrets.token_hex(12),
            "type": code.type.value,
            "max_devices": code.max_devices,
            "activated_at": int(first.timestamp()),
            "device_activated_at": int(start.timestamp()),
            "expires_at": expires_at,
            "code_last5": code.last5,
            "requires_account": code.requires_account,
            "iat": int(utcnow().timestamp()),
            "nbf": int(start.timestamp()),
            "exp": expires_at,
        }
        if seat.held_from is not None:
            claims["held"] = True
        return self.keys.sign(claims)

    def read(self, token: str, device_id: str | None = None) -> dict[str, Any]:
        """Claims of a license token this server signed (for ``device_id`` when given)."""
        try:
            claims = self.keys.verify(token)
        except jwt.InvalidTokenError:
            raise self.audit.record_refusal(
                DomainError(
                    ErrorCode.UNAUTHORIZED,
                    "The license was not signed by this activation server.",
                    reason=REASON_NOT_SIGNED,
                ),
                event="license_refused",
                device_id=device_id,
            ) from None
        if device_id is not None and claims["sub"] != device_id:
            raise self.audit.record_refusal(
                DomainError(
                    ErrorCode.UNAUTHORIZED,
                    "The license belongs to another device.",
                    reason=REASON_OTHER_DEVICE,
                ),
                event="license_refused",
                device_id=device_id,
                last5=claims.get("code_last5"),
            )
        return claims

    def deactivate(self, token: str, key: str) -> bool:
        """Free the seat of this license (its device signed with ``key``); False when it was
        freed before."""
        claims = self.read(token)
        lid, device_id = claims["lid"], claims["sub"]
        with self.store.connection() as connection:
            self.audit.prove(connection, device_id, key, event="deactivation_refused")
            seat = connection.execute(
                select(SEATS.c.code_id).where(SEATS.c.id == lid, SEATS.c.device_id == device_id)
            ).first()
            freed = seat is not None and free_seat(connection, lid, device_id, seat.code_id)
            register_key(connection, device_id, key)  # accepted: a device from before keys
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

    def status(self, request: protocol.StatusRequest, key: str) -> protocol.Status:
        """The license's state as the server sees it now, with a freshly signed token. A
        device from before keys registers ``key`` (the one its call was signed with) when
        the answer is not a refusal;
        a name sent replaces the device's (one that cannot be a name is ignored); the
        account's reserve for the device comes with it until the device has it."""
        claims = self.read(request.license)
        now = utcnow()
        with self.store.session() as session, session.begin():
            self.audit.prove(session, claims["sub"], key, event="license_refused")
            seat = session.get(ActivationRow, claims["lid"])
            device = session.get(DeviceRow, claims["sub"])
            email = _seen(session, device, request.device_name, now)
            if seat is None or seat.device_id != claims["sub"]:
                _accepted(device, key)
                freed = session.get(FreedSeatRow, claims["lid"])
                return protocol.Status(
                    checked_at=now,
                    account=email,
                    seat=False,
                    state=LicenseState.NONE,
                    reason=REASON_SEAT_FREED if freed is not None else None,
                )
            row = session.get(CodeRow, seat.code_id, with_for_update=seat.held_from is not None)
            assert row is not None
            if seat.held_from is not None:  # a license signed ahead: has it started?
                self._confirm_started(session, seat, row, now)
            _accepted(device, key)
            code = code_of(row)
            held = Seat(seat.id, seat.device_id, seat.activated_at)
            reserve = reserve_offers.offer(
                session.connection(),
                seat.device_id,
                device.account_id if device else None,
                request.reserve_seat,
                request.reserve_saved,
                now,
            )
        # Signed after the transaction: signing may re-read the keys, which must not wait
        # for the write lock this thread would still hold.
        return protocol.Status(
            checked_at=now,
            account=email,
            seat=True,
            **fields_of(license_facts(code, now)),
            license=self.sign(code, held),
            reserve=self._signed_ahead(reserve.code, reserve.seat, now) if reserve else None,
            replaces_reserve=bool(reserve and reserve.replace),
        )

    def _confirm_started(
        self, session: Session, seat: ActivationRow, row: CodeRow, now: datetime
    ) -> None:
        """A held seat whose license's start has come took over on the device (perhaps with
        no network): confirmed now, as if it had been activated online at its start. One
        whose start is still to come is refused."""
        assert seat.held_from is not None
        if seat.held_from > now:
            raise self.audit.refuse(
                session,
                DomainError(
                    ErrorCode.UNAUTHORIZED,
                    "This license is held for later: it starts when the current one ends.",
                    reason=REASON_NOT_YET_VALID,
                ),
                event="license_refused",
                device_id=seat.device_id,
                last5=row.last5,
            )
        seat.activated_at, seat.held_from = seat.held_from, None
        if row.first_activated_at is None or row.first_activated_at > seat.activated_at:
            row.first_activated_at = seat.activated_at

    def _signed_ahead(self, code: CodeFacts, seat: Seat, now: datetime) -> protocol.DeviceSeat:
        """A held seat as a device gets it: its license signed ahead, and the expiry it will
        give, taking over as planned."""
        assert seat.held_from is not None
        facts = fields_of(license_facts(code, now))
        facts["expires_at"] = code.started(seat.held_from).expires_at
        return protocol.DeviceSeat(
            **facts, license=self.sign(code, seat), held=True, takes_over_at=seat.held_from
        )

    def restore(self, device_id: str, key: str) -> protocol.Restored:
        """Every seat ``device_id`` holds, its license signed now (a held seat's signed
        ahead, as when it was held): what a device that lost its own record of them gets
        back. Only the device may ask: the key that signed the call must be the one it
        registered (a device that never registered one cannot be told apart from anyone)."""
        now = utcnow()
        with self.store.connection() as connection:
            device = connection.execute(
                select(DEVICES.c.public_key, ACCOUNTS.c.email)
                .outerjoin(ACCOUNTS, ACCOUNTS.c.id == DEVICES.c.account_id)
                .where(DEVICES.c.id == device_id)
            ).first()
            if device is None:  # nothing held: nothing to protect either
                return protocol.Restored(checked_at=now, account=None, seats=[])
            if device.public_key != key:
                raise self.audit.refuse(
                    connection, other_key(), event="restore_refused", device_id=device_id
                )
            rows = connection.execute(SEATS_OF_DEVICE, {"device": device_id}).all()
            connection.execute(
                INSERT_AUDIT, {"at": now, "event": "restore", "device_id": device_id}
            )
            connection.commit()
        seats = []
        for row in rows:  # signed after the transaction, as in status
            code, held_from = code_of(row), row.seat_held_from
            seat = Seat(row.seat_id, device_id, row.seat_activated_at, held_from)
            if held_from is not None:
                seats.append(self._signed_ahead(code, seat, now))
                continue
            seats.append(
                protocol.DeviceSeat(
                    **fields_of(license_facts(code, now)),
                    license=self.sign(code, seat),
                    held=False,
                )
            )
        return protocol.Restored(checked_at=now, account=device.email, seats=seats)


def _seen(
    session: Session, device: DeviceRow | None, name: str | None, now: datetime
) -> str | None:
    """The e-mail address of the device's account, if any; the device's last contact (and
    the name it sent, if it can be one) kept for the account console."""
    account = session.get(AccountRow, device.account_id) if device and device.account_id else None
    if device is not None:
        device.last_seen_at = now
        device.name = usable_name(name) or device.name
    return account.email if account else None


def _accepted(device: DeviceRow | None, key: str) -> None:
    """A device from before keys keeps the key of its first accepted call."""
    if device is not None and device.public_key is None:
        device.public_key = key
