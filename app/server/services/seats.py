"""Seats: one device's seats of a code, and giving one back to its code."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, delete, select, update

from app.server.tables import CODES, SEATS

#: Every seat of one device, with its code.
SEATS_OF_DEVICE = (
    select(
        CODES,
        SEATS.c.id.label("seat_id"),
        SEATS.c.activated_at.label("seat_activated_at"),
        SEATS.c.held_from.label("seat_held_from"),
        SEATS.c.app_version.label("seat_app_version"),
    )
    .join(CODES, CODES.c.id == SEATS.c.code_id)
    .where(SEATS.c.device_id == bindparam("device"))
    .order_by(SEATS.c.activated_at)
)


def free_seat(connection: Connection, seat_id: str, device_id: str, code_id: int) -> bool:
    """Delete the seat and give it back to its code; False when it was gone already. Only
    the call whose DELETE removed the row gives the seat back: on PostgreSQL a concurrent
    one waits for the row and then deletes nothing."""
    deleted = connection.execute(
        delete(SEATS).where(SEATS.c.id == seat_id, SEATS.c.device_id == device_id)
    ).rowcount
    if deleted != 1:
        return False
    connection.execute(
        update(CODES).where(CODES.c.id == code_id).values(devices_used=CODES.c.devices_used - 1)
    )
    return True
