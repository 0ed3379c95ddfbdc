"""A seat answered is a seat kept: every transaction that can write a seat commits to the disk
before its answer goes out, on SQLite (``synchronous = FULL`` on every connection, WAL synced
at each commit) and on PostgreSQL (``synchronous_commit`` left on). The limits' counts, which
a power loss may cost nothing but a minute's tally, are the one exception, and leave the
connection as they found it."""

from __future__ import annotations

from sqlalchemy import text

from app.server.services.counts import SharedCounts
from tests.servers import services_for

#: SQLite's ``PRAGMA synchronous`` values.
FULL, NORMAL = 2, 1


def _synchronous(services_url: str) -> list[str]:
    """What each connection the pool hands out says of its commits' durability (the pool is
    made of one connection at a time here, taken again and again)."""
    with services_for(services_url) as services:
        said = []
        for _ in range(3):
            with services.store.connection() as connection:
                if connection.dialect.name == "sqlite":
                    value = connection.exec_driver_sql("PRAGMA synchronous").scalar()
                else:
                    value = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
                said.append(str(value))
                connection.rollback()
            SharedCounts(services.store).apply({"a:192.0.2.1": 1})
        return said


def test_every_transaction_that_writes_seats_waits_for_the_disk(fresh_db_url: str) -> None:
    said = _synchronous(fresh_db_url)
    assert said in ([str(FULL)] * 3, ["on"] * 3)


def test_counting_a_refusal_leaves_its_connection_durable(fresh_sqlite_url: str) -> None:
    with services_for(fresh_sqlite_url) as services:
        counts = SharedCounts(services.store)
        made = counts.apply({"a:192.0.2.7": 1, "n:192.0.2.0/24": 1})
        assert made["a:192.0.2.7"].count == 1
        # One given back (a request that was not refused), two added: 1 - 1 + 2.
        window = made["a:192.0.2.7"].window_start
        again = counts.apply({"a:192.0.2.7": 2}, {("a:192.0.2.7", window): 1})
        assert again["a:192.0.2.7"].count == 2
        with services.store.connection() as connection:
            assert connection.execute(text("PRAGMA synchronous")).scalar() == FULL
