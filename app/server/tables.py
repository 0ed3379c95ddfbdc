"""The tables in SQLAlchemy Core, and the statements of seats that activations and holds
share, built once (each database's own statements of the activation's write path are in
app.server.services.activation_sets.sqlite and app.server.services.activation_sets.postgres).

Building a statement and its cache key costs SQLAlchemy more than running it on SQLite, so the
hot path executes these prebuilt statements with bound parameters.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Table,
    any_,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from app.server.models import (
    AccountReserveDeviceRow,
    AccountReserveRow,
    AccountRow,
    ActivationRow,
    AuditEventRow,
    CodeRow,
    ConsoleSessionRow,
    DeviceRow,
    FreedSeatRow,
    LimitCountRow,
)

CODES = cast(Table, CodeRow.__table__)
DEVICES = cast(Table, DeviceRow.__table__)
SEATS = cast(Table, ActivationRow.__table__)
AUDIT = cast(Table, AuditEventRow.__table__)
ACCOUNTS = cast(Table, AccountRow.__table__)
SESSIONS = cast(Table, ConsoleSessionRow.__table__)
FREED = cast(Table, FreedSeatRow.__table__)
ACCOUNT_RESERVES = cast(Table, AccountReserveRow.__table__)
RESERVE_DEVICES = cast(Table, AccountReserveDeviceRow.__table__)
LIMIT_COUNTS = cast(Table, LimitCountRow.__table__)
#: ``n`` new seats of a code (locked, with room: checked), from the activations of one set.
ADD_SEATS = (
    update(CODES)
    .where(
        CODES.c.id == bindparam("code"),
        CODES.c.devices_used + bindparam("n") <= CODES.c.max_devices,
    )
    .values(
        devices_used=CODES.c.devices_used + bindparam("n"), first_activated_at=bindparam("first")
    )
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
#: The reads of a hold, and of a set of activations decided under lock: first the codes,
#: locked in the order of their ids (two processes locking the same codes never wait on each
#: other in a circle; SQLite's writer holds the whole database), then, in a statement of its
#: own, the devices with their accounts and their seats of those codes. Not one joined
#: statement: on PostgreSQL a row read while waiting for a lock is from before the wait, so a
#: seat taken meanwhile by the same device would be missed.
SELECT_CODES_FOR_UPDATE = (
    select(CODES)
    .where(CODES.c.code_hash.in_(bindparam("digests", expanding=True)))
    .order_by(CODES.c.id)
    .with_for_update()
)


def _devices_and_seats(codes: ColumnElement[bool], devices: ColumnElement[bool]) -> Select[Any]:
    return (
        select(
            DEVICES.c.id.label("device_id"),
            DEVICES.c.account_id,
            DEVICES.c.public_key,
            SEATS.c.code_id,
            SEATS.c.id.label("seat_id"),
            SEATS.c.activated_at.label("seat_activated_at"),
            SEATS.c.held_from.label("seat_held_from"),
        )
        .select_from(DEVICES.outerjoin(SEATS, (SEATS.c.device_id == DEVICES.c.id) & codes))
        .where(devices)
    )


#: By dialect: on PostgreSQL the lists are array parameters, so the statement's text is the
#: same for any number of codes and devices, and the driver prepares it once per connection.
SELECT_DEVICES_AND_SEATS = {
    "sqlite": _devices_and_seats(
        SEATS.c.code_id.in_(bindparam("codes", expanding=True)),
        DEVICES.c.id.in_(bindparam("devices", expanding=True)),
    ),
    "postgresql": _devices_and_seats(
        SEATS.c.code_id == any_(bindparam("codes", type_=ARRAY(Integer))),
        DEVICES.c.id == any_(bindparam("devices", type_=ARRAY(String))),
    ),
}
INSERT_DEVICE = insert(DEVICES)
INSERT_SEAT = insert(SEATS)
INSERT_AUDIT = insert(AUDIT)
#: Requests for a one-time sign-in code or a password-reset link (app.server.services.recovery):
#: the table of app.server.models.RecoveryRequestRow, found in the models' shared metadata.
RECOVERY = AccountRow.metadata.tables["recovery_requests"]
