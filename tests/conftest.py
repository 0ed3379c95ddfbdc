from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.server.services import Services
from app.server.vault import SECRET_FILE_ENV
from tests.needs import need
from tests.servers import (
    RunningServer,
    fresh_postgres_database,
    postgres_url,
    running_server,
    services_for,
)


@pytest.fixture(scope="session", autouse=True)
def _secret_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One secret file for the session's servers and CLI calls, never the user's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_FILE_ENV, str(tmp_path_factory.mktemp("vault") / "server.secret"))
        yield


@pytest.fixture(scope="session", autouse=True)
def _config_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Start-at-login entries land in a temporary config folder, never the user's own
    (windows and processes started by the tests inherit it)."""
    folder = tmp_path_factory.mktemp("config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'standby.db'}"


@pytest.fixture(scope="session")
def server(sqlite_url: str) -> Iterator[RunningServer]:
    """One real server for the session, SQLite in a temporary file."""
    with running_server(sqlite_url) as running:
        yield running


@pytest.fixture(scope="session")
def pg_server() -> Iterator[RunningServer]:
    """A real server on a fresh PostgreSQL database; skipped without the URL."""
    admin = _postgres_admin_url()
    with fresh_postgres_database(admin) as url, running_server(url, workers=2) as running:
        yield running


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest) -> RunningServer:
    """The SQLite server, then the PostgreSQL one (where the environment provides it)."""
    name = "server" if request.param == "sqlite" else "pg_server"
    running: RunningServer = request.getfixturevalue(name)
    return running


@pytest.fixture(scope="session")
def services(server: RunningServer) -> Iterator[Services]:
    with services_for(server.db_url) as shared:
        yield shared


@pytest.fixture
def device_id() -> str:
    return f"device-{uuid.uuid4().hex}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database; the test is skipped without STANDBY_TEST_DATABASE_URL."""
    with fresh_postgres_database(_postgres_admin_url()) as url:
        yield url


def _postgres_admin_url() -> str:
    admin = postgres_url()
    need(
        "postgres",
        None
        if admin
        else "set STANDBY_TEST_DATABASE_URL to a PostgreSQL URL that may create databases, "
        "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    assert admin is not None
    return admin


@pytest.fixture
def fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_db_url(request: pytest.FixtureRequest, fresh_sqlite_url: str) -> str:
    """A fresh SQLite file, then a fresh PostgreSQL database (where the environment has one)."""
    if request.param == "sqlite":
        return fresh_sqlite_url
    url: str = request.getfixturevalue("pg_url")
    return url
