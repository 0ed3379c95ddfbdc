"""A clock a test moves forward, read alike by the engines in the test's process and by an
activation server in a process of its own: a license ends when the test says, not when
enough real seconds have passed on a machine that may be slow.

:class:`MovableClock` is this computer's clock plus an offset the test moves forward; the
offset is kept in a file too. ``python -m tests.clocks FILE serve …`` runs the activation
server as ``python -m app.server serve …`` does, but reading its time as this computer's
clock plus the offset in ``FILE`` (read at each reading, so a move is seen at once). The
production server has no such thing: its clock can be replaced only from within its own
process (:data:`app.server.services.store.read_clock`), which is what this module does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path


class MovableClock:
    """This computer's clock, ``ahead`` of it by what the test moved it (nothing at first)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.ahead = timedelta(0)
        self._write()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def move(self, by: timedelta) -> None:
        """Time jumps ``by`` forward, for the server and for the engines alike."""
        assert by > timedelta(0), "time only moves forward"
        self.ahead += by
        self._write()

    def _write(self) -> None:
        # Whole or not at all: the server reads the file at any moment.
        new = self.file.with_name(self.file.name + ".new")
        new.write_text(repr(self.ahead.total_seconds()))
        os.replace(new, self.file)


def reading(file: Path) -> Callable[[], datetime]:
    """This computer's clock plus the offset in ``file``, as a :class:`MovableClock` there
    keeps it."""

    def now() -> datetime:
        return datetime.now(UTC) + timedelta(seconds=float(file.read_text()))

    return now


def main(argv: list[str]) -> int:
    from app.server import cli
    from app.server.services import store

    file, *rest = argv
    store.read_clock = reading(Path(file))
    return cli.main(rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
