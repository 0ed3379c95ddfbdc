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


#: Commands started at once on a fresh database (each runs every migration if let).
AT_ONCE = 6


def _check_concurrent_first_use(db_url: str) -> None:
    """Several commands on a fresh database at once: all succeed, one schema, one key."""
    command = [sys.executable, "-m", "app.server", "codes", "issue", "--db", db_url]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(AT_ONCE)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * AT_ONCE, results
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM codes")).scalar() == AT_ONCE
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


def test_a_restart_with_nothing_to_migrate_keeps_foreign_keys_enforced(
    fresh_sqlite_url: str,
) -> None:
    """Found as an account's reserve removed on the web leaving its devices' rows behind."""
    for _start in range(2):  # the first start migrates; the second finds nothing to do
        engine = make_engine(fresh_sqlite_url)
        try:
            migrate(engine)
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        finally:
            engine.dispose()


def test_rows_left_by_deletes_without_foreign_keys_are_mended(fresh_sqlite_url: str) -> None:
    """What such a connection left (a device's account gone, an account's reserve gone but
    not its devices' rows) stopped every later start at the foreign-key check; the next
    start mends it as the deletes would have."""
    import sqlite3

    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    engine.dispose()
    raw = sqlite3.connect(fresh_sqlite_url.removeprefix("sqlite:///"))
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute(
        "INSERT INTO devices (id, account_id, first_seen_at) VALUES ('laptop', 999, '2026-12-07')"
    )
    raw.execute(
        "INSERT INTO account_reserve_devices (reserve_id, device_id, state, replace, updated_at)"
        " VALUES (999, 'laptop', 'held', 0, '2026-12-07')"
    )
    raw.execute("UPDATE alembic_version SET version_num = '0010'")  # as before this release
    raw.commit()
    raw.close()

    engine = make_engine(fresh_sqlite_url)
    try:
        migrate(engine)  # before the mend: RuntimeError, rows without their parents
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            device = connection.exec_driver_sql("SELECT account_id FROM devices").all()
            assert device == [(None,)]  # ON DELETE SET NULL
            held = connection.exec_driver_sql("SELECT count(*) FROM account_reserve_devices")
            assert held.scalar() == 0  # ON DELETE CASCADE
    finally:
        engine.dispose()


def test_a_new_sqlite_database_is_for_its_owner_only(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    engine.dispose()
    path = Path(fresh_sqlite_url.removeprefix("sqlite:///"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_database_from_before_held_seats_keeps_its_seats(fresh_sqlite_url: str) -> None:
    """A seat in use in a database at the first schema (made here by going down to it),
    migrated to the newest again: the seat is still there and in use, not held, and the
    device's license still syncs."""
    from alembic import command

    from app.domain.license import LicenseType
    from tests.server.helpers import activate, new_device
    from tests.servers import running_server, services_for

    def upgrade_or_downgrade(to: str, down: bool = False) -> None:
        engine = make_engine(fresh_sqlite_url)
        try:
            config = alembic_config(engine.url)
            with engine.connect() as connection:
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, to)
                connection.commit()
        finally:
            engine.dispose()

    with services_for(fresh_sqlite_url) as services:
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL, term_seconds=3600
        )
        with running_server(fresh_sqlite_url) as server:
            token = activate(server, code, new_device()).json()["license"]
    upgrade_or_downgrade("0001", down=True)
    engine = make_engine(fresh_sqlite_url)
    try:
        with engine.connect() as connection:
            columns = connection.execute(text("PRAGMA table_info(activations)")).all()
            assert "held_from" not in {column.name for column in columns}
            assert connection.execute(text("SELECT count(*) FROM activations")).scalar() == 1
    finally:
        engine.dispose()
    with services_for(fresh_sqlite_url) as services:  # migrates to the newest schema again
        with running_server(fresh_sqlite_url) as server:
            status = server.post("/licenses/status", {"license": token}).json()
            assert status["seat"] is True
            assert status["state"] == "expiring_soon"  # an hour left of its hour
        facts = services.operator.code_info(code)
        assert (facts["devices_used"], facts["devices_held"]) == (1, 0)


@pytest.mark.postgres
def test_a_password_with_escaped_characters_migrates(pg_url: str) -> None:
    """A PostgreSQL URL as an operator writes one when the password has an ``@`` or a ``%``
    in it (percent-escaped): the schema is made (the test server trusts any password)."""
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).set(password="p@ss%word").render_as_string(hide_password=False)
    assert "p%40ss%25word" in url
    _check_migrates_from_empty(url)
