"""One operation at a time, the user's first: the engine's queue of operations.

An operation starts on the engine's thread (``start``), runs its blocking part on a
worker (:meth:`Runner.submit`) and ends when its result has been applied, whatever that
does: the runner then starts what waited, or lets the engine look at what is due. What
the user asked for goes ahead of background work that waits, and a status check that is
running gives way to it at once (it runs on a lane of its own, so a hung one holds
nothing up; its late answer is ignored and it is asked again afterwards).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject

from app.engine.jobs import Jobs, Outcome
from app.engine.vocabulary import Busy

log = logging.getLogger("standby.license")
T = TypeVar("T")
Start = Callable[[], None]


class Runner(QObject):
    def __init__(
        self,
        parent: QObject,
        *,
        ready: Callable[[], bool],
        when_free: Callable[[], None],
        changed: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self._ready = ready  # may operations start (the device is loaded)?
        self._when_free = when_free  # nothing waits: see what is due
        self._changed = changed
        self._jobs = Jobs(self, lanes=("main", "sync"))
        self.busy: Busy | None = None
        self._operation = 0  # counts operations, so a late answer cannot end a newer one
        self._pending: list[tuple[bool, Start]] = []  # (asked by the user, start)
        self._yielding: Start | None = None  # the running status check, to ask again
        self.closed = False

    @property
    def idle(self) -> bool:
        return self.busy is None and not self._pending

    def when_idle(self, start: Start, *, user: bool = True) -> None:
        """Run ``start`` now if nothing runs, else in its turn."""
        if self.closed:
            return
        if self.busy is None and self._ready():
            start()
        elif user and self._yielding is not None:
            log.info("a status check gives way to a command")
            self._pending.append((False, self._yielding))
            self._yielding = None
            self._operation += 1
            self.busy = None
            start()
        elif user:
            first_background = next(
                (i for i, (by_user, _) in enumerate(self._pending) if not by_user),
                len(self._pending),
            )
            self._pending.insert(first_background, (True, start))
        else:
            self._pending.append((False, start))

    def next(self, start: Start) -> None:
        """Run ``start`` right after the current operation."""
        self._pending.insert(0, (False, start))

    def later(self, start: Start, *, user: bool = False) -> None:
        """Run ``start`` after everything that waits."""
        self._pending.append((user, start))

    def begin(self, busy: Busy) -> None:
        """An operation starts (call before :meth:`submit`)."""
        self._operation += 1
        self.busy = busy
        self._changed()

    def submit(
        self,
        work: Callable[[], T],
        done: Callable[[Outcome[T]], None],
        *,
        yielding: Start | None = None,
    ) -> None:
        """Run ``work`` on a worker, then ``done`` here; the operation ends after it.

        ``yielding``: this is a status check that gives way to the user; it starts it again.
        """
        operation = self._operation
        self._yielding = yielding

        def guarded(outcome: Outcome[T]) -> None:
            stale = self._operation != operation
            if stale and yielding is not None:
                return  # it gave way to a command meanwhile: its answer is stale
            if not stale:
                self._yielding = None
            try:
                done(outcome)  # an abandoned operation still tidies up after itself
            except Exception:
                log.exception("handling the result of %s failed", self.busy)
            if self._operation == operation and self.busy is not None:
                self.finish()  # unless ``done`` already moved on to another operation

        self._jobs.submit(work, guarded, "sync" if yielding else "main")

    def abandon(self) -> None:
        """The user gave up on the running operation (cancelled a save that hangs): the line
        is free at once; its worker finishes the call on its own, and its result is still
        handed to the operation's ``done`` (which knows it was cancelled)."""
        if self.busy is None or self._yielding is not None:
            return
        log.info("the running %s is left to finish on its own", self.busy)
        self._jobs.replace_lane("main")
        self._operation += 1
        self.finish()

    def background(
        self,
        work: Callable[[], object],
        what: str,
        then: Callable[[object], None] | None = None,
    ) -> None:
        """Tidying up (freeing a seat, forgetting a code): in order, not an operation.
        ``then`` gets what ``work`` returned, on the engine's thread, unless closed."""

        def done(outcome: Outcome[object]) -> None:
            if outcome.error is not None:
                log.warning("%s failed: %s", what, type(outcome.error).__name__)
            elif then is not None and not self.closed:
                then(outcome.value)

        self._jobs.submit(work, done)

    def finish(self) -> None:
        """After every operation: run what waited, else see whether anything is due."""
        self.busy = None
        if self.closed:
            return
        if self._pending:
            self._pending.pop(0)[1]()
        else:
            self._when_free()
        if self.busy is None:
            self._changed()

    def close(self) -> None:
        """Start nothing more and ignore what the workers still return (never waits)."""
        self.closed = True
        self._jobs.close()
