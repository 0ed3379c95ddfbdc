"""Activations: a code's seat taken by a device, many requests decided together as one set
(app.server.services.activation_sets)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy import Connection

from app import protocol
from app.server.db import DatabaseBusy, wait_seconds
from app.server.records import ActivationWritten, fields_of, license_facts
from app.server.secrets import CodeHasher
from app.server.services.activation_sets import set_writer
from app.server.services.activation_sets.batch import ActivationOutcome, Ask
from app.server.services.licenses import Licenses
from app.server.services.store import Store


class Activations:
    def __init__(self, store: Store, hasher: CodeHasher, licenses: Licenses) -> None:
        self.store = store
        self.hasher = hasher
        self.licenses = licenses
        self.sets = set_writer(store.engine.dialect.name, hasher)
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
        """Every ask's outcome, in order, on the caller's connection (the caller commits)."""
        return self.sets.activate_set(connection, asks)
