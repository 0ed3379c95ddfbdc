"""One reserve for every device of an account (domain.md section 6, per account).

The user saves a code once in the account console. For each device it is checked in full,
as if entered there (section 3, behind that device's current license); a seat is held for
each device that passes, in order, while the code has seats; a device gets its license,
signed ahead, in the answer to its next status sync and installs it as its held reserve, so
it takes over with no network at that device's own expiry (:mod:`.reserve_offers`).

Per device the outcome is ``waiting`` (its seat held, the device not told yet), ``held``
(sent in a status answer) or ``refused`` (``reason``: an error code). A device that has a
reserve of its own keeps it (``reserve_already_set``) unless the user chooses to replace it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import (
    CodeFacts,
    CurrentLicense,
    check_reserve_code,
    check_reserve_slot,
    save_action,
)
from app.server.records import code_of
from app.server.secrets import CodeHasher
from app.server.services.seats import SEATS_OF_DEVICE, free_seat
from app.server.services.store import Store, utcnow
from app.server.tables import (
    ACCOUNT_RESERVES,
    CODES,
    DEVICES,
    HOLD_SEAT,
    INSERT_AUDIT,
    INSERT_SEAT,
    RESERVE_DEVICES,
    SEATS,
)

HELD, WAITING, REFUSED = "held", "waiting", "refused"
#: Why a device gets no reserve beside the error codes of section 3: it has no license for a
#: reserve to follow (none, a trial, expired or blocked: on the device, saving would activate
#: the code at once), or it freed the seat held for it itself.
NEEDS_LICENSE = "needs_license"
REMOVED_ON_DEVICE = "removed_on_device"


@dataclass(frozen=True)
class ReserveOnDevice:
    """What became of the account's reserve on one device."""

    device_id: str
    name: str | None
    state: str
    reason: str | None
    takes_over_at: datetime | None


@dataclass(frozen=True)
class AccountReserveView:
    code: CodeFacts
    devices: tuple[ReserveOnDevice, ...]


@dataclass
class Choose(Exception):
    """The code has fewer free seats than the account has devices: the user picks which."""

    seats: int
    devices: tuple[tuple[str, str | None], ...]


class AccountReserves:
    def __init__(self, store: Store, hasher: CodeHasher) -> None:
        self.store = store
        self.hasher = hasher

    def show(self, account_id: int) -> AccountReserveView | None:
        with self.store.connection() as connection:
            return _view(connection, account_id)

    def save(
        self,
        account_id: int,
        text: str,
        chosen: list[str] | None = None,
        now: datetime | None = None,
    ) -> AccountReserveView:
        """Save ``text`` as the account's reserve for its devices (``chosen`` ones, when the
        code has fewer free seats than there are devices: else :class:`Choose`). Refusals
        of the code itself (format, unknown, blocked, expired) raise DomainError."""
        now = now or utcnow()
        normalized = codes.normalize(text)  # InvalidCodeFormat: the console says so
        digest = self.hasher.digest(normalized)
        with self.store.connection() as connection:
            row = connection.execute(select(CODES).where(CODES.c.code_hash == digest)).first()
            if row is None:
                raise DomainError(ErrorCode.CODE_NOT_FOUND)
            code = code_of(row)
            if code.blocked:
                raise DomainError(ErrorCode.CODE_BLOCKED)
            if code.valid_until <= now:
                raise DomainError(ErrorCode.CODE_EXPIRED)
            devices = connection.execute(
                select(DEVICES.c.id, DEVICES.c.name)
                .where(DEVICES.c.account_id == account_id)
                .order_by(DEVICES.c.first_seen_at, DEVICES.c.id)
            ).all()
            free = code.max_devices - code.devices_used
            if chosen is None and free < len(devices):
                raise Choose(free, tuple((device.id, device.name) for device in devices))
            wanted = [d.id for d in devices if chosen is None or d.id in chosen]
            try:
                reserve_id = connection.execute(
                    insert(ACCOUNT_RESERVES)
                    .values(account_id=account_id, code_id=code.id, created_at=now)
                    .returning(ACCOUNT_RESERVES.c.id)
                ).scalar_one()
            except IntegrityError:  # one reserve per account: remove the other first
                connection.rollback()
                raise DomainError(ErrorCode.RESERVE_ALREADY_SET) from None
            connection.commit()
            assert code.id is not None
            for device_id in wanted:
                _place(connection, reserve_id, code.id, device_id, account_id, False, now)
                connection.commit()
            view = _view(connection, account_id)
        assert view is not None
        return view

    def replace_on(self, account_id: int, device_id: str, now: datetime | None = None) -> bool:
        """The user chose that the account's reserve replaces the device's own; False when
        there is no such device on the account's reserve."""
        now = now or utcnow()
        with self.store.connection() as connection:
            reserve = _reserve_of(connection, account_id)
            if reserve is None or not _linked(connection, account_id, device_id):
                return False
            _place(connection, reserve.id, reserve.code_id, device_id, account_id, True, now)
            connection.commit()
        return True

    def join(self, device_id: str, now: datetime | None = None) -> None:
        """A device newly linked to an account gets the account's reserve while seats
        remain."""
        now = now or utcnow()
        with self.store.connection() as connection:
            account_id = connection.execute(
                select(DEVICES.c.account_id).where(DEVICES.c.id == device_id)
            ).scalar()
            reserve = _reserve_of(connection, account_id) if account_id else None
            if reserve is None:
                return
            assert account_id is not None
            known = connection.execute(
                select(RESERVE_DEVICES.c.state).where(
                    RESERVE_DEVICES.c.reserve_id == reserve.id,
                    RESERVE_DEVICES.c.device_id == device_id,
                )
            ).first()
            if known is not None and known.state != REFUSED:
                return
            _place(connection, reserve.id, reserve.code_id, device_id, account_id, False, now)
            connection.commit()

    def remove(self, account_id: int) -> int:
        """Remove the account's reserve: every seat held for it is freed; how many."""
        with self.store.connection() as connection:
            reserve = _reserve_of(connection, account_id, lock=True)
            if reserve is None:
                return 0
            freed = 0
            for row in connection.execute(
                select(RESERVE_DEVICES.c.device_id, RESERVE_DEVICES.c.seat_id).where(
                    RESERVE_DEVICES.c.reserve_id == reserve.id,
                    RESERVE_DEVICES.c.seat_id.is_not(None),
                )
            ).all():
                held = connection.execute(
                    select(SEATS.c.held_from).where(SEATS.c.id == row.seat_id)
                ).first()
                if held is not None and held.held_from is not None:  # not started: freed
                    freed += free_seat(connection, row.seat_id, row.device_id, reserve.code_id)
            connection.execute(delete(ACCOUNT_RESERVES).where(ACCOUNT_RESERVES.c.id == reserve.id))
            connection.commit()
        return freed


# --- helpers -----------------------------------------------------------------------------------


def _reserve_of(connection: Connection, account_id: int, lock: bool = False) -> Any:
    query = select(ACCOUNT_RESERVES).where(ACCOUNT_RESERVES.c.account_id == account_id)
    return connection.execute(query.with_for_update() if lock else query).first()


def _linked(connection: Connection, account_id: int, device_id: str) -> bool:
    return (
        connection.execute(
            select(DEVICES.c.id).where(
                DEVICES.c.id == device_id, DEVICES.c.account_id == account_id
            )
        ).first()
        is not None
    )


def _place(
    connection: Connection,
    reserve_id: int,
    code_id: int,
    device_id: str,
    account_id: int,
    replace: bool,
    now: datetime,
) -> None:
    """Check the code for the device in full and hold it a seat (``replace``: in place of
    its own reserve); record the outcome."""
    code = code_of(
        connection.execute(select(CODES).where(CODES.c.id == code_id).with_for_update()).one()
    )
    state, reason, seat_id, start = REFUSED, None, None, None
    try:
        seat_id, start = _hold(connection, code, device_id, account_id, replace, now)
        state = WAITING
    except DomainError as error:
        reason = error.code.value
    except _NeedsLicense:
        reason = NEEDS_LICENSE
    values = {
        "state": state,
        "reason": reason,
        "seat_id": seat_id,
        "takes_over_at": start,
        "replace": replace,
        "updated_at": now,
    }
    updated = connection.execute(
        update(RESERVE_DEVICES)
        .where(RESERVE_DEVICES.c.reserve_id == reserve_id, RESERVE_DEVICES.c.device_id == device_id)
        .values(**values)
    ).rowcount
    if not updated:
        connection.execute(
            insert(RESERVE_DEVICES).values(reserve_id=reserve_id, device_id=device_id, **values)
        )


class _NeedsLicense(Exception):
    pass


def _hold(
    connection: Connection,
    code: CodeFacts,
    device_id: str,
    account_id: int,
    replace: bool,
    now: datetime,
) -> tuple[str, datetime]:
    """Section 3 for the device, then a seat held from its license's end; the seat's id and
    start. Under the code's lock (taken by the caller)."""
    seats = connection.execute(SEATS_OF_DEVICE, {"device": device_id}).all()
    started = [row for row in seats if row.seat_held_from is None]
    if not started:
        raise _NeedsLicense
    latest = max(started, key=_expiry)
    facts = code_of(latest).started(latest.seat_activated_at)
    assert facts.expires_at is not None
    current = CurrentLicense(type=facts.type, expires_at=facts.expires_at, blocked=facts.blocked)
    if save_action(current, now) == "activate":
        raise _NeedsLicense
    own = [row for row in seats if row.seat_held_from is not None]
    check_reserve_slot(
        current,
        is_current_code=latest.id == code.id,
        is_saved_reserve=any(row.id == code.id for row in own),
        reserve_saved=bool(own),
        replacing=replace,
    )
    check_reserve_code(
        current,
        code,
        now=now,
        app_version=latest.seat_app_version,
        device_has_seat=any(row.id == code.id for row in seats),
    )
    if connection.execute(HOLD_SEAT, {"code": code.id}).rowcount != 1:
        raise DomainError(ErrorCode.DEVICE_LIMIT_REACHED)
    if replace:  # the device's own reserve gives its seat back
        for row in own:
            free_seat(connection, row.seat_id, device_id, row.id)
    start = max(current.expires_at, now)
    seat_id = secrets.token_hex(16)
    connection.execute(
        INSERT_SEAT,
        {
            "id": seat_id,
            "code_id": code.id,
            "device_id": device_id,
            "activated_at": start,
            "held_from": start,
            "app_version": latest.seat_app_version,
        },
    )
    connection.execute(
        INSERT_AUDIT,
        {
            "at": now,
            "event": "hold",
            "code_id": code.id,
            "code_last5": code.last5,
            "device_id": device_id,
            "detail": {"account": account_id},
        },
    )
    return seat_id, start


def _expiry(row: Any) -> datetime:
    """When the license of a started seat ends."""
    expires_at = code_of(row).started(row.seat_activated_at).expires_at
    assert expires_at is not None
    return expires_at


def _view(connection: Connection, account_id: int) -> AccountReserveView | None:
    reserve = _reserve_of(connection, account_id)
    if reserve is None:
        return None
    code = code_of(connection.execute(select(CODES).where(CODES.c.id == reserve.code_id)).one())
    rows = connection.execute(
        select(
            RESERVE_DEVICES.c.device_id,
            DEVICES.c.name,
            RESERVE_DEVICES.c.state,
            RESERVE_DEVICES.c.reason,
            RESERVE_DEVICES.c.takes_over_at,
        )
        .join(DEVICES, DEVICES.c.id == RESERVE_DEVICES.c.device_id)
        .where(RESERVE_DEVICES.c.reserve_id == reserve.id, DEVICES.c.account_id == account_id)
        .order_by(DEVICES.c.first_seen_at, DEVICES.c.id)
    ).all()
    return AccountReserveView(
        code,
        tuple(
            ReserveOnDevice(row.device_id, row.name, row.state, row.reason, row.takes_over_at)
            for row in rows
        ),
    )
