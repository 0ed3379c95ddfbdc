"""What every part of the server shares: the database, its write gate, the clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from app.server.db import session_factory, write_gate
from app.server.writer import BatchWriter

#: How often a transaction that lost a race on a unique key is tried again.
RETRIES = 8


def utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """The database: ORM sessions and Core connections, inside SQLite's write gate where
    there is one, and the batching writer of the activations' hot path."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.factory = session_factory(engine)
        self._gate = write_gate(engine)
        # The activations' hot path goes through one writer thread per process, many
        # activations to a transaction and one commit: on SQLite (one writer at a time
        # anyway) and on PostgreSQL (where every activation of a code waits on its row lock
        # through the commit, so a commit per activation caps a volume code's rate).
        if self._gate is not None:
            self.writer: BatchWriter | None = BatchWriter(engine, self._gate.blocking)
        elif engine.dialect.name == "postgresql":
            self.writer = BatchWriter(engine)
        else:
            self.writer = None

    def close(self) -> None:
        """Finish queued writes and close the database connections."""
        if self.writer is not None:
            self.writer.close()
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session, inside the SQLite write gate where there is one."""
        with self._gate() if self._gate else nullcontext(), self.factory() as session:
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection for the hot path, inside the write gate where there is one."""
        with self._gate() if self._gate else nullcontext(), self.engine.connect() as connection:
            yield connection
