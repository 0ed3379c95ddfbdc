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
nothing. Any other (a burst, several at once) is counted *before* its work, from units the
process counted ahead in the database (:class:`Refusals`), and given back if it is not
refused: however many arrive at once, on however many processes, an address or a network
gets past its limit by at most one request per process. What a process knows (who must wait,
until when) is only a copy: when it holds too many addresses to remember, every request is
counted first, and the database decides.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.server.api.counting import CountWriter
from app.server.api.forwarded import parse_address
from app.server.services.counts import WINDOW_SECONDS, Count, SharedCounts

#: A network may be refused this many times as often as one of its addresses.
NETWORK_FACTOR = 4
#: Addresses and networks a process remembers as held back at once.
MOST_HELD = 100_000
EXEMPT = ("/api/v1/accounts/sign-in",)
#: Units a process counts ahead at once for requests of one address or network.
LEASE = 8


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
    address and network, the units it counted ahead, and the requests held back (to record).

    A request counted before its work takes one unit of what this process counted ahead for
    its key in the current window; when there is none left it counts ``LEASE`` units ahead in
    the database at once (never past the limit: what would pass it is given back at once).
    A refused request keeps its unit counted; any other gives it back to this process, for
    the key's next request; and when no request of the key is under way here any more, the
    units left are given back to the database. So a steady stream from one address costs no
    writes at all, and the database's count is never less than the refusals.
    """

    def __init__(
        self, counts: SharedCounts, limit: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.counts = counts
        self.writer = CountWriter(counts)
        self.most = {"a": limit, "n": limit * NETWORK_FACTOR}
        self.clock = clock
        self._until: dict[str, float] = {}
        self._under_way: dict[str, int] = {}
        #: Per key: units counted ahead and not in use, and their window.
        self._ahead: dict[str, tuple[int, int]] = {}
        #: Keys whose last units counted ahead reach their limit: once those are refused,
        #: the key is held back.
        self._at_limit: set[str] = set()
        self._held_back: dict[str, int] = {}
        #: Too many addresses held back to remember: every request is counted first.
        self.crowded = False

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
        """A request is over: where it was the key's last under way, the units counted ahead
        for the key go back to the database."""
        for key in keys:
            left = self._under_way.pop(key, 1) - 1
            if left:
                self._under_way[key] = left
                continue
            units, start = self._ahead.pop(key, (0, 0))
            self._at_limit.discard(key)
            if units and self._live(start):
                self.writer.give(key, start, units)

    def held_back(self, address: str) -> None:
        self._held_back[address] = self._held_back.get(address, 0) + 1

    async def admit(self, keys: list[str]) -> tuple[dict[str, int], int | None]:
        """Count a request before its work: per key, the window of the unit it took; and
        the seconds to wait if a limit is reached (then it took nothing)."""
        taken = {key: start for key in keys if (start := self._take(key)) is not None}
        needed = [key for key in keys if key not in taken]
        if not needed:
            return taken, None
        leases = {key: self._lease(key) for key in needed}
        made = await self.writer.add(leases)
        wait = 0
        for key, lease in leases.items():
            count = made.get(key)
            if count is None:
                continue  # the database is away: this key goes uncounted
            before, most = count.count - lease, self.most[key[0]]
            within = min(lease, most - before)
            if within < lease:  # never counted ahead past the limit
                self.writer.give(key, count.window_start, lease - max(within, 0))
            if before + within >= most:
                self._at_limit.add(key)
            if within <= 0:
                self._hold(count)
                wait = max(wait, count.ends() - int(self.clock()) + 1)
                continue
            self._keep(key, within - 1, count.window_start)
            taken[key] = count.window_start
        if wait:
            self.settle(taken, refused=False)
            return {}, max(1, wait)
        return taken, None

    def settle(self, taken: dict[str, int], *, refused: bool) -> None:
        """After the work of a request counted first: a refusal keeps its units counted (the
        last below the limit holds the key back); any other answer gives them back to this
        process (in their window only)."""
        for key, start in taken.items():
            if not refused:
                self._keep(key, 1, start)
            elif key in self._at_limit and self._ahead.get(key, (0, 0))[0] <= 0:
                self._hold(Count(key, self.most[key[0]], start))

    async def refused(self, keys: list[str]) -> None:
        """Count a refusal of a request that was not counted before its work; who reached a
        limit is held back here until the window ends."""
        made = await self.writer.add(dict.fromkeys(keys, 1))
        for count in made.values():
            if count.count >= self.most[count.key[0]]:
                self._hold(count)

    def take_held_back(self) -> dict[str, int]:
        """The requests held back per address since the last call, to record."""
        taken, self._held_back = self._held_back, {}
        return taken

    def _lease(self, key: str) -> int:
        """Units to count ahead for ``key``: a sixteenth of its limit, 1 to ``LEASE``, so
        what processes hold unused keeps the limit within a few percent of itself."""
        return max(1, min(LEASE, self.most[key[0]] // 16))

    def _live(self, start: int) -> bool:
        return self.clock() < start + WINDOW_SECONDS

    def _take(self, key: str) -> int | None:
        """One unit counted ahead for ``key`` in the current window: its window, or None."""
        units, start = self._ahead.get(key, (0, 0))
        if units <= 0 or not self._live(start):
            return None
        self._ahead[key] = (units - 1, start)
        return start

    def _keep(self, key: str, units: int, start: int) -> None:
        """Add ``units`` of window ``start`` to what is counted ahead for ``key``; units of a
        window the key's are not from are left to that window (whose count ends anyway)."""
        held, current = self._ahead.get(key, (0, start))
        if current == start or not self._live(current):
            self._ahead[key] = ((held if current == start else 0) + units, start)

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
        taken: dict[str, int] | None = None
        first = refusals.count_first(keys)
        refusals.begin(keys)
        try:
            if first:
                taken, wait = await refusals.admit(keys)
                if wait is not None:
                    refusals.held_back(address)
                    await self.answer(wait)(scope, receive, send)
                    return
            status = await self._run(scope, receive, send)
            refused = 400 <= status < 500 and status != 429
            if taken is None:
                if refused:
                    await refusals.refused(keys)
            else:
                refusals.settle(taken, refused=refused)
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
