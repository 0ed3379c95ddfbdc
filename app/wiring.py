"""Where the app is put together: a license engine for a data folder, talking to the
activation server at a URL or to one embedded in this process.

The window, the background mode and the ``standby license``/``account`` commands all start
their engine here, and this is the only module outside ``app.server`` that imports the server.
What the rest of the app sees of an embedded server is :class:`LocalServer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from app.engine.engine import Engine


class LocalServer(Protocol):
    """The activation server embedded in this process (SQLite in the data folder)."""

    #: Where it answers, on 127.0.0.1.
    url: str

    def start(self) -> object:
        """Start serving (on a thread of its own); returns at once."""

    def wait_ready(self) -> None:
        """Return once it answers; raise if it could not start (blocks: call from a worker)."""

    def issue_code(
        self, term_seconds: int, *, max_devices: int = 1, requires_account: bool = False
    ) -> str:
        """A fresh commercial code of this server, as a person types it (blocks)."""

    def demo_codes(self) -> dict[str, Any]:
        """Codes and an account for trying the reserve code out within minutes (blocks)."""

    def stop(self) -> None:
        """Finish what it was writing and stop."""


@dataclass
class Wired:
    """An engine and the server it talks to; nothing runs until :meth:`start`."""

    engine: Engine
    #: The embedded server, or None when the engine talks to a server at a URL.
    server: LocalServer | None
    server_url: str

    def start(self, **engine_options: Any) -> None:
        """Start the embedded server, if any, then the engine (``engine_options`` for
        :meth:`Engine.start`)."""
        if self.server is not None:
            self.server.start()
        self.engine.start(**engine_options)

    def stop_server(self) -> None:
        if self.server is not None:
            self.server.stop()


def wire(data_dir: Path, server_url: str | None) -> Wired:
    """An engine for ``data_dir``: on the server at ``server_url``, or (None) on a server
    embedded in this process, its socket bound here so its address is known at once."""
    # Imported here: the window shows its frame before these load (app.gui).
    from app.client.api import ActivationApi
    from app.engine.engine import Engine
    from app.engine.local import secret_store_opener

    embedded = None
    if server_url is None:
        from app.server.embedded import EmbeddedServer

        embedded = EmbeddedServer(data_dir)
        server_url = embedded.bind()
    try:
        engine = Engine(data_dir, ActivationApi(server_url), secret_store_opener(data_dir))
    except BaseException:
        if embedded is not None:
            embedded.stop()  # closes the socket it has bound
        raise
    return Wired(engine, embedded, server_url)
