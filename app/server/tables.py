"""The tables in SQLAlchemy Core, and the activation's statements, built once.

Building a statement and its cache key costs SQLAlchemy more than running it on SQLite, so the
hot path executes these prebuilt statements with bound parameters.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update

from app.server.models import Account, Activation, AuditEvent, Code, Device

CODES = cast(Table, Code.__table__)
DEVICES = cast(Table, Device.__table__)
SEATS = cast(Table, Activation.__table__)
AUDIT = cast(Table, AuditEvent.__table__)
ACCOUNTS = cast(Table, Account.__table__)
SELECT_CODE_FOR_UPDATE = (
    select(CODES).where(CODES.c.code_hash == bindparam("digest")).with_for_update()
)
SELECT_DEVICE_AND_SEAT = (
    select(DEVICES.c.account_id, SEATS.c.id, SEATS.c.activated_at, SEATS.c.held_from)
    .select_from(
        DEVICES.outerjoin(
            SEATS, (SEATS.c.device_id == DEVICES.c.id) & (SEATS.c.code_id == bindparam("code"))
        )
    )
    .where(DEVICES.c.id == bindparam("device"))
)
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
INSERT_DEVICE = insert(DEVICES)
INSERT_SEAT = insert(SEATS)
INSERT_AUDIT = insert(AUDIT)
