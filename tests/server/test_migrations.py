"""The schema comes from the migrations alone, on an empty SQLite file and on PostgreSQL."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.server.db import alembic_config, make_engine, migrate
from app.server.models import Base
from tests.servers import table_names

TABLES = {
    "accounts",
    "codes",
    "devices",
    "activations",
    "audit_log",
    "signing_keys",
    "server_secrets",
}


def _check_migrates_from_empty(db_url: str) -> None:
    assert not table_names(db_url) & TABLES
    engine = make_engine(db_url)
    try:
        migrate(engine)
        migrate(engine)  # a second run is a no-op
        with engine.connect() as connection:
            head = ScriptDirectory.from_config(alembic_config(engine.url)).get_current_head()
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == head
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            assert differences == []  # the models and the migrations describe the same schema
    finally:
        engine.dispose()
    assert table_names(db_url) >= TABLES


def _check_concurrent_first_use(db_url: str) -> None:
    """Several commands on a fresh database at once: all succeed, one schema, one key."""
    command = [sys.executable, "-m", "app.server", "codes", "issue", "--db", db_url]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], results
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM codes")).scalar() == 3
            assert connection.execute(text("SELECT count(*) FROM signing_keys")).scalar() == 1
            assert connection.execute(text("SELECT count(*) FROM server_secrets")).scalar() == 1
    finally:
        engine.dispose()


def test_sqlite_from_empty(fresh_sqlite_url: str) -> None:
    _check_migrates_from_empty(fresh_sqlite_url)


def test_sqlite_concurrent_first_use(fresh_sqlite_url: str) -> None:
    _check_concurrent_first_use(fresh_sqlite_url)


@pytest.mark.postgres
def test_postgres_from_empty(pg_url: str) -> None:
    _check_migrates_from_empty(pg_url)


@pytest.mark.postgres
def test_postgres_concurrent_first_use(pg_url: str) -> None:
    _check_concurrent_first_use(pg_url)


def test_a_new_sqlite_database_is_for_its_owner_only(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    engine.dispose()
    path = Path(fresh_sqlite_url.removeprefix("sqlite:///"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
