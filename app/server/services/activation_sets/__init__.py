"""The write path of activations: the asks that queued up for the writer thread
(app.server.writer), decided together as one set on one connection.

- :mod:`.batch`: the records: the asks, what the database said, what was decided;
- :mod:`.decision`: each ask decided over what was read, the same for both databases (no
  database, no clock);
- :mod:`.common`: reading a set, and writing a decision statement by statement under the
  codes' locks;
- :mod:`.sqlite`, :mod:`.postgres`: each database's statements and the order it runs them.

However many asks a set has, its statements are the same few.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection

from app.server.secrets import CodeHasher
from app.server.services.activation_sets.batch import ActivationOutcome, Ask
from app.server.services.activation_sets.postgres import PostgresSets
from app.server.services.activation_sets.sqlite import SqliteSets


class SetWriter(Protocol):
    def activate_set(self, connection: Connection, asks: Sequence[Ask]) -> list[ActivationOutcome]:
        """Every ask's outcome, in order, on the caller's connection (the caller commits)."""
        ...


def set_writer(dialect: str, hasher: CodeHasher) -> SetWriter:
    """The write path of the database named ``dialect`` (SQLAlchemy's name)."""
    return PostgresSets(hasher) if dialect == "postgresql" else SqliteSets(hasher)
