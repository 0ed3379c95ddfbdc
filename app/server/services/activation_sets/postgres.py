"""PostgreSQL's write path: the codes are read without a lock and the whole set is written
in one statement, which counts the seats only where each code is still as read; so a code's
row is locked only from that statement to the commit that follows it, not for the set's
round trips. The asks of a code that changed meanwhile, and those that start a held seat or
come from a device from before keys, are then decided again in a transaction with their
codes locked (in the order of their ids, so two processes never wait on each other in a
circle) and written as on SQLite (:mod:`app.server.services.activation_sets.common`).

Every list is an array parameter (``= ANY(...)``, ``unnest``), so each statement's text is
the same for any number of asks and the driver prepares it once per connection."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, LargeBinary, any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY, insert

from app.server.models import UTCDateTime
from app.server.records import ActivationWritten
from app.server.secrets import CodeHasher
from app.server.services.activation_sets.batch import ActivationOutcome, Ask, Batch
from app.server.services.activation_sets.common import decided, write_each
from app.server.tables import CODES, DEVICES, SELECT_CODES_FOR_UPDATE, SELECT_DEVICES_AND_SEATS

DEVICES_AND_SEATS = SELECT_DEVICES_AND_SEATS["postgresql"]
#: New devices; one another process has just made meanwhile is left as it is.
INSERT_NEW_DEVICES = insert(DEVICES).on_conflict_do_nothing(index_elements=["id"])
#: The codes of a set, read without a lock: the seats are counted and the codes' state
#: checked again by TAKE_SEATS, in the statement that takes them.
SELECT_CODES = select(CODES).where(
    CODES.c.code_hash == any_(bindparam("digests", type_=ARRAY(LargeBinary)))
)
#: Everything a set writes, in one statement. The seats are counted only where a code is
#: still not blocked and has room for all of its new seats; RETURNING names those codes.
#: Seats and "activation" audit rows of the other codes are not written: their asks are
#: decided again under the codes' locks. Every list parameter is one column, row by row;
#: ``*_code`` of a row without a code is NULL.
TAKE_SEATS = (
    text(
        """
    WITH counted AS (
        SELECT * FROM unnest(CAST(:count_code AS integer[]), CAST(:count_n AS integer[]))
            AS c(code_id, n)
    ), taken AS (
        UPDATE codes
        SET devices_used = codes.devices_used + counted.n,
            first_activated_at = coalesce(codes.first_activated_at, :now)
        FROM counted
        WHERE codes.id = counted.code_id AND NOT codes.blocked
            AND codes.devices_used + counted.n <= codes.max_devices
        RETURNING codes.id, codes.devices_used, codes.first_activated_at
    ), new_devices AS (
        INSERT INTO devices (id, first_seen_at, public_key)
        SELECT d.id, :now, d.key
        FROM unnest(CAST(:device_id AS text[]), CAST(:device_key AS text[])) AS d(id, key)
        ON CONFLICT (id) DO NOTHING
    ), new_seats AS (
        INSERT INTO activations (id, code_id, device_id, activated_at, app_version)
        SELECT s.id, s.code_id, s.device_id, :now, s.version
        FROM unnest(
            CAST(:seat_id AS text[]), CAST(:seat_code AS integer[]),
            CAST(:seat_device AS text[]), CAST(:seat_version AS text[])
        ) AS s(id, code_id, device_id, version)
        WHERE s.code_id IN (SELECT id FROM taken)
    ), audited AS (
        INSERT INTO audit_log (at, event, code_id, code_last5, device_id, error_code, detail)
        SELECT :now, a.event, a.code_id, a.last5, a.device_id, a.error_code,
            CAST(a.detail AS json)
        FROM unnest(
            CAST(:audit_event AS text[]), CAST(:audit_code AS integer[]),
            CAST(:audit_last5 AS text[]), CAST(:audit_device AS text[]),
            CAST(:audit_error AS text[]), CAST(:audit_detail AS text[])
        ) AS a(event, code_id, last5, device_id, error_code, detail)
        WHERE a.code_id IS NULL OR a.code_id NOT IN (SELECT code_id FROM counted)
            OR a.code_id IN (SELECT id FROM taken)
    )
    SELECT id, devices_used, first_activated_at FROM taken
    """
    )
    .bindparams(bindparam("now", type_=UTCDateTime))
    .columns(id=Integer, devices_used=Integer, first_activated_at=UTCDateTime)
)


class PostgresSets:
    def __init__(self, hasher: CodeHasher) -> None:
        self.hasher = hasher

    def activate_set(self, connection: Connection, asks: Sequence[Ask]) -> list[ActivationOutcome]:
        """Every ask's outcome, in order, on the caller's connection (the caller commits)."""
        # Autocommit: the reads need no transaction, and the one statement that writes is
        # its own, so PostgreSQL holds a code's row lock only while it runs that statement.
        default = connection.default_isolation_level
        connection.execution_options(isolation_level="AUTOCOMMIT")
        batch = decided(
            connection,
            asks,
            self.hasher,
            codes=SELECT_CODES,
            devices_and_seats=DEVICES_AND_SEATS,
            locked=False,
        )
        changed = take_seats(connection, batch)
        again = sorted(
            set(batch.later) | {i for i, code_id in batch.ask_code.items() if code_id in changed}
        )
        if again:
            connection.commit()
            connection.execution_options(isolation_level=default)
            redone = decided(
                connection,
                [asks[index] for index in again],
                self.hasher,
                codes=SELECT_CODES_FOR_UPDATE,
                devices_and_seats=DEVICES_AND_SEATS,
                locked=True,
            )
            write_each(connection, redone, insert_new_devices=INSERT_NEW_DEVICES)
            batch.outcomes.update(zip(again, redone.in_order(len(again)), strict=True))
        return batch.in_order(len(asks))


def take_seats(connection: Connection, batch: Batch) -> set[int]:
    """Write what an unlocked pass decided, in one statement; the codes that changed since
    they were read, whose asks must be decided again."""
    counted = connection.execute(TAKE_SEATS, columns(batch)).all()
    for row in counted:
        recount(batch, row.id, row.devices_used, row.first_activated_at)
    return set(batch.taken) - {row.id for row in counted}


def columns(batch: Batch) -> dict[str, Any]:
    """TAKE_SEATS's parameters: each kind of row as columns of arrays."""
    # An unlocked pass leaves held seats and devices from before keys to the locked one.
    assert not batch.starts
    assert not batch.registered
    devices, seats, audit = batch.new_devices, batch.new_seats, batch.audit
    return {
        "now": batch.now,
        "count_code": list(batch.taken),
        "count_n": list(batch.taken.values()),
        "device_id": [device.device_id for device in devices],
        "device_key": [device.key for device in devices],
        "seat_id": [seat.id for seat in seats],
        "seat_code": [seat.code_id for seat in seats],
        "seat_device": [seat.device_id for seat in seats],
        "seat_version": [seat.app_version for seat in seats],
        "audit_event": [entry.event for entry in audit],
        "audit_code": [entry.code_id for entry in audit],
        "audit_last5": [entry.last5 for entry in audit],
        "audit_device": [entry.device_id for entry in audit],
        "audit_error": [entry.error.code.value if entry.error else None for entry in audit],
        "audit_detail": [
            json.dumps({"message": entry.error.message}) if entry.error else None for entry in audit
        ],
    }


def recount(batch: Batch, code_id: int, devices_used: int, first: datetime | None) -> None:
    """The code's count as it is now, another process's seats included: every activation
    of it in the batch is told it, and the code's first activation as stored."""
    shift = devices_used - batch.codes[code_id].devices_used
    for index, outcome in batch.outcomes.items():
        if isinstance(outcome, ActivationWritten) and batch.ask_code.get(index) == code_id:
            code = replace(
                outcome.code,
                devices_used=outcome.code.devices_used + shift,
                first_activated_at=first,
            )
            batch.outcomes[index] = replace(outcome, code=code)
