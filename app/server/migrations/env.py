"""Alembic environment: runs on the connection handed over by app.server.db.migrate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Connection, create_engine

from app.server.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # plain `alembic` command line use, e.g. autogenerate
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.connect() as own_connection:
            context.configure(
                connection=own_connection,
                target_metadata=target_metadata,
                render_as_batch=True,
            )
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with _foreign_keys_off(connection), context.begin_transaction():
        context.run_migrations()


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys unenforced while migrations run: batch mode recreates a table
    by dropping it, and with them on, dropping ``devices`` would delete every seat that
    refers to it (ON DELETE CASCADE). Checked once the migrations are done."""
    if connection.dialect.name != "sqlite" or connection.in_transaction():
        yield
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, where it takes effect
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migrations left rows without their parents: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; pass a database URL")
run_migrations_online()
