"""Activations: a code's seat taken by a device, on the hot path in prebuilt statements."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import replace
from functools import partial

import anyio.to_thread
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from app import protocol
from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import CodeFacts, check_activation
from app.server.db import WAIT_SECONDS, DatabaseBusy
from app.server.records import Activated, Seat, code_of, fields_of, license_facts
from app.server.secrets import CodeHasher
from app.server.services.audit import Audit
from app.server.services.licenses import Licenses
from app.server.services.store import RETRIES, Store, utcnow
from app.server.tables import (
    FIRST_ACTIVATION,
    INSERT_AUDIT,
    INSERT_DEVICE,
    INSERT_SEAT,
    SELECT_CODE_FOR_UPDATE,
    SELECT_DEVICE_AND_SEAT,
    START_SEAT,
    TAKE_NEW_SEAT_PG,
    TAKE_SEAT,
)


class Activations:
    def __init__(self, store: Store, audit: Audit, hasher: CodeHasher, licenses: Licenses) -> None:
        self.store = store
        self.audit = audit
        self.hasher = hasher
        self.licenses = licenses

    def activate(self, text: str, device_id: str, app_version: str) -> protocol.Activation:
        """Activate ``text`` on ``device_id``: a new seat, or the one the device holds already."""
        for _attempt in range(RETRIES):
            with self.store.connection() as connection:
                try:
                    activated = self._activation(connection, text, device_id, app_version)
                except DomainError:
                    connection.commit()  # the refusal's audit row
                    raise
                except IntegrityError:
                    # Another request created this device or this very seat at the same
                    # moment; the next attempt sees its row and returns that seat.
                    continue
                connection.commit()
            return self._signed(activated)
        raise DomainError(ErrorCode.INTERNAL_ERROR, "The activation could not be completed.")

    async def activate_async(
        self, text: str, device_id: str, app_version: str
    ) -> protocol.Activation:
        """activate() for the event loop: on SQLite through the batching writer thread."""
        writer = self.store.writer
        if writer is None:
            return await anyio.to_thread.run_sync(self.activate, text, device_id, app_version)
        job = partial(self._activation, text=text, device_id=device_id, app_version=app_version)
        future = writer.submit(job)
        try:
            activated: Activated = await asyncio.wait_for(
                asyncio.shield(asyncio.wrap_future(future)), timeout=2 * WAIT_SECONDS
            )
        except TimeoutError:
            if future.cancel():  # still queued: it will write nothing
                raise DatabaseBusy("the database writer is behind") from None
            # Started: it may yet commit (on PostgreSQL it waits for the code's row lock,
            # at most lock_timeout), so its own outcome is the answer, not a guess.
            activated = await asyncio.wrap_future(future)
        return self._signed(activated)

    def _signed(self, activated: Activated) -> protocol.Activation:
        return protocol.Activation(
            **fields_of(license_facts(activated.code, activated.now)),
            license=self.licenses.sign(activated.code, activated.seat),
            created=activated.created,
        )

    def _activation(
        self, connection: Connection, text: str, device_id: str, app_version: str
    ) -> Activated:
        """The hot path, in prebuilt Core statements, on the caller's transaction.

        Refusals are recorded and raised before anything else is written, so the caller
        may commit either way; the caller commits.
        """
        refuse = partial(
            self.audit.refuse,
            connection,
            event="activation_refused",
            device_id=device_id,
            commit=False,
        )
        try:
            normalized = codes.normalize(text)
        except codes.InvalidCodeFormat as exc:
            raise refuse(DomainError(ErrorCode.INVALID_FORMAT, str(exc))) from None
        row = connection.execute(
            SELECT_CODE_FOR_UPDATE, {"digest": self.hasher.digest(normalized)}
        ).first()
        if row is None:
            raise refuse(DomainError(ErrorCode.CODE_NOT_FOUND), last5=normalized[-5:])
        code = code_of(row)
        # Read the clock once the code is locked: a wait for the lock cannot make an
        # activation slip past valid_until. Licenses carry whole seconds; so does the row.
        now = utcnow().replace(microsecond=0)
        known = connection.execute(
            SELECT_DEVICE_AND_SEAT, {"code": code.id, "device": device_id}
        ).first()
        seat = (
            Seat(known.seat_id, device_id, known.seat_activated_at, known.seat_held_from)
            if known is not None and known.seat_id is not None
            else None
        )
        try:
            check_activation(
                code,
                now=now,
                app_version=app_version,
                device_has_seat=seat is not None,
                device_has_account=known is not None and known.account_id is not None,
            )
        except DomainError as error:
            raise refuse(error, code=code) from None
        if seat is not None and seat.held_from is not None:
            # The seat held for this device's reserve starts now (Activate now, the current
            # license removed or lost), or was taken over already with no network.
            start = min(seat.held_from, now)
            connection.execute(START_SEAT, {"seat": seat.id, "start": start})
            connection.execute(FIRST_ACTIVATION, {"code": code.id, "first": start})
            code = code.started(start)
            seat = Seat(seat.id, device_id, start)
        if seat is None:
            seat = Seat(secrets.token_hex(16), device_id, now)
            code = self._take_seat(connection, code, seat, known is None, app_version)
            return Activated(code, seat, True, now)
        connection.execute(
            INSERT_AUDIT,
            {
                "at": now,
                "event": "activation_repeated",
                "code_id": code.id,
                "code_last5": code.last5,
                "device_id": device_id,
            },
        )
        return Activated(code, seat, False, now)

    def _take_seat(
        self, connection: Connection, code: CodeFacts, seat: Seat, new_device: bool, version: str
    ) -> CodeFacts:
        """A new seat of ``code`` (locked, with room: checked) for ``seat.device_id``, and
        its audit row: in one statement on PostgreSQL, in four on SQLite."""
        first = code.first_activated_at or seat.activated_at
        if connection.dialect.name == "postgresql":
            taken = connection.execute(
                TAKE_NEW_SEAT_PG,
                {
                    "code": code.id,
                    "first": first,
                    "device": seat.device_id,
                    "now": seat.activated_at,
                    "seat": seat.id,
                    "version": version,
                    "suffix": code.last5,
                },
            )
            if taken.rowcount != 1:  # the lock makes this unreachable: undo the inserts
                raise RuntimeError("the code's seat count changed under its lock")
            return replace(code, devices_used=code.devices_used + 1, first_activated_at=first)
        taken = connection.execute(TAKE_SEAT, {"code": code.id, "first": first})
        if taken.rowcount != 1:  # the lock makes this unreachable; the database agrees
            raise RuntimeError("the code's seat count changed under its lock")
        if new_device:
            connection.execute(
                INSERT_DEVICE, {"id": seat.device_id, "first_seen_at": seat.activated_at}
            )
        connection.execute(
            INSERT_SEAT,
            {
                "id": seat.id,
                "code_id": code.id,
                "device_id": seat.device_id,
                "activated_at": seat.activated_at,
                "app_version": version,
            },
        )
        connection.execute(
            INSERT_AUDIT,
            {
                "at": seat.activated_at,
                "event": "activation",
                "code_id": code.id,
                "code_last5": code.last5,
                "device_id": seat.device_id,
            },
        )
        return replace(code, devices_used=code.devices_used + 1, first_activated_at=first)
