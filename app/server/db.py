"""Engines, sessions and migrations for SQLite and PostgreSQL.

SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` for every transaction: several
server processes then take the write lock one after another instead of failing with
"database is locked" when a reader upgrades to a writer.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from app.server.settings import current

try:
    import fcntl
except ImportError:  # Windows: one process per database there (the embedded server)
    fcntl = None  # type: ignore[assignment]

DATABASE_URL_ENV = "STANDBY_DATABASE_URL"
_READ_ONLY_OPTION = "standby_read_only"
#: Execution options for a transaction that only reads: on SQLite it begins without taking
#: the write lock (WAL lets it read beside a writer).
READ_ONLY = {_READ_ONLY_OPTION: True}
MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK_ID = 0x5743_4E44  # any constant shared by every process of this server


class DatabaseUrlError(ValueError):
    pass


def parse_url(raw: str | None) -> URL:
    """Validate an SQLAlchemy URL; only SQLite and PostgreSQL are supported."""
    raw = raw or os.environ.get(DATABASE_URL_ENV)
    if not raw:
        raise DatabaseUrlError(f"no database URL: pass --db or set {DATABASE_URL_ENV}")
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"invalid database URL {raw!r}") from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            f"unsupported database {url.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://"
        )
    if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseUrlError("SQLite needs a file: sqlite:///path/to/standby.db")
        # One absolute path from here on: the lock, secret and database files all sit by it.
        path = Path(url.database).expanduser().resolve()
        if not path.parent.is_dir():
            raise DatabaseUrlError(f"folder {path.parent} for the SQLite database does not exist")
        url = url.set(database=str(path))
    return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(wait_seconds() * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: WAL is synced at every commit, so a seat whose answer was sent survives a power
        # loss (NORMAL would keep it through a crash of the process only).
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY_OPTION)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(raw_url: str | URL | None) -> Engine:
    url = raw_url if isinstance(raw_url, URL) else parse_url(raw_url)
    if url.get_backend_name() == "sqlite":
        assert url.database
        # Accounts and audit trails are personal data: a new database is for its owner only
        # (SQLite gives its -wal and -shm files the same mode).
        try:
            os.close(os.open(url.database, os.O_RDWR | os.O_CREAT, 0o600))
        except OSError as exc:
            raise DatabaseUrlError(
                f"cannot open the database file {url.database}: {exc.strerror or exc}"
            ) from exc
        engine = create_engine(
            url, pool_size=8, max_overflow=32, pool_timeout=wait_seconds(), hide_parameters=True
        )
        _sqlite_setup(engine)
        return engine
    # Waits for a locked row or a slow statement end in an error (answered 503), never hang.
    timeouts = f"-c lock_timeout={int(wait_seconds() * 1000)} -c statement_timeout=30000"
    engine = create_engine(
        url,
        pool_size=8,
        max_overflow=32,
        pool_timeout=wait_seconds(),
        hide_parameters=True,
        connect_args={"options": timeouts},
    )
    _ping_when_idle(engine)
    return engine


#: A pooled PostgreSQL connection unused for longer than this is pinged before it is used.
PING_IDLE_SECONDS = 1.0
_RETURNED_AT = "standby_returned_at"


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only if it has lain idle: one that a restarted
    PostgreSQL or a network's idle timeout has closed is then replaced before a request
    meets it, while a server under load (every connection back in use within moments)
    spends no round trip on it. SQLAlchemy's ``pool_pre_ping`` pings at every checkout:
    under load that was one round trip in four on an activation's batch. A connection that
    dies while in use still fails its transaction, and SQLAlchemy then replaces every
    pooled connection."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned <= PING_IDLE_SECONDS:
            return  # new, or back in use at once
        try:
            engine.dialect.do_ping(dbapi_connection)  # autocommit, as pool_pre_ping does
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("a pooled connection was closed") from exc


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class DatabaseBusy(Exception):
    """The database could not be had in time; the API answers 503 with Retry-After."""


def wait_seconds() -> float:
    """How long a request waits for the database before it is told to try again (503):
    ``STANDBY_DB_WAIT_SECONDS``, else 15 (:mod:`app.server.settings`)."""
    return current().db_wait_seconds


_POLL_FIRST, _POLL_MOST = 0.0005, 0.01


class WriteGate:
    """Lets one transaction at a time into an SQLite database, across threads and processes.

    SQLite has one write lock per file, and a writer that finds it taken sleeps and polls
    with growing pauses (the busy timeout). Under load that turns into long stalls. Queueing
    here instead (a thread lock, then an exclusive ``flock`` on a file beside the database)
    hands the database on as soon as the previous writer commits. No wait is unbounded: after
    ``timeout`` seconds DatabaseBusy is raised, even if a stopped process holds the lock.
    PostgreSQL locks rows itself and needs no gate.
    """

    def __init__(self, lock_path: Path | None, timeout: float | None = None) -> None:
        self._threads = threading.Lock()
        self._lock_path = lock_path if fcntl is not None else None
        self._fd: int | None = None
        self._timeout = wait_seconds() if timeout is None else timeout

    def __call__(self) -> AbstractContextManager[None]:
        """Enter within the timeout, or raise DatabaseBusy."""
        return self._held(time.monotonic() + self._timeout)

    def blocking(self) -> AbstractContextManager[None]:
        """Enter however long it takes: for the batch writer alone, whose requests stop
        waiting by themselves. A blocking flock is woken the moment it is free, which polling
        cannot match under load."""
        return self._held(None)

    @contextmanager
    def _held(self, deadline: float | None) -> Iterator[None]:
        acquired = (
            self._threads.acquire()
            if deadline is None
            else self._threads.acquire(timeout=max(0.0, deadline - time.monotonic()))
        )
        if not acquired:
            raise DatabaseBusy("another request holds the database")
        try:
            if self._lock_path is None or fcntl is None:
                yield
                return
            if self._fd is None:
                self._fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            if deadline is None:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            else:
                self._lock_file(self._fd, deadline)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    @staticmethod
    def _lock_file(fd: int, deadline: float) -> None:
        # A blocking flock cannot time out, so poll, briefly at first: the other holder is
        # normally another server process finishing one short transaction.
        pause = _POLL_FIRST
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() + pause > deadline:
                    raise DatabaseBusy("another process holds the database") from None
                time.sleep(pause)
                pause = min(pause * 2, _POLL_MOST)


def write_gate(engine: Engine) -> WriteGate | None:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return WriteGate(Path(engine.url.database + ".lock"))


def alembic_config(url: URL) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's options are read with configparser's interpolation: a password or a path
    # with a percent sign in it (a URL escapes "@" as %40) needs each doubled.
    rendered = url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; safe when several processes start at once.

    PostgreSQL: under an advisory lock. SQLite: inside the write gate's file lock, held for
    the whole upgrade. Alembic commits each migration on SQLite by itself (its DDL is not
    transactional there), so SQLite's own write lock is let go between two migrations, and a
    second process that had read the old version would run the next migration again."""
    config = alembic_config(engine.url)
    gate = write_gate(engine)
    with gate.blocking() if gate else nullcontext(), engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
            if engine.dialect.name == "sqlite":
                # The migrations turn foreign keys off on this connection; turning them back
                # on is a no-op inside the transaction alembic leaves open when there was
                # nothing to migrate (a restart). So the connection is not used again.
                connection.invalidate()
        finally:
            if engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
                connection.commit()
