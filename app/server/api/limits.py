"""Refusals limited per client address and per network, counted in the shared database.

Every refused request on the device API (a wrong or blocked code, an unknown license, a
malformed body: any 4xx but the limit's own 429) counts against its address, and against the
address's network (IPv4 /24, IPv6 /64), per minute, in the database every server process
shares (:mod:`app.server.services.counts`): one worker, N workers and N hosts hold an address
to the same limit. An address may be refused ``--refusals-per-minute`` times (120), its
network four times as often; past that, it gets ``429 rate_limited`` with ``Retry-After``
until its minute is over. What was held back is recorded as one audit row per address and
interval (``refusals_limited``, with the count), so a stranger sending wrong codes as fast as
it can writes a bounded log. Sign-in has limits of its own.

When it is counted: a request with no other request of its address or network under way in
this process is counted once it is refused, so a device's successful calls cost the limit
nothing. Any other (a burst, several at once) is counted *before* the work, atomically, and
given back if it is not refused: however many arrive at once, on however many processes, an
address or a network gets past its limit by at most one request per process. What a process
knows (who must wait, until when) is only a copy: when it holds too many addresses to
remember, every request is counted first, and the database decides.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Callable

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.server.api.forwarded import parse_address
from app.server.services.counts import Count, SharedCounts

log = logging.getLogger("standby.server")

REFUSALS_ENV = "STANDBY_REFUSALS_PER_MINUTE"
DEFAULT_REFUSALS = 120
#: A network may be refused this many times as often as one of its addresses.
NETWORK_FACTOR = 4
#: Addresses and networks a process remembers as held back at once.
MOST_HELD = 100_000
EXEMPT = ("/api/v1/accounts/sign-in",)
#: A request's counts, and the seconds it must wait (None: it may go on).
Judged = tuple[list[Count], int | None]


def limit_keys(address: str) -> list[str]:
    """The counts a refusal from ``address`` adds to: its own, and its network's."""
    parsed = parse_address(address)
    if parsed is None:
        return [f"a:{address[:60]}"]
    prefix = 24 if parsed.version == 4 else 64
    network = ipaddress.ip_network(f"{parsed}/{prefix}", strict=False)
    return [f"a:{parsed}", f"n:{network}"]


class Refusals:
    """This process's side of the shared counts: who must wait, the requests under way per
    address and network, and the requests held back (to record).

    Counting goes to the database in batches: the requests that arrive while one batch is
    being written are written together next, one statement per key (group commit), and each
    learns its own place in the count. A burst from one address costs a write per batch,
    not per request.
    """

    def __init__(
        self, counts: SharedCounts, limit: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.counts = counts
        self.most = {"a": limit, "n": limit * NETWORK_FACTOR}
        self.clock = clock
        self._until: dict[str, float] = {}
        self._under_way: dict[str, int] = {}
        self._held_back: dict[str, int] = {}
        #: Too many addresses held back to remember: every request is counted first.
        self.crowded = False
        self._waiting: list[tuple[list[str], bool, asyncio.Future[Judged]]] = []
        self._giving: dict[tuple[str, int], int] = {}
        self._writing = False
        self._writer: asyncio.Task[None] | None = None

    def wait(self, keys: list[str]) -> int | None:
        """Seconds to wait if one of ``keys`` is held back here, else None."""
        now = self.clock()
        until = max((self._until.get(key, 0.0) for key in keys), default=0.0)
        return max(1, int(until - now) + 1) if until > now else None

    def count_first(self, keys: list[str]) -> bool:
        """Whether a request adding to ``keys`` must be counted before its work: another
        request of its address or network is under way here (not yet counted)."""
        return self.crowded or any(key in self._under_way for key in keys)

    def begin(self, keys: list[str]) -> None:
        for key in keys:
            self._under_way[key] = self._under_way.get(key, 0) + 1

    def end(self, keys: list[str]) -> None:
        for key in keys:
            left = self._under_way.pop(key, 1) - 1
            if left:
                self._under_way[key] = left

    def held_back(self, address: str) -> None:
        self._held_back[address] = self._held_back.get(address, 0) + 1

    async def count(self, keys: list[str], *, refused: bool) -> Judged:
        """Count a request (``refused``: after its refusal; else before its work): its
        counts, and the seconds to wait if it is over a limit. Who reached a limit is held
        back here until the window ends."""
        judged: asyncio.Future[Judged] = asyncio.get_running_loop().create_future()
        self._waiting.append((keys, refused, judged))
        self._write_soon()
        return await judged

    def give_back(self, counts: list[Count]) -> None:
        """A request counted before its work was not refused: take it back (soon)."""
        for count in counts:
            place = (count.key, count.window_start)
            self._giving[place] = self._giving.get(place, 0) + 1
        self._write_soon()

    def reached(self, counts: list[Count]) -> None:
        """A request counted before its work was refused: hold back what it filled."""
        for count in counts:
            if count.count >= self.most[count.key[0]]:
                self._hold(count)

    def take_held_back(self) -> dict[str, int]:
        """The requests held back per address since the last call, to record."""
        taken, self._held_back = self._held_back, {}
        return taken

    def _write_soon(self) -> None:
        if not self._writing:
            self._writing = True
            # Kept: the loop holds only a weak reference to a task.
            self._writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        try:
            while self._waiting or self._giving:
                batch, self._waiting = self._waiting, []
                giving, self._giving = self._giving, {}
                await self._write_batch(batch, giving)
        finally:
            self._writing = False

    async def _write_batch(
        self,
        batch: list[tuple[list[str], bool, asyncio.Future[Judged]]],
        giving: dict[tuple[str, int], int],
    ) -> None:
        adds: dict[str, int] = {}
        for keys, _refused, _judged in batch:
            for key in keys:
                adds[key] = adds.get(key, 0) + 1
        made: dict[str, Count] = {}
        try:
            made = await anyio.to_thread.run_sync(self.counts.apply, adds, giving)
        except Exception as exc:  # the database is away: the API answers 503 on its own
            log.warning("refusals not counted: %s", exc.__class__.__name__)
        # Each request's place in the count, in the order they came.
        places = {key: count.count - adds[key] for key, count in made.items()}
        for keys, refused, judged in batch:
            counts = []
            for key in keys:
                if key in made:
                    places[key] += 1
                    counts.append(Count(key, places[key], made[key].window_start))
            if not judged.done():
                judged.set_result(self._judge(counts, refused=refused))

    def _judge(self, counts: list[Count], *, refused: bool) -> Judged:
        over = [c for c in counts if c.count > self.most[c.key[0]]]
        for count in [c for c in counts if c.count >= self.most[c.key[0]]] if refused else over:
            self._hold(count)
        if not over:
            return counts, None
        return counts, max(1, max(c.ends() for c in over) - int(self.clock()) + 1)

    def _hold(self, count: Count) -> None:
        now = self.clock()
        if len(self._until) >= MOST_HELD and count.key not in self._until:
            self._until = {key: until for key, until in self._until.items() if until > now}
            self.crowded = len(self._until) >= MOST_HELD
            if self.crowded:
                return
        self._until[count.key] = float(count.ends())


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
        refusals = self.refusals
        keys = limit_keys(address)
        wait = refusals.wait(keys)
        if wait is not None:
            refusals.held_back(address)
            await self.answer(wait)(scope, receive, send)
            return
        counted: list[Count] | None = None
        first = refusals.count_first(keys)
        refusals.begin(keys)
        try:
            if first:
                counted, wait = await refusals.count(keys, refused=False)
                if wait is not None:
                    refusals.held_back(address)
                    refusals.give_back(counted)
                    await self.answer(wait)(scope, receive, send)
                    return
            status = await self._run(scope, receive, send)
            refused = 400 <= status < 500 and status != 429
            if refused and counted is None:
                await refusals.count(keys, refused=True)
            elif refused and counted:
                refusals.reached(counted)
            elif counted:
                refusals.give_back(counted)
        finally:
            refusals.end(keys)

    async def _run(self, scope: Scope, receive: Receive, send: Send) -> int:
        status = 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watched)
        return status
