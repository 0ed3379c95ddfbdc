"""The limits' counts written to the database in batches, off the event loop.

The requests that ask to add to the counts while one batch is being written are written
together next: one transaction, one statement per key (group commit). Each learns the count
as its own add left it, in the order they came, so a burst costs a write per batch, not per
request. What is given back (counted ahead, not used) rides along with the next batch.
"""

from __future__ import annotations

import asyncio
import logging

import anyio.to_thread

from app.server.services.counts import Count, SharedCounts

log = logging.getLogger("standby.server")


class CountWriter:
    def __init__(self, counts: SharedCounts) -> None:
        self.counts = counts
        self._waiting: list[tuple[dict[str, int], asyncio.Future[dict[str, Count]]]] = []
        self._giving: dict[tuple[str, int], int] = {}
        self._writing = False
        # Kept: the loop holds only a weak reference to a task.
        self._task: asyncio.Task[None] | None = None

    async def add(self, adds: dict[str, int]) -> dict[str, Count]:
        """Add ``n`` to each key's count; per key, the count as this add left it (none for a
        key the database could not count: it is away, and the API answers 503 on its own)."""
        made: asyncio.Future[dict[str, Count]] = asyncio.get_running_loop().create_future()
        self._waiting.append((adds, made))
        self._write_soon()
        return await made

    def give(self, key: str, window_start: int, n: int) -> None:
        """Take ``n`` back from the key's count in that window (soon; not in a later one)."""
        place = (key, window_start)
        self._giving[place] = self._giving.get(place, 0) + n
        self._write_soon()

    def _write_soon(self) -> None:
        if not self._writing:
            self._writing = True
            self._task = asyncio.get_running_loop().create_task(self._write())

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
        batch: list[tuple[dict[str, int], asyncio.Future[dict[str, Count]]]],
        giving: dict[tuple[str, int], int],
    ) -> None:
        totals: dict[str, int] = {}
        for adds, _made in batch:
            for key, n in adds.items():
                totals[key] = totals.get(key, 0) + n
        made: dict[str, Count] = {}
        try:
            made = await anyio.to_thread.run_sync(self.counts.apply, totals, giving)
        except Exception as exc:  # the database is away: counted as nothing
            log.warning("limit counts not written: %s", exc.__class__.__name__)
        # Each request's place in the count, in the order they came.
        running = {key: count.count - totals[key] for key, count in made.items()}
        for adds, future in batch:
            mine = {}
            for key, n in adds.items():
                if key in made:
                    running[key] += n
                    mine[key] = Count(key, running[key], made[key].window_start)
            if not future.done():
                future.set_result(mine)
