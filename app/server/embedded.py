"""The activation server inside the desktop app: same code, its own thread, SQLite on disk.

The listening socket is bound before the thread starts, so the address is known at once
and the window can be shown while the database is migrated: connections made meanwhile
wait in the socket's backlog until the server takes them. The server's code (FastAPI,
SQLAlchemy, uvicorn: over a second to import, ``bench/imports.py``) loads in that thread,
not before the window.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain import codes
from app.domain.license import LicenseType

if TYPE_CHECKING:
    from app.server.services import Services

log = logging.getLogger("standby.embedded")
READY_SECONDS = 60.0


class EmbeddedServerError(Exception):
    pass


class EmbeddedServer:
    """``start()`` returns at once; ``url`` works from then on."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "server"
        self.database = self.folder / "standby.db"
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._server: Any = None
        self._services: Services | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._stopping = False
        self.url = ""

    def bind(self) -> str:
        """Take the listening socket; from now on ``url`` works (calls wait for ``start``)."""
        if self._socket is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", 0))
            listener.listen(128)
            self._socket = listener
            self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        return self.url

    def start(self) -> str:
        """Bind if needed and start serving on a daemon thread; returns at once."""
        self.bind()
        if self._thread is None and not self._stopping:
            self._thread = threading.Thread(target=self._run, name="embedded-server", daemon=True)
            self._thread.start()
        return self.url

    def _run(self) -> None:
        try:
            import uvicorn

            from app.server.api.app import create_app
            from app.server.db import make_engine, migrate
            from app.server.settings import ServerSettings

            url = f"sqlite:///{self.database}"
            migrate_engine = make_engine(url)
            try:
                migrate(migrate_engine)
            finally:
                migrate_engine.dispose()
            # Its own settings, not the environment's: a desktop's variables are not for it.
            api = create_app(ServerSettings.model_construct(database_url=url))
            self._services = api.state.services
            # One local client: the standard asyncio loop and h11 serve it well, and the
            # bundle can leave uvloop, httptools and websockets out.
            config = uvicorn.Config(
                api,
                loop="asyncio",
                http="h11",
                ws="none",
                log_config=None,
                access_log=False,
                lifespan="on",
                proxy_headers=False,
                date_header=False,  # nothing to refresh every second
            )
            self._server = _quiet_server(config)
            self._server.should_exit = self._stopping  # stopped before it started
            self._ready.set()
            assert self._socket is not None
            log.info("the built-in activation server answers at %s", self.url)
            self._server.run(sockets=[self._socket])
        except BaseException as exc:
            self._failure = exc
            self._ready.set()
            log.exception("the embedded activation server stopped")

    def services(self) -> Services:
        """The running server's services (blocks until it is up: call from a worker)."""
        if not self._ready.wait(READY_SECONDS) or self._services is None:
            raise EmbeddedServerError(
                f"the embedded activation server did not start ({self._failure!r})"
            )
        return self._services

    def wait_ready(self) -> None:
        """Return once the server answers; EmbeddedServerError if it could not start."""
        self.services()

    def issue_code(
        self, term_seconds: int, *, max_devices: int = 1, requires_account: bool = False
    ) -> str:
        """A fresh commercial code, formatted as typed; valid long enough (3 years) that each
        code issued can follow the others as a reserve code."""

        raw = self.services().operator.issue_codes(
            license_type=LicenseType.COMMERCIAL,
            term_seconds=term_seconds,
            max_devices=max_devices,
            requires_account=requires_account,
            valid_until=datetime.now(UTC) + timedelta(days=3 * 365),
        )[0]
        return codes.format_code(raw)

    def demo_codes(self) -> dict[str, Any]:
        return issue_demo_codes(self)

    def stop(self, wait: float = 5.0) -> None:
        """Ask the server to finish (its queued writes first) and wait a little for it."""
        self._stopping = True
        if self._thread is not None:
            if self._server is not None:
                self._server.should_exit = True
                self._server.wake()
            self._thread.join(wait)
            self._thread = None
        if self._socket is not None:
            self._socket.close()


def _quiet_server(config: Any) -> Any:
    """A uvicorn server that sleeps until asked to stop.

    uvicorn's own main loop wakes ten times a second to see whether it should stop (600
    wake-ups a minute in a process that otherwise sleeps); this one is woken by the stop.
    """
    import asyncio

    import uvicorn

    class QuietServer(uvicorn.Server):
        _loop: asyncio.AbstractEventLoop | None = None
        _stop: asyncio.Event | None = None

        async def main_loop(self) -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            await self.on_tick(0)  # the default headers, once
            while not self.should_exit:
                await self._stop.wait()

        def wake(self) -> None:
            loop, stop = self._loop, self._stop
            if loop is not None and stop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(stop.set)

    return QuietServer(config)


DEMO_ACCOUNT_PASSWORD_LENGTH = 12


def issue_demo_codes(server: EmbeddedServer) -> dict[str, Any]:
    """A few fresh codes (and an account) for trying the reserve code out within minutes."""

    year = 365 * 86400
    email = f"demo-{secrets.token_hex(3)}@example.com"
    # From the codes' alphabet: no look-alikes (l and I, O and 0) to misread when typed.
    password = "".join(secrets.choice(codes.ALPHABET) for _ in range(DEMO_ACCOUNT_PASSWORD_LENGTH))
    server.services().accounts.create(email, password)
    return {
        "short": server.issue_code(3 * 60),
        "year": server.issue_code(year),
        "three_devices": server.issue_code(year, max_devices=3),
        "account": server.issue_code(2 * year, requires_account=True),
        "email": email,
        "password": password,
    }
