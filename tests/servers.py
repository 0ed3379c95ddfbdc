"""Start the real activation server in a subprocess and talk to it over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
from sqlalchemy import func, make_url, select, text

from app.device_proof import DeviceKey
from app.domain.license import LicenseType
from app.server.db import make_engine, migrate
from app.server.models import ActivationRow, CodeRow
from app.server.services import Services

STARTUP_SECONDS = 60.0
#: The clone's root: the folder that holds ``app`` and ``tests``.
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(
    db_url: str, port: int, workers: int = 1, clock: Path | None = None
) -> list[str]:
    """``standby-server serve`` on ``db_url``; with ``clock``, reading its time from that
    file's :class:`tests.clocks.MovableClock` (one worker: the clock is this process's)."""
    if clock is not None and workers != 1:
        raise ValueError("a server on a movable clock runs one worker, in its own process")
    return [
        sys.executable,
        "-m",
        *(("tests.clocks", str(clock)) if clock is not None else ("app.server",)),
        "serve",
        "--db",
        db_url,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


@dataclass
class RunningServer:
    url: str
    db_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1{path}"

    def post(
        self,
        path: str,
        body: Any,
        *,
        key: DeviceKey | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """POST ``body`` as JSON, signed as the device it names (``device_id``, or its
        license's) with the tests' key for it, or with ``key``; ``headers`` given: sent as
        they are, unsigned."""
        headers = kwargs.pop("headers", None)
        if headers is None:
            payload, headers = self.signed(path, body, key)
        else:
            payload, headers = json.dumps(body).encode(), {"Content-Type": "application/json"}
        return requests.post(self.api(path), data=payload, headers=headers, timeout=30, **kwargs)

    def signed(
        self, path: str, body: Any, key: DeviceKey | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """``body`` as sent, and the headers of a POST of it to ``path`` signed as the device
        it names, with the tests' key for it (or ``key``)."""
        payload = json.dumps(body).encode()
        proof = proof_headers(self.api(path), payload, device_of(body), key)
        return payload, {"Content-Type": "application/json", **proof}


#: The key pair of each device id the tests use, made when first needed.
_DEVICE_KEYS: dict[str, DeviceKey] = {}
_KEYS_LOCK = threading.Lock()


def device_key(device_id: str) -> DeviceKey:
    """The key the tests sign ``device_id``'s calls with (one per device id, as an app's)."""
    with _KEYS_LOCK:
        if device_id not in _DEVICE_KEYS:
            _DEVICE_KEYS[device_id] = DeviceKey.generate()
        return _DEVICE_KEYS[device_id]


def claims_of(token: str) -> dict[str, object]:
    """A license's claims, unverified."""
    return dict(jwt.decode(token, options={"verify_signature": False}))


def device_of(body: Any) -> str:
    """The device a request body acts for: its ``device_id``, or its license's subject."""
    if isinstance(body, dict):
        if isinstance(body.get("device_id"), str):
            return str(body["device_id"])
        token = body.get("license")
        if isinstance(token, str):
            try:
                return str(claims_of(token)["sub"])
            except (jwt.InvalidTokenError, KeyError):
                pass  # not a license (a generated one): any device will do
    return "device-anyone"


def proof_headers(
    url: str, payload: bytes, device_id: str, key: DeviceKey | None = None
) -> dict[str, str]:
    """The headers that prove a POST of ``payload`` to ``url`` is ``device_id``'s (signed
    with the tests' key for it, or ``key``)."""
    signer = key or device_key(device_id)
    return signer.headers("POST", urlsplit(url).path, payload, int(time.time()))


@contextmanager
def running_server(
    db_url: str,
    workers: int = 1,
    env: dict[str, str] | None = None,
    port: int | None = None,
    options: Sequence[str] = (),
    clock: Path | None = None,
) -> Iterator[RunningServer]:
    """A server on 127.0.0.1 (a free port unless given), up when the block starts, stopped
    after; with ``clock``, on the time of that file's :class:`tests.clocks.MovableClock`."""
    port = port or free_port()
    with tempfile.NamedTemporaryFile("w+b", suffix=".log", delete=False) as log:
        process = subprocess.Popen(
            [*server_command(db_url, port, workers, clock), *options],
            cwd=ROOT if clock is not None else None,  # where ``tests.clocks`` is found
            stdout=log,
            stderr=subprocess.STDOUT,
            # The suite's many refusals from 127.0.0.1 are not an attack; the limit has tests
            # of its own, which pass --refusals-per-minute.
            env={**os.environ, "STANDBY_REFUSALS_PER_MINUTE": "1000000", **(env or {})},
        )
    server = RunningServer(f"http://127.0.0.1:{port}", db_url, process, Path(log.name))
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {server.log.read_text()[-3000:]}")
            try:
                if requests.get(server.api("/health"), timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {server.log.read_text()[-3000:]}")
            time.sleep(0.05)  # polling a port that is not open yet; there is no signal to await
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server.log.unlink(missing_ok=True)


@contextmanager
def services_for(db_url: str) -> Iterator[Services]:
    """The server's own service layer on the same database, for issuing and blocking codes."""
    engine = make_engine(db_url)
    migrate(engine)
    services = Services(engine)
    try:
        yield services
    finally:
        services.close()


@contextmanager
def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``admin_url``; dropped afterwards."""
    import psycopg

    url = make_url(admin_url)
    name = f"standby_test_{uuid.uuid4().hex[:12]}"
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def issue_code(
    services: Services,
    term: int = 365 * 86400,
    *,
    devices: int = 1,
    license_type: LicenseType = LicenseType.COMMERCIAL,
    requires_account: bool = False,
    app_versions: str = "",
    valid_until: datetime | None = None,
) -> str:
    """One fresh code on ``services``' database (valid for ten years unless told)."""
    return services.operator.issue_codes(
        license_type=license_type,
        term_seconds=term,
        max_devices=devices,
        requires_account=requires_account,
        app_versions=app_versions,
        valid_until=valid_until or datetime.now(UTC) + timedelta(days=3650),
    )[0]


def postgres_url() -> str | None:
    return os.environ.get("STANDBY_TEST_DATABASE_URL") or None


def table_names(db_url: str) -> set[str]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
            else:
                rows = connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            return {row[0] for row in rows}
    finally:
        engine.dispose()


def seat_rows(services: Services, code: str) -> int:
    """Seats of ``code`` counted in the activations table, not from the code's own counter."""
    with services.factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(ActivationRow)
                .join(CodeRow)
                .where(CodeRow.last5 == code[-5:])
            )
            or 0
        )


def held_rows(services: Services, code: str) -> int:
    """Seats of ``code`` the activations table still marks held for later (``held_from``):
    one whose takeover the server has not confirmed is among them, whatever the time."""
    with services.factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(ActivationRow)
                .join(CodeRow)
                .where(CodeRow.last5 == code[-5:], ActivationRow.held_from.is_not(None))
            )
            or 0
        )
