"""Engines, sessions and migrations for SQLite and PostgreSQL.

SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` for every transaction: several
server processes then take the write lock one after another instead of failing with
"database is locked" when a reader upgrades to a writer.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

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
        parent = Path(url.database).expanduser().resolve().parent
        if not parent.is_dir():
            raise DatabaseUrlError(f"folder {parent} for the SQLite database does not exist")
    return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY_OPTION)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(raw_url: str | URL | None) -> Engine:
    url = raw_url if isinstance(raw_url, URL) else parse_url(raw_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url, pool_size=8, max_overflow=24, pool_timeout=60, hide_parameters=True
        )
        _sqlite_setup(engine)
        return engine
    return create_engine(
        url, pool_size=8, max_overflow=16, pool_pre_ping=True, pool_timeout=60, hide_parameters=True
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class WriteGate:
    """Lets one transaction at a time into an SQLite database, across threads and processes.

    SQLite has one write lock per file, and a writer that finds it taken sleeps and polls
    with growing pauses (the busy timeout). Under load that turns into long stalls. Queueing
    here instead (a thread lock, then an exclusive ``flock`` on a file beside the database)
    wakes the next writer as soon as the previous one commits. PostgreSQL locks rows itself
    and needs no gate.
    """

    def __init__(self, lock_path: Path | None) -> None:
        self._threads = threading.Lock()
        self._lock_path = lock_path if fcntl is not None else None
        self._fd: int | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._threads:
            if self._lock_path is None or fcntl is None:
                yield
                return
            if self._fd is None:
                self._fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


def write_gate(engine: Engine) -> WriteGate | None:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return WriteGate(Path(engine.url.database + ".lock"))


def alembic_config(url: URL) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.render_as_string(hide_password=False))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; safe when several processes start at once."""
    config = alembic_config(engine.url)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
                connection.commit()
