"""Counts the limits keep in the database, so that one, N workers or N hosts share them.

Each count belongs to a key (``a:<address>``, ``n:<network>``) and to a window of a minute
that began at ``window_start`` (unix seconds, the servers' clocks): adding to a count whose
window is over starts a new window at one. Adding is one statement per key, ``INSERT … ON
CONFLICT DO UPDATE … RETURNING`` (SQLite and PostgreSQL alike), so concurrent adds from any
process are counted exactly and each learns the count it made.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, delete, text

from app.server.services.store import Store
from app.server.tables import LIMIT_COUNTS

WINDOW_SECONDS = 60
#: Rows older than this are deleted when the limits are tidied (once a minute).
KEEP_SECONDS = 2 * WINDOW_SECONDS

ADD = text(
    """
    INSERT INTO limit_counts (key, window_start, count) VALUES (:key, :now, :n)
    ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN limit_counts.window_start <= :over THEN :n
                     ELSE limit_counts.count + :n END,
        window_start = CASE WHEN limit_counts.window_start <= :over THEN :now
                            ELSE limit_counts.window_start END
    RETURNING count, window_start
    """
)
GIVE_BACK = text(
    "UPDATE limit_counts SET count = CASE WHEN count > :n THEN count - :n ELSE 0 END "
    "WHERE key = :key AND window_start = :window_start"
)


@dataclass(frozen=True)
class Count:
    """A key's count once added to, in its window."""

    key: str
    count: int
    window_start: int

    def ends(self) -> int:
        return self.window_start + WINDOW_SECONDS


class SharedCounts:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def apply(
        self, adds: Mapping[str, int], giving: Mapping[tuple[str, int], int] | None = None
    ) -> dict[str, Count]:
        """Add ``n`` to each key's count, after taking back what was counted for requests
        that were not refused after all (``giving``: ``n`` per key and window, taken only in
        that window: a new one began without them); in one transaction. The counts made."""
        now = int(self.clock())
        over = now - WINDOW_SECONDS
        with self.store.connection() as connection, _lightly(connection):
            if giving:
                connection.execute(
                    GIVE_BACK,
                    [{"key": k, "window_start": start, "n": n} for (k, start), n in giving.items()],
                )
            made = {
                key: Count(
                    key,
                    *connection.execute(ADD, {"key": key, "now": now, "n": n, "over": over}).one(),
                )
                for key, n in adds.items()
            }
            connection.commit()
        return made

    def tidy(self) -> int:
        """Delete the counts whose window ended a while ago; how many."""
        before = int(self.clock()) - KEEP_SECONDS
        with self.store.connection() as connection:
            gone = connection.execute(
                delete(LIMIT_COUNTS).where(LIMIT_COUNTS.c.window_start < before)
            ).rowcount
            connection.commit()
        return gone


@contextmanager
def _lightly(connection: Connection) -> Iterator[None]:
    """On SQLite, commit without waiting for the disk (``synchronous = NORMAL``; the server's
    connections are FULL, for seats): a count lost to a power loss costs nothing, and counts
    are written at the pace of the requests they count."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA synchronous = NORMAL")  # outside a transaction: none has begun yet
    try:
        yield
    finally:
        connection.rollback()  # nothing if committed; the pragma needs no transaction open
        raw.execute("PRAGMA synchronous = FULL")
