"""SQLite's write path: its writer holds the whole database, so a set is read, decided and
written statement by statement in one transaction: the codes; the devices and their seats;
then the new devices, seats, counts and audit rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection
from sqlalchemy.dialects.sqlite import insert

from app.server.secrets import CodeHasher
from app.server.services.activation_sets.batch import ActivationOutcome, Ask
from app.server.services.activation_sets.common import decided, write_each
from app.server.tables import DEVICES, SELECT_CODES_FOR_UPDATE, SELECT_DEVICES_AND_SEATS

DEVICES_AND_SEATS = SELECT_DEVICES_AND_SEATS["sqlite"]
#: New devices; one another process has just made meanwhile is left as it is.
INSERT_NEW_DEVICES = insert(DEVICES).on_conflict_do_nothing(index_elements=["id"])


class SqliteSets:
    def __init__(self, hasher: CodeHasher) -> None:
        self.hasher = hasher

    def activate_set(self, connection: Connection, asks: Sequence[Ask]) -> list[ActivationOutcome]:
        """Every ask's outcome, in order, on the caller's transaction (the caller commits)."""
        batch = decided(
            connection,
            asks,
            self.hasher,
            codes=SELECT_CODES_FOR_UPDATE,
            devices_and_seats=DEVICES_AND_SEATS,
            locked=True,
        )
        write_each(connection, batch, insert_new_devices=INSERT_NEW_DEVICES)
        return batch.in_order(len(asks))
