"""The engine's time (domain.md section 7).

A license is judged by the later of this computer's clock and the latest time the engine has
seen (its own earlier readings, kept in the device's state, and the server's time at each
sync): setting the clock back brings no ended license back and holds no takeover off. A
clock that reads more than :data:`SET_BACK_LIMIT` behind that latest time is noticed, so the
user can be told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

log = logging.getLogger("standby.license")

#: How far behind the latest time seen the computer's clock may read before it counts as
#: set back (clocks drift, and a server's time differs from ours by a little).
SET_BACK_LIMIT = timedelta(minutes=5)


class Clock:
    def __init__(self, read: Callable[[], datetime]) -> None:
        self._read = read
        self.latest: datetime | None = None

    def now(self) -> datetime:
        """The later of the computer's clock and the latest time seen."""
        own = self._read()
        if self.latest is None or own > self.latest:
            self.latest = own
        return self.latest

    def seen(self, moment: datetime | None) -> None:
        """A time seen elsewhere (the server's, a saved state's): never earlier than it."""
        if moment is not None and (self.latest is None or moment > self.latest):
            self.latest = moment

    def heard(self, server_time: datetime | None) -> None:
        """The server's clock, read at a sync: a time seen, and a bound. A latest time seen
        more than :data:`SET_BACK_LIMIT` ahead of it (this computer's clock ran ahead once)
        is set back to it: the server's time wins."""
        if server_time is None:
            return
        if self.latest is not None and self.latest > server_time + SET_BACK_LIMIT:
            log.warning(
                "the latest time seen, %s, was ahead of the activation server's, %s: set back",
                f"{self.latest:%Y-%m-%d %H:%M:%S}",
                f"{server_time:%Y-%m-%d %H:%M:%S}",
            )
            self.latest = server_time
        self.seen(server_time)

    @property
    def set_back(self) -> bool:
        """The computer's clock reads well behind the latest time seen."""
        return self.latest is not None and self._read() < self.latest - SET_BACK_LIMIT
