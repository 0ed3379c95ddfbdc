"""PostgreSQL's connections closed under the server (a restart of PostgreSQL, a network's idle
timeout): a pooled connection that has lain idle is pinged before use and replaced if it is
gone, so the next request meets a live one; one back in use at once is not pinged (a server
under load spends no round trip on it) and, if it is gone, fails that one transaction, after
which every pooled connection is replaced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from app.server import db

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    engine = db.make_engine(pg_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _close_from_the_server(engine: Engine, pid: int) -> None:
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            closed = connection.execute(
                text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}
            ).scalar_one()
            assert closed
            # Terminating is asynchronous: wait until the backend is gone.
            connection.execute(
                text(
                    "DO $$ BEGIN WHILE EXISTS (SELECT FROM pg_stat_activity WHERE pid = "
                    f"{pid}) LOOP PERFORM pg_sleep(0.01); END LOOP; END $$"
                )
            )
    finally:
        admin.dispose()


def test_an_idle_connection_closed_by_the_server_is_replaced_before_use(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _backend(engine)
    _close_from_the_server(engine, first)
    monkeypatch.setattr(db, "PING_IDLE_SECONDS", 0.0)  # it has lain idle long enough

    second = _backend(engine)  # no error: the ping found it closed, the pool replaced it

    assert second != first


def test_a_connection_back_in_use_at_once_is_not_pinged(engine: Engine) -> None:
    first = _backend(engine)
    _close_from_the_server(engine, first)

    with pytest.raises(OperationalError) as failed:  # not pinged: the statement meets it
        _backend(engine)
    assert failed.value.connection_invalidated

    assert _backend(engine) != first  # and the pool has replaced it
