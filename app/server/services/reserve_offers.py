"""The account's reserve handed to a device in the answer to its status sync.

See :mod:`.account_reserves`: a seat is held for each device the reserve passes for; here, at
the device's sync, the held license is offered until the device says it has it, and what the
device says settles the device's outcome (held; refused when it has a reserve of its own or
removed the account's there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from app.domain.errors import ErrorCode
from app.domain.license import CodeFacts
from app.server.records import Seat, code_of
from app.server.services.account_reserves import HELD, REFUSED, REMOVED_ON_DEVICE, WAITING
from app.server.services.seats import free_seat
from app.server.tables import ACCOUNT_RESERVES, CODES, RESERVE_DEVICES, SEATS


@dataclass(frozen=True)
class Offer:
    """A held reserve to hand a device in a status answer."""

    code: CodeFacts
    seat: Seat
    replace: bool


def offer(
    connection: Connection,
    device_id: str,
    account_id: int | None,
    reserve_seat: str | None,
    reserve_saved: bool,
    now: datetime,
) -> Offer | None:
    """At a status sync: the account's reserve for this device, if it has one to hand it.
    ``reserve_seat``: the seat of the held reserve the device has (its license's ``lid``);
    ``reserve_saved``: whether it has a reserve of its own at all. On the caller's
    transaction."""
    if account_id is None:
        return None
    entry = connection.execute(
        select(
            RESERVE_DEVICES.c.reserve_id,
            RESERVE_DEVICES.c.seat_id,
            RESERVE_DEVICES.c.state,
            RESERVE_DEVICES.c.replace,
            ACCOUNT_RESERVES.c.code_id,
        )
        .join(ACCOUNT_RESERVES, ACCOUNT_RESERVES.c.id == RESERVE_DEVICES.c.reserve_id)
        .where(
            RESERVE_DEVICES.c.device_id == device_id,
            ACCOUNT_RESERVES.c.account_id == account_id,
            RESERVE_DEVICES.c.state.in_((WAITING, HELD)),
        )
    ).first()
    if entry is None:
        return None

    def settle(state: str, reason: str | None = None) -> None:
        connection.execute(
            update(RESERVE_DEVICES)
            .where(
                RESERVE_DEVICES.c.reserve_id == entry.reserve_id,
                RESERVE_DEVICES.c.device_id == device_id,
            )
            .values(state=state, reason=reason, updated_at=now)
        )

    seat = connection.execute(
        select(SEATS.c.held_from, SEATS.c.activated_at).where(SEATS.c.id == entry.seat_id)
    ).first()
    if seat is None:  # the device freed it (its reserve removed there), or it was revoked
        settle(REFUSED, REMOVED_ON_DEVICE if entry.state == HELD else ErrorCode.NOT_FOUND.value)
        return None
    if seat.held_from is None or reserve_seat == entry.seat_id:  # started, or installed
        if entry.state != HELD:
            settle(HELD)
        return None
    if reserve_saved and not entry.replace:
        free_seat(connection, entry.seat_id, device_id, entry.code_id)
        settle(REFUSED, ErrorCode.RESERVE_ALREADY_SET.value)
        return None
    settle(HELD)
    row = connection.execute(select(CODES).where(CODES.c.id == entry.code_id)).one()
    held = Seat(entry.seat_id, device_id, seat.held_from, seat.held_from)
    return Offer(code_of(row), held, bool(entry.replace))
