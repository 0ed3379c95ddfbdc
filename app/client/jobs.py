"""Run blocking work (HTTP, keyring, files) off the UI thread and hand results back to it.

One :class:`Jobs` runs its jobs one at a time, in the order given, on its own worker
thread; each result comes back through a queued signal, so the callback always runs on
the thread that owns the ``Jobs`` object (the UI thread).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

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


class _Runnable(QRunnable):
    def __init__(self, jobs: Jobs, number: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self._jobs = jobs
        self._number = number
        self._work = work

    def run(self) -> None:
        try:
            outcome: Outcome[Any] = Outcome(value=self._work())
        except Exception as exc:  # handed to the callback, which decides what it means
            outcome = Outcome(error=exc)
        self._jobs.finished.emit(self._number, outcome)


class Jobs(QObject):
    """A serial queue of blocking jobs whose callbacks run on this object's thread."""

    finished = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._numbers = itertools.count(1)
        self._callbacks: dict[int, Callable[[Outcome[Any]], None]] = {}
        self._closed = False
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(self, work: Callable[[], T], done: Callable[[Outcome[T]], None]) -> None:
        if self._closed:
            return
        number = next(self._numbers)
        self._callbacks[number] = done
        self._pool.start(_Runnable(self, number, work))

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @Slot(int, object)
    def _deliver(self, number: int, outcome: Outcome[Any]) -> None:
        done = self._callbacks.pop(number, None)
        if done is None or self._closed:
            return
        done(outcome)

    def close(self, wait_ms: int = 3000) -> bool:
        """Drop queued jobs, let the running one end (within ``wait_ms``), ignore results."""
        self._closed = True
        self._pool.clear()
        self._callbacks.clear()
        return self._pool.waitForDone(wait_ms)
