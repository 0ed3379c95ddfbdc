"""Refusals limited per client address: a client that keeps being refused is told to wait.

Every refused request on the device API (a wrong or blocked code, an unknown license, a
malformed body: any 4xx) counts against its address, per minute. Past the limit, the address
gets ``429 rate_limited`` with ``Retry-After`` until the minute is over, without reaching the
handlers: no database work, and no audit row per request. What was held back is recorded as
one audit row per address and interval (``refusals_limited``, with the count), so a stranger
sending wrong codes as fast as it can writes a bounded log. Sign-in has limits of its own.

The counts are per worker process, in memory: with N workers an address gets up to N times
the limit before every worker holds it back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("standby.server")

REFUSALS_ENV = "STANDBY_REFUSALS_PER_MINUTE"
DEFAULT_REFUSALS = 120
WINDOW_SECONDS = 60.0
#: Addresses tracked at once; beyond that, the oldest windows are forgotten.
MOST_ADDRESSES = 100_000
EXEMPT = ("/api/v1/accounts/sign-in",)


class Refusals:
    """The refusals of each address in its current window, and the requests held back."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        #: Per address: when its window began, and the refusals in it.
        self._windows: dict[str, tuple[float, int]] = {}
        self._held_back: dict[str, int] = {}

    def wait(self, address: str) -> int | None:
        """Seconds ``address`` must wait (counted as held back), or None if it may go on."""
        began, refused = self._window(address, self.clock())
        if refused < self.limit:
            return None
        self._held_back[address] = self._held_back.get(address, 0) + 1
        return max(1, int(began + WINDOW_SECONDS - self.clock()) + 1)

    def refused(self, address: str) -> None:
        now = self.clock()
        if len(self._windows) >= MOST_ADDRESSES and address not in self._windows:
            live = {a: w for a, w in self._windows.items() if now - w[0] < WINDOW_SECONDS}
            self._windows = live if len(live) < MOST_ADDRESSES else {}
        began, refused = self._window(address, now)
        self._windows[address] = (began, refused + 1)

    def take_held_back(self) -> dict[str, int]:
        """The requests held back per address since the last call, to record."""
        taken, self._held_back = self._held_back, {}
        return taken

    def _window(self, address: str, now: float) -> tuple[float, int]:
        began, refused = self._windows.get(address, (now, 0))
        return (now, 0) if now - began >= WINDOW_SECONDS else (began, refused)


class RefusalLimit:
    """The ASGI middleware over :class:`Refusals`; ``answer(wait)`` is the 429 to send."""

    def __init__(self, app: ASGIApp, refusals: Refusals, answer: Callable[[int], ASGIApp]) -> None:
        self.app = app
        self.refusals = refusals
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or not path.startswith("/api/v1/")
            or path in EXEMPT
        ):
            await self.app(scope, receive, send)
            return
        address = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.refusals.wait(address)
        if wait is not None:
            await self.answer(wait)(scope, receive, send)
            return
        status = 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watched)
        if 400 <= status < 500 and status != 429:
            self.refusals.refused(address)
