"""One writer thread per process: many write jobs to one transaction.

SQLite takes one writer at a time anyway; on PostgreSQL every activation of a code waits for
that code's row lock, held through the commit. Instead of every request beginning, locking,
committing and handing the lock on, requests post their job here and await it; the thread
runs whatever has queued up meanwhile in one transaction and commits once. Under load that
turns hundreds of commits and lock hand-overs a second into a few dozen. On PostgreSQL, a
batch the database aborts to break a deadlock with another process's batch runs again.

A job runs on the writer's connection and must not commit or roll back. A DomainError it
raises is its answer (the job records the refusal first). Any other exception from a job fails
that job alone: the batch is rolled back and the rest run again without it (an IntegrityError
gets a few more tries first). A failure of the database itself (connecting, beginning,
committing) fails the whole batch at once.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from app.domain.errors import DomainError

MAX_BATCH = 64
_TRIES = 3
log = logging.getLogger("standby.server")

Job = Callable[[Connection], Any]


@dataclass
class _Pending:
    job: Job
    future: Future[Any] = field(default_factory=Future)
    tries: int = 0
    started: bool = False

    def start(self) -> bool:
        """Mark the job running (it can no longer be cancelled); False if it was cancelled."""
        if not self.started:
            self.started = self.future.set_running_or_notify_cancel()
        return self.started


class _JobFailed(Exception):
    def __init__(self, pending: _Pending, error: Exception) -> None:
        super().__init__(str(error))
        self.pending = pending
        self.error = error


_STOP: Any = object()

#: PostgreSQL's codes for a transaction it aborted to let another through: a deadlock, or
#: a serialization failure. The batch is simply run again.
_RACES = {"40P01", "40001"}


def _lost_a_race(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) in _RACES


class BatchWriter:
    def __init__(
        self, engine: Engine, gate: Callable[[], AbstractContextManager[None]] | None = None
    ) -> None:
        self._engine = engine
        self._gate = gate or nullcontext
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, job: Job) -> Future[Any]:
        pending = _Pending(job)
        self._queue.put(pending)
        thread = self._thread
        if thread is None or not thread.is_alive():
            with self._start_lock:
                if self._thread is None or not self._thread.is_alive():
                    thread = threading.Thread(
                        target=self._run, name="standby-db-writer", daemon=True
                    )
                    thread.start()
                    self._thread = thread
        return pending.future

    def close(self, timeout: float = 10.0) -> None:
        """Finish what is queued, then stop the thread."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(_STOP)
            thread.join(timeout)

    def _batches(self) -> Iterator[list[_Pending]]:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH and batch[-1] is not _STOP:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = batch[-1] is _STOP
            batch = [p for p in batch if p is not _STOP and not p.future.cancelled()]
            if batch:
                yield batch
            if stop:
                return

    def _run(self) -> None:
        for batch in self._batches():
            try:
                self._run_batch(batch)
            except BaseException:  # the thread must outlive any one batch
                log.exception("database writer: a batch failed")
                for pending in batch:
                    if not pending.future.done() and pending.start():
                        pending.future.set_exception(RuntimeError("the database writer failed"))

    def _run_batch(self, batch: list[_Pending]) -> None:
        remaining = batch
        races = 0
        while remaining:
            try:
                outcomes = self._transaction(remaining)
            except _JobFailed as failed:
                pending, error = failed.pending, failed.error
                pending.tries += 1
                if not (isinstance(error, IntegrityError) and pending.tries < _TRIES):
                    pending.future.set_exception(error)
                    remaining = [other for other in remaining if other is not pending]
                continue  # the others (and a job worth another try) again, in a new transaction
            except OperationalError as error:
                if _lost_a_race(error) and races < _TRIES:
                    races += 1  # PostgreSQL chose this batch to break a deadlock: again
                    continue
                for pending in remaining:  # the database itself failed: all at once
                    if pending.start():
                        pending.future.set_exception(error)
                return
            except Exception as error:
                for pending in remaining:  # the database itself failed: all at once
                    if pending.start():
                        pending.future.set_exception(error)
                return
            for pending, result, refusal in outcomes:
                if refusal is not None:
                    pending.future.set_exception(refusal)
                else:
                    pending.future.set_result(result)
            return

    def _transaction(self, batch: list[_Pending]) -> list[tuple[_Pending, Any, DomainError | None]]:
        outcomes: list[tuple[_Pending, Any, DomainError | None]] = []
        with self._gate(), self._engine.connect() as connection:
            # Only now, with the database in hand, is a job started: one whose request gave
            # up while waiting (its future cancelled) is dropped and writes nothing.
            for pending in batch:
                if not pending.start():
                    continue
                try:
                    outcomes.append((pending, pending.job(connection), None))
                except DomainError as error:
                    outcomes.append((pending, None, error))
                except Exception as error:
                    raise _JobFailed(pending, error) from error
            connection.commit()
        return outcomes
