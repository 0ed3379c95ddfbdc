"""One writer thread per process: many requests' writes to one transaction.

SQLite takes one writer at a time anyway; on PostgreSQL every activation of a code waits for
that code's row lock, held through the commit. Instead of every request beginning, locking,
committing and handing the lock on, requests post an item here and await its outcome; the
thread hands whatever has queued up meanwhile to ``run`` as one set, in one transaction, and
commits once. Under load that turns hundreds of commits, lock hand-overs and statements a
second into a few dozen. On PostgreSQL, a batch the database aborts to break a deadlock with
another process's batch runs again.

``run`` works on the writer's connection and must not commit or roll back; it returns one
outcome per item, in order, where a DomainError is that item's refusal (recorded by ``run``
before it returns). If ``run`` raises, the set is rolled back and each of its items runs again
on its own, so a failure stays with the item that caused it (an IntegrityError gets a few more
tries first). A failure of the database itself (connecting, beginning, committing, a lock
wait that ran out) fails the whole batch at once.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from app.domain.errors import DomainError

MAX_BATCH = 64
_TRIES = 3
log = logging.getLogger("standby.server")

Item = TypeVar("Item")
Run = Callable[[Connection, Sequence[Item]], Sequence[Any]]
Job = Callable[[Connection], Any]


def one_by_one(connection: Connection, jobs: Sequence[Job]) -> list[Any]:
    """A ``run`` for items that are jobs of their own: each called in turn."""
    outcomes: list[Any] = []
    for job in jobs:
        try:
            outcomes.append(job(connection))
        except DomainError as refusal:
            outcomes.append(refusal)
    return outcomes


@dataclass
class _Pending(Generic[Item]):
    item: Item
    future: Future[Any] = field(default_factory=Future)
    tries: int = 0
    started: bool = False

    def start(self) -> bool:
        """Mark the item running (it can no longer be cancelled); False if it was cancelled."""
        if not self.started:
            self.started = self.future.set_running_or_notify_cancel()
        return self.started

    def settle(self, outcome: Any) -> None:
        if isinstance(outcome, DomainError):
            self.future.set_exception(outcome)
        else:
            self.future.set_result(outcome)


class _SetFailed(Exception):
    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


_STOP: Any = object()

#: PostgreSQL's codes for a transaction it aborted to let another through: a deadlock, or
#: a serialization failure. The batch is simply run again.
_RACES = {"40P01", "40001"}


def _lost_a_race(error: Exception) -> bool:
    return isinstance(error, OperationalError) and getattr(error.orig, "sqlstate", None) in _RACES


class BatchWriter(Generic[Item]):
    def __init__(
        self,
        engine: Engine,
        run: Run[Item],
        gate: Callable[[], AbstractContextManager[None]] | None = None,
    ) -> None:
        self._engine = engine
        self._run_set = run
        self._gate = gate or nullcontext
        self._queue: queue.SimpleQueue[_Pending[Item]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    @classmethod
    def for_jobs(
        cls, engine: Engine, gate: Callable[[], AbstractContextManager[None]] | None = None
    ) -> BatchWriter[Job]:
        """A writer whose items are jobs, each a function of the connection."""
        return BatchWriter(engine, one_by_one, gate)

    def submit(self, item: Item) -> Future[Any]:
        pending = _Pending(item)
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

    def _batches(self) -> Iterator[list[_Pending[Item]]]:
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

    def _run_batch(self, batch: list[_Pending[Item]]) -> None:
        """The batch as one set; if that fails, each item as a set of its own."""
        sets = [batch]
        races = 0
        while sets:
            current = sets[0]
            try:
                outcomes = self._transaction(current)
            except _SetFailed as failed:
                error = failed.error
                if _lost_a_race(error) and races < _TRIES:
                    races += 1  # PostgreSQL chose this batch to break a deadlock: again
                elif isinstance(error, OperationalError):
                    self._fail(current, error)  # the database could not serve them
                    sets.pop(0)
                elif len(current) > 1:
                    sets[:1] = [[pending] for pending in current]  # find the one that fails
                else:
                    pending = current[0]
                    pending.tries += 1
                    if not (isinstance(error, IntegrityError) and pending.tries < _TRIES):
                        pending.future.set_exception(error)
                        sets.pop(0)
                continue
            except Exception as error:
                if _lost_a_race(error) and races < _TRIES:
                    races += 1
                    continue
                self._fail([p for s in sets for p in s], error)  # the database itself failed
                return
            for pending, outcome in outcomes:
                pending.settle(outcome)
            sets.pop(0)

    @staticmethod
    def _fail(pendings: list[_Pending[Item]], error: Exception) -> None:
        for pending in pendings:
            if pending.start():
                pending.future.set_exception(error)

    def _transaction(self, batch: list[_Pending[Item]]) -> list[tuple[_Pending[Item], Any]]:
        with self._gate(), self._engine.connect() as connection:
            # Only now, with the database in hand, is an item started: one whose request
            # gave up while waiting (its future cancelled) is dropped and writes nothing.
            started = [pending for pending in batch if pending.start()]
            if not started:
                return []
            try:
                outcomes = self._run_set(connection, [pending.item for pending in started])
            except Exception as error:
                raise _SetFailed(error) from error
            if len(outcomes) != len(started):
                raise RuntimeError("the writer's run gave the wrong number of outcomes")
            connection.commit()
        return list(zip(started, outcomes, strict=True))
