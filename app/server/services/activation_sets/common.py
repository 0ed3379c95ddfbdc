"""What both databases share: reading what a set of activations needs, and writing what was
decided statement by statement, with the codes locked (every set on SQLite, whose writer
holds the whole database; on PostgreSQL the asks its one statement could not settle). Each
database's module names its own statements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Executable, Select

from app.domain.license import CodeFacts
from app.server.records import Seat, code_of
from app.server.secrets import CodeHasher
from app.server.services.activation_sets.batch import Ask, Batch, Known, KnownDevice, Parsed
from app.server.services.activation_sets.decision import decide, parse
from app.server.services.devices import REGISTER_KEY
from app.server.services.store import utcnow
from app.server.tables import ADD_SEATS, FIRST_ACTIVATION, INSERT_AUDIT, INSERT_SEAT, START_SEAT


def decided(
    connection: Connection,
    asks: Sequence[Ask],
    hasher: CodeHasher,
    *,
    codes: Executable,
    devices_and_seats: Select[Any],
    locked: bool,
) -> Batch:
    """The set read (its codes with ``codes``, locked or not as ``locked`` says) and
    decided; nothing written yet."""
    parsed = parse(asks, hasher)
    known, moment = read(connection, asks, parsed, codes=codes, devices_and_seats=devices_and_seats)
    return decide(asks, parsed, known, moment, locked=locked)


def read(
    connection: Connection,
    asks: Sequence[Ask],
    parsed: Parsed,
    *,
    codes: Executable,
    devices_and_seats: Select[Any],
) -> tuple[Known, datetime]:
    """The asks' codes (read with ``codes``), then their devices with their accounts and
    their seats of those codes; and the moment the codes were in hand."""
    found: dict[bytes, CodeFacts] = {}
    if parsed.digests:
        rows = connection.execute(codes, {"digests": sorted(set(parsed.digests.values()))})
        found = {row.code_hash: code_of(row) for row in rows}
    # Read the clock once the codes are in hand (locked, where they are): a wait for a lock
    # cannot make an activation slip past valid_until.
    moment = utcnow()
    known = Known(found, {}, {})
    code_ids = [code.id for code in found.values()]
    device_ids = sorted({asks[index].device_id for index in parsed.digests})
    if code_ids and device_ids:
        rows = connection.execute(devices_and_seats, {"codes": code_ids, "devices": device_ids})
        for row in rows:
            known.devices[row.device_id] = KnownDevice(row.account_id, row.public_key)
            if row.seat_id is not None:
                known.seats[(row.code_id, row.device_id)] = Seat(
                    row.seat_id, row.device_id, row.seat_activated_at, row.seat_held_from
                )
    return known, moment


def write_each(connection: Connection, batch: Batch, *, insert_new_devices: Executable) -> None:
    """Write what was decided, statement by statement (the codes are locked): the held seats
    that start, the new devices, the keys of devices from before keys, the new seats, the
    codes' counts, the audit rows."""
    execute = connection.execute
    for start in batch.starts:
        execute(START_SEAT, {"seat": start.seat_id, "start": start.start})
        execute(FIRST_ACTIVATION, {"code": start.code_id, "first": start.start})
    if batch.new_devices:
        rows = [
            {"id": new.device_id, "first_seen_at": batch.now, "public_key": new.key}
            for new in batch.new_devices
        ]
        execute(insert_new_devices, rows)
    if batch.registered:
        execute(REGISTER_KEY, [{"device": d.device_id, "key": d.key} for d in batch.registered])
    if batch.new_seats:
        seats = [
            {
                "id": seat.id,
                "code_id": seat.code_id,
                "device_id": seat.device_id,
                "activated_at": batch.now,
                "app_version": seat.app_version,
            }
            for seat in batch.new_seats
        ]
        execute(INSERT_SEAT, seats)
    if batch.taken:
        _count(connection, batch)
    for rows in _audit_rows(batch):
        execute(INSERT_AUDIT, rows)


def _count(connection: Connection, batch: Batch) -> None:
    counts = [
        {"code": code_id, "n": n, "first": batch.codes[code_id].first_activated_at}
        for code_id, n in batch.taken.items()
    ]
    taken = connection.execute(ADD_SEATS, counts)
    if connection.dialect.supports_sane_multi_rowcount and taken.rowcount != len(counts):
        raise RuntimeError("a code's seat count changed under its lock")  # undo the inserts


def _audit_rows(batch: Batch) -> list[list[dict[str, Any]]]:
    """The audit rows, one list per shape (a refusal's carries its error): one statement
    each. An activation's row leaves ``detail`` out, so it is NULL, not JSON null."""
    accepted: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for entry in batch.audit:
        row: dict[str, Any] = {
            "at": entry.at,
            "event": entry.event,
            "code_id": entry.code_id,
            "code_last5": entry.last5,
            "device_id": entry.device_id,
        }
        if entry.error is None:
            accepted.append(row)
        else:
            row["error_code"] = entry.error.code.value
            row["detail"] = {"message": entry.error.message}
            refused.append(row)
    return [rows for rows in (accepted, refused) if rows]
