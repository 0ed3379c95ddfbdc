"""What every part of the server shares: the database, its write gate, the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from app.server.db import session_factory, write_gate
from app.server.writer import BatchWriter, Item, Run

#: How often a transaction that lost a race on a unique key is tried again.
RETRIES = 8


def _computer_clock() -> datetime:
    return datetime.now(UTC)


#: What the server reads the time from: this computer's clock. Nothing a caller of the
#: server can send, set or pass changes it (no request, option or variable); only code in
#: the server's own process can put another here, as the tests' server does
#: (``tests/clocks.py``).
read_clock: Callable[[], datetime] = _computer_clock


def utcnow() -> datetime:
    """The server's time: every decision about a license's time reads it here."""
    return read_clock()


class Store:
    """The database: ORM sessions and Core connections, inside SQLite's write gate where
    there is one, and batching writer threads for hot paths."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.factory = session_factory(engine)
        self._gate = write_gate(engine)
        self._writers: list[BatchWriter[Any]] = []

    def batch_writer(self, run: Run[Item]) -> BatchWriter[Item]:
        """A writer thread for this process that hands ``run`` many requests' items at once,
        in one transaction with one commit: for a hot path on SQLite (one writer at a time
        anyway) and on PostgreSQL (where a code's row lock is held through the commit, so a
        commit per request caps the rate of a volume code)."""
        writer = BatchWriter(self.engine, run, self._gate.blocking if self._gate else None)
        self._writers.append(writer)
        return writer

    def close(self) -> None:
        """Finish queued writes and close the database connections."""
        for writer in self._writers:
            writer.close()
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
