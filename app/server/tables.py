"""The tables in SQLAlchemy Core, and the activation's statements, built once.

Building a statement and its cache key costs SQLAlchemy more than running it on SQLite, so the
hot path executes these prebuilt statements with bound parameters.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.server.models import Account, Activation, AuditEvent, Code, Device

CODES = cast(Table, Code.__table__)
DEVICES = cast(Table, Device.__table__)
SEATS = cast(Table, Activation.__table__)
AUDIT = cast(Table, AuditEvent.__table__)
ACCOUNTS = cast(Table, Account.__table__)
TAKE_SEAT = (
    update(CODES)
    .where(CODES.c.id == bindparam("code"), CODES.c.devices_used < CODES.c.max_devices)
    .values(devices_used=CODES.c.devices_used + 1, first_activated_at=bindparam("first"))
)
#: A seat of the code that is not taken yet, held for a reserve (the code is not activated).
HOLD_SEAT = (
    update(CODES)
    .where(CODES.c.id == bindparam("code"), CODES.c.devices_used < CODES.c.max_devices)
    .values(devices_used=CODES.c.devices_used + 1)
)
#: A held seat's license starts at another moment (the current license's end moved).
MOVE_HOLD = (
    update(SEATS)
    .where(SEATS.c.id == bindparam("seat"))
    .values(held_from=bindparam("start"), activated_at=bindparam("start"))
)
#: A held seat starts: its license runs from ``start``.
START_SEAT = (
    update(SEATS)
    .where(SEATS.c.id == bindparam("seat"))
    .values(held_from=None, activated_at=bindparam("start"))
)
#: The code's first activation is the earliest start of any of its seats (fact 7).
FIRST_ACTIVATION = (
    update(CODES)
    .where(
        CODES.c.id == bindparam("code"),
        (CODES.c.first_activated_at.is_(None)) | (CODES.c.first_activated_at > bindparam("first")),
    )
    .values(first_activated_at=bindparam("first"))
)
#: The activation's reads: first the code, locked (on PostgreSQL; SQLite's writer holds the
#: whole database), then, in a statement of its own, the device's account and its seat of
#: that code. Not one joined statement: on PostgreSQL a row read while waiting for the lock
#: is from before the wait, so a seat taken meanwhile by the same device would be missed.
SELECT_CODE_FOR_UPDATE = (
    select(CODES).where(CODES.c.code_hash == bindparam("digest")).with_for_update()
)
SELECT_DEVICE_AND_SEAT = (
    select(
        DEVICES.c.account_id,
        SEATS.c.id.label("seat_id"),
        SEATS.c.activated_at.label("seat_activated_at"),
        SEATS.c.held_from.label("seat_held_from"),
    )
    .select_from(
        DEVICES.outerjoin(
            SEATS, (SEATS.c.device_id == DEVICES.c.id) & (SEATS.c.code_id == bindparam("code"))
        )
    )
    .where(DEVICES.c.id == bindparam("device"))
)
#: A new seat on PostgreSQL in one statement: the device (if new), the seat, its audit row
#: and the code's count, so the code's row lock waits on one round trip instead of four.
TAKE_NEW_SEAT_PG = (
    update(CODES)
    .where(CODES.c.id == bindparam("code"), CODES.c.devices_used < CODES.c.max_devices)
    .values(devices_used=CODES.c.devices_used + 1, first_activated_at=bindparam("first"))
    .add_cte(
        pg_insert(DEVICES)
        .values(id=bindparam("device"), first_seen_at=bindparam("now"))
        .on_conflict_do_nothing(index_elements=["id"])
        .cte("new_device")
    )
    .add_cte(
        insert(SEATS)
        .values(
            id=bindparam("seat"),
            code_id=bindparam("code"),
            device_id=bindparam("device"),
            activated_at=bindparam("now"),
            app_version=bindparam("version"),
        )
        .cte("new_seat")
    )
    .add_cte(
        insert(AUDIT)
        .values(
            at=bindparam("now"),
            event="activation",
            code_id=bindparam("code"),
            code_last5=bindparam("suffix"),
            device_id=bindparam("device"),
        )
        .cte("new_audit_row")
    )
)
INSERT_DEVICE = insert(DEVICES)
INSERT_SEAT = insert(SEATS)
INSERT_AUDIT = insert(AUDIT)
