"""Run blocking work (HTTP, keyring, files) off the UI thread and hand results back to it.

One :class:`Jobs` runs its jobs on worker threads (one per lane, each lane in order);
each result comes back through a queued signal, so the callback always runs on the
thread that owns the ``Jobs`` object (the UI thread).
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

T = TypeVar("T")
log = logging.getLogger("standby.jobs")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    error: BaseException | None = None

    def get(self) -> T:
        """The value, or the job's exception raised again."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


class Cancel:
    """A flag a job checks between its steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()


class _Lane:
    """One worker thread and its queue."""

    def __init__(self, name: str, run: Callable[[_Lane], None]) -> None:
        self.queue: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self.idle = threading.Event()
        self.idle.set()
        self.thread = threading.Thread(target=run, args=(self,), name=name, daemon=True)

    def drain(self) -> list[tuple[int, Callable[[], Any]]]:
        """Take the jobs that wait, and return them."""
        taken: list[tuple[int, Callable[[], Any]]] = []
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                return taken
            if item is not None:
                taken.append(item)


class Jobs(QObject):
    """Serial queues of blocking jobs whose callbacks run on this object's thread.

    Jobs on one lane run one at a time, in the order given. A second lane lets work that
    may hang (a status check a server never answers) run beside the first, so it cannot
    hold up what the user asked for. Workers are daemon threads: a request that hangs
    cannot keep the app from exiting.
    """

    finished = Signal(int, object)

    def __init__(self, parent: QObject | None = None, lanes: tuple[str, ...] = ("main",)) -> None:
        super().__init__(parent)
        self._numbers = itertools.count(1)
        self._callbacks: dict[int, Callable[[Outcome[Any]], None]] = {}
        self._closed = False
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._lanes = {name: _Lane(f"standby-{name}", self._run) for name in lanes}
        for lane in self._lanes.values():
            lane.thread.start()

    def submit(
        self, work: Callable[[], T], done: Callable[[Outcome[T]], None], lane: str = "main"
    ) -> None:
        if self._closed:
            return
        number = next(self._numbers)
        self._callbacks[number] = done
        self._lanes[lane].queue.put((number, work))

    def replace_lane(self, name: str) -> None:
        """Give ``name`` a new worker: the old one finishes the job it is stuck in, then ends
        (its late result still comes back), and nothing queued after it waits for it."""
        old = self._lanes[name]
        pending = old.drain()
        old.queue.put(None)
        lane = self._lanes[name] = _Lane(f"standby-{name}", self._run)
        for item in pending:
            lane.queue.put(item)
        lane.thread.start()

    def _run(self, lane: _Lane) -> None:
        while True:
            item = lane.queue.get()
            if item is None:
                return
            number, work = item
            lane.idle.clear()
            try:
                outcome: Outcome[Any] = Outcome(value=work())
            except Exception as exc:  # handed to the callback, which decides what it means
                outcome = Outcome(error=exc)
            finally:
                lane.idle.set()
            if self._closed:
                continue
            try:
                self.finished.emit(number, outcome)
            except RuntimeError:  # the Jobs object is gone (its window closed meanwhile)
                return

    @Slot(int, object)
    def _deliver(self, number: int, outcome: Outcome[Any]) -> None:
        done = self._callbacks.pop(number, None)
        if done is None or self._closed:
            return
        done(outcome)

    def close(self, wait_ms: int = 0) -> bool:
        """Drop queued jobs and ignore results; give running jobs ``wait_ms`` to end.

        By default it does not wait at all: a job that hangs must not freeze the caller.
        """
        self._closed = True
        self._callbacks.clear()
        for lane in self._lanes.values():
            lane.drain()
            lane.queue.put(None)
        return all(lane.idle.wait(wait_ms / 1000) for lane in self._lanes.values())
