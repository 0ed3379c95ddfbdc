"""uvicorn's HTTP protocol with a deadline on the request line and headers.

uvicorn bounds a connection's idle time between requests (keep-alive) but not the time a
client takes to send a request's headers: a client that connects and sends nothing, or a few
bytes a minute, holds its connection for ever. Here a request's headers must be complete
within ``STANDBY_HEADER_SECONDS`` (``standby-server serve --header-timeout``, default 10) of
the connection being made or of the request's first byte; if not, the connection is closed.
The body has its own deadline (``BodyLimit``)."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.server.settings import current


class HeaderDeadlineProtocol(HttpToolsProtocol):
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_deadline()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_deadline()

    def on_headers_complete(self) -> None:
        self._stop_deadline()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)

    def _start_deadline(self) -> None:
        self._stop_deadline()
        seconds = current().header_seconds  # uvicorn makes the protocol: no way to pass it in
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()
