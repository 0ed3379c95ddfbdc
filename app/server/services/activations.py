"""Activations: a code's seat taken by a device, many requests decided together as one set."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from app import protocol
from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import CodeFacts, check_activation
from app.server.db import DatabaseBusy, wait_seconds
from app.server.records import ActivationWritten, Seat, code_of, fields_of, license_facts
from app.server.secrets import CodeHasher
from app.server.services.audit import refusal_row
from app.server.services.devices import REGISTER_KEY, other_key
from app.server.services.licenses import Licenses
from app.server.services.store import Store, utcnow
from app.server.tables import (
    ADD_SEATS,
    FIRST_ACTIVATION,
    INSERT_AUDIT,
    INSERT_NEW_DEVICES,
    INSERT_SEAT,
    SELECT_CODES,
    SELECT_CODES_FOR_UPDATE,
    SELECT_DEVICES_AND_SEATS,
    START_SEAT,
    TAKE_SEATS_PG,
)


@dataclass(frozen=True)
class Ask:
    """One request to activate: the code as typed, the device, its app's version, and the
    key the request was signed with."""

    text: str
    device_id: str
    app_version: str
    key: str


ActivationOutcome = ActivationWritten | DomainError


class Activations:
    def __init__(self, store: Store, hasher: CodeHasher, licenses: Licenses) -> None:
        self.store = store
        self.hasher = hasher
        self.licenses = licenses
        self.writer = store.batch_writer(self.activate_set)

    async def activate(
        self, text: str, device_id: str, app_version: str, key: str
    ) -> protocol.Activation:
        """Activate ``text`` on ``device_id`` (signed with ``key``): a new seat, or the one the
        device holds already. A new device registers ``key`` with its first seat.

        The request waits for the process's writer thread, which activates whatever has
        queued up meanwhile together, in one transaction."""
        future = self.writer.submit(Ask(text, device_id, app_version, key))
        try:
            activated: ActivationWritten = await asyncio.wait_for(
                asyncio.shield(asyncio.wrap_future(future)), timeout=2 * wait_seconds()
            )
        except TimeoutError:
            if future.cancel():  # still queued: it will write nothing
                raise DatabaseBusy("the database writer is behind") from None
            # Started: it may yet commit (on PostgreSQL it waits for the code's row lock,
            # at most lock_timeout), so its own outcome is the answer, not a guess.
            activated = await asyncio.wrap_future(future)
        return protocol.Activation(
            **fields_of(license_facts(activated.code, activated.now)),
            license=self.licenses.sign(activated.code, activated.seat),
            created=activated.created,
        )

    def activate_set(self, connection: Connection, asks: Sequence[Ask]) -> list[ActivationOutcome]:
        """Every ask's outcome, in order, on the caller's transaction (the caller commits).

        However many asks there are, the statements are the same few. On SQLite (whose
        writer holds the whole database): the codes; the devices and their seats; then the
        new devices, seats, counts and audit rows. On PostgreSQL the codes are read without a
        lock and everything is written in one statement, which counts the seats only where
        each code is still as read. The asks of a code that changed meanwhile, and those
        that start a held seat, are then decided in a transaction with the codes locked (in
        the order of their ids, so two processes never wait on each other in a circle)."""
        if connection.dialect.name != "postgresql":
            batch = self._decide(connection, asks, locked=True)
            batch.write()
            return batch.in_order(len(asks))
        # Autocommit: the reads need no transaction, and the one statement that writes is
        # its own, so PostgreSQL holds a code's row lock only while it runs that statement.
        default = connection.default_isolation_level
        connection.execution_options(isolation_level="AUTOCOMMIT")
        batch = self._decide(connection, asks, locked=False)
        changed = batch.write_at_once()
        again = sorted(
            set(batch.later) | {i for i, code_id in batch.ask_code.items() if code_id in changed}
        )
        if again:
            connection.commit()
            connection.execution_options(isolation_level=default)
            redone = self._decide(connection, [asks[index] for index in again], locked=True)
            redone.write()
            batch.outcomes.update(zip(again, redone.in_order(len(again)), strict=True))
        return batch.in_order(len(asks))

    def _decide(self, connection: Connection, asks: Sequence[Ask], *, locked: bool) -> _Batch:
        batch = _Batch(connection, locked=locked)
        normalized: dict[int, str] = {}
        for index, ask in enumerate(asks):
            try:
                normalized[index] = codes.normalize(ask.text)
            except codes.InvalidCodeFormat as exc:
                batch.refuse(index, ask, DomainError(ErrorCode.INVALID_FORMAT, str(exc)))
        digests = {index: self.hasher.digest(text) for index, text in normalized.items()}
        rows: Sequence[Any] = []
        if digests:
            read = SELECT_CODES_FOR_UPDATE if locked else SELECT_CODES
            rows = connection.execute(read, {"digests": sorted(set(digests.values()))}).all()
        by_digest = {row.code_hash: (row.id, code_of(row)) for row in rows}
        # Read the clock once the codes are in hand (locked, where they are): a wait for a
        # lock cannot make an activation slip past valid_until. Licenses carry whole
        # seconds; so does the row.
        batch.now = utcnow().replace(microsecond=0)
        batch.read_devices(
            codes=[code_id for code_id, _code in by_digest.values()],
            devices=sorted({asks[index].device_id for index in digests}),
        )
        for index, digest in digests.items():
            found = by_digest.get(digest)
            if found is None:
                refusal = DomainError(ErrorCode.CODE_NOT_FOUND)
                batch.refuse(index, asks[index], refusal, last5=normalized[index][-5:])
            else:
                code_id, code = found
                batch.activate(index, asks[index], code_id, batch.codes.get(code_id, code))
        return batch


class _Batch:
    """The asks of one set, decided in memory over what the database said, then written."""

    def __init__(self, connection: Connection, *, locked: bool) -> None:
        self.connection = connection
        self.locked = locked
        self.now = utcnow()
        self.outcomes: dict[int, ActivationOutcome] = {}
        #: The code each ask found.
        self.ask_code: dict[int, int] = {}
        #: Each code as the asks so far have left it.
        self.codes: dict[int, CodeFacts] = {}
        #: The account of each device that exists (None: no account).
        self.accounts: dict[str, str | None] = {}
        #: The key of each device that exists (None: from before keys).
        self.keys: dict[str, str | None] = {}
        self.seats: dict[tuple[int, str], Seat] = {}
        self.new_devices: list[str] = []
        self.new_seats: list[dict[str, Any]] = []
        #: New seats per code.
        self.taken: dict[int, int] = {}
        self.audit_rows: list[dict[str, Any]] = []
        #: Asks left to a locked transaction (they start a held seat, or come from a device
        #: from before keys).
        self.later: list[int] = []
        #: Devices from before keys whose call was accepted: they keep its key.
        self.registered: list[str] = []

    def in_order(self, count: int) -> list[ActivationOutcome]:
        return [self.outcomes[index] for index in range(count)]

    def read_devices(self, codes: list[int], devices: list[str]) -> None:
        if not codes or not devices:
            return
        known = self.connection.execute(
            SELECT_DEVICES_AND_SEATS[self.connection.dialect.name],
            {"codes": codes, "devices": devices},
        )
        for row in known:
            self.accounts[row.device_id] = row.account_id
            self.keys[row.device_id] = row.public_key
            if row.seat_id is not None:
                self.seats[(row.code_id, row.device_id)] = Seat(
                    row.seat_id, row.device_id, row.seat_activated_at, row.seat_held_from
                )

    def refuse(
        self,
        index: int,
        ask: Ask,
        error: DomainError,
        *,
        code: CodeFacts | None = None,
        last5: str | None = None,
    ) -> None:
        self.audit_rows.append(
            refusal_row(
                error, event="activation_refused", code=code, last5=last5, device_id=ask.device_id
            )
        )
        self.outcomes[index] = error

    def activate(self, index: int, ask: Ask, code_id: int, code: CodeFacts) -> None:
        self.ask_code[index] = code_id
        if not self._proven(index, ask, code):
            return
        device = ask.device_id
        seat = self.seats.get((code_id, device))
        try:
            check_activation(
                code,
                now=self.now,
                app_version=ask.app_version,
                device_has_seat=seat is not None,
                device_has_account=self.accounts.get(device) is not None,
            )
        except DomainError as error:
            self.refuse(index, ask, error, code=code)
            return
        created = seat is None
        if seat is None:
            seat = self._new_seat(code_id, ask)
            code = replace(code.started(self.now), devices_used=code.devices_used + 1)
            self.taken[code_id] = self.taken.get(code_id, 0) + 1
        elif seat.held_from is not None:
            if not self.locked:
                self.later.append(index)
                return
            # The seat held for this device's reserve starts now (Activate now, the current
            # license removed or lost), or was taken over already with no network.
            start = min(seat.held_from, self.now)
            self.connection.execute(START_SEAT, {"seat": seat.id, "start": start})
            self.connection.execute(FIRST_ACTIVATION, {"code": code_id, "first": start})
            code = code.started(start)
            seat = Seat(seat.id, device, start)
        self.codes[code_id] = code
        self.seats[(code_id, device)] = seat
        self.audit_rows.append(
            {
                "at": self.now,
                "event": "activation" if created else "activation_repeated",
                "code_id": code_id,
                "code_last5": code.last5,
                "device_id": device,
            }
        )
        if self.keys.get(device, ask.key) is None:  # accepted: from before keys no more
            self.keys[device] = ask.key
            self.registered.append(device)
        self.outcomes[index] = ActivationWritten(code, seat, created, self.now)

    def _proven(self, index: int, ask: Ask, code: CodeFacts) -> bool:
        """Whether the ask's key may act for its device; refused when not. A device from
        before keys is left to the locked pass, which registers the key if the ask is
        accepted (``activate``)."""
        device = ask.device_id
        if device not in self.accounts:
            return True  # a new device: its first seat registers the key
        stored = self.keys.get(device)
        if stored == ask.key:
            return True
        if stored is None:
            if not self.locked:
                self.later.append(index)
                return False
            return True
        self.refuse(index, ask, other_key(), code=code)
        return False

    def _new_seat(self, code_id: int, ask: Ask) -> Seat:
        seat = Seat(secrets.token_hex(16), ask.device_id, self.now)
        if ask.device_id not in self.accounts:
            self.accounts[ask.device_id] = None
            self.keys[ask.device_id] = ask.key
            self.new_devices.append(ask.device_id)
        self.new_seats.append(
            {
                "id": seat.id,
                "code_id": code_id,
                "device_id": ask.device_id,
                "activated_at": self.now,
                "app_version": ask.app_version,
            }
        )
        return seat

    def write(self) -> None:
        """Write what was decided, statement by statement (the codes are locked)."""
        execute = self.connection.execute
        if self.new_devices:
            rows = [
                {"id": device, "first_seen_at": self.now, "public_key": self.keys[device]}
                for device in self.new_devices
            ]
            execute(INSERT_NEW_DEVICES[self.connection.dialect.name], rows)
        if self.registered:
            execute(REGISTER_KEY, [{"device": d, "key": self.keys[d]} for d in self.registered])
        if self.new_seats:
            execute(INSERT_SEAT, self.new_seats)
        if self.taken:
            counts = [
                {"code": code_id, "n": n, "first": self.codes[code_id].first_activated_at}
                for code_id, n in self.taken.items()
            ]
            taken = execute(ADD_SEATS, counts)
            if self.connection.dialect.supports_sane_multi_rowcount and taken.rowcount != len(
                counts
            ):  # the locks make this unreachable: undo the inserts
                raise RuntimeError("a code's seat count changed under its lock")
        for keys in {tuple(row) for row in self.audit_rows}:
            execute(INSERT_AUDIT, [row for row in self.audit_rows if tuple(row) == keys])

    def write_at_once(self) -> set[int]:
        """Write what was decided in one statement (PostgreSQL, codes read unlocked); the
        codes that changed since they were read, whose asks must be decided again."""
        seats, audit = self.new_seats, self.audit_rows
        counted = self.connection.execute(
            TAKE_SEATS_PG,
            {
                "now": self.now,
                "count_code": list(self.taken),
                "count_n": list(self.taken.values()),
                "device_id": self.new_devices,
                "device_key": [self.keys[device] for device in self.new_devices],
                "seat_id": [seat["id"] for seat in seats],
                "seat_code": [seat["code_id"] for seat in seats],
                "seat_device": [seat["device_id"] for seat in seats],
                "seat_version": [seat["app_version"] for seat in seats],
                "audit_event": [row["event"] for row in audit],
                "audit_code": [row["code_id"] for row in audit],
                "audit_last5": [row["code_last5"] for row in audit],
                "audit_device": [row["device_id"] for row in audit],
                "audit_error": [row.get("error_code") for row in audit],
                "audit_detail": [
                    json.dumps(row["detail"]) if "detail" in row else None for row in audit
                ],
            },
        ).all()
        for row in counted:  # the counts as they are now, another process's seats included
            before = row.devices_used - self.taken[row.id]
            self._recount(row.id, before, row.first_activated_at)
        return set(self.taken) - {row.id for row in counted}

    def _recount(self, code_id: int, before: int, first: datetime | None) -> None:
        read = self.codes[code_id].devices_used - self.taken[code_id]
        shift = before - read
        for index, outcome in self.outcomes.items():
            if isinstance(outcome, ActivationWritten) and self.ask_code.get(index) == code_id:
                code = replace(
                    outcome.code,
                    devices_used=outcome.code.devices_used + shift,
                    first_activated_at=first,
                )
                self.outcomes[index] = replace(outcome, code=code)
