"""Run blocking work (HTTP, keyring, files) off the UI thread and hand results back to it.

One :class:`Jobs` runs its jobs one at a time, in the order given, on its own worker
thread; each result comes back through a queued signal, so the callback always runs on
the thread that owns the ``Jobs`` object (the UI thread).
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


class Jobs(QObject):
    """A serial queue of blocking jobs whose callbacks run on this object's thread.

    The worker is a daemon thread: a request that hangs cannot keep the app from exiting.
    """

    finished = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self._numbers = itertools.count(1)
        self._callbacks: dict[int, Callable[[Outcome[Any]], None]] = {}
        self._closed = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="standby-worker", daemon=True)
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread.start()

    def submit(self, work: Callable[[], T], done: Callable[[Outcome[T]], None]) -> None:
        if self._closed:
            return
        number = next(self._numbers)
        self._callbacks[number] = done
        self._queue.put((number, work))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            number, work = item
            self._idle.clear()
            try:
                outcome: Outcome[Any] = Outcome(value=work())
            except Exception as exc:  # handed to the callback, which decides what it means
                outcome = Outcome(error=exc)
            finally:
                self._idle.set()
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

    def close(self, wait_ms: int = 1000) -> bool:
        """Drop queued jobs and ignore results; give a running job ``wait_ms`` to end."""
        self._closed = True
        self._callbacks.clear()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        return self._idle.wait(wait_ms / 1000)
