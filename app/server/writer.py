"""One writer thread per process for SQLite: many write jobs to one transaction.

SQLite takes one writer at a time anyway. Instead of every request thread queueing for the
lock, beginning, committing and handing the lock on, requests post their job here and await
it; the thread runs whatever has queued up meanwhile in one transaction and commits once.
Under load that turns hundreds of commits and lock hand-overs a second into a few dozen.

A job runs on the writer's connection and must not commit or roll back. A DomainError it
raises is its answer (the job records the refusal first); any other exception rolls the batch
back, and its jobs run again one by one so that only the guilty one fails.
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

from app.domain.errors import DomainError

MAX_BATCH = 64
log = logging.getLogger("standby.server")

Job = Callable[[Connection], Any]


@dataclass
class _Pending:
    job: Job
    future: Future[Any] = field(default_factory=Future)


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
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="standby-db-writer", daemon=True
                    )
                    self._thread.start()
        return pending.future

    def _batches(self) -> Iterator[list[_Pending]]:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            # A job whose request gave up (its future was cancelled) is not run; the others
            # are marked running, so they can no longer be cancelled and settle safely.
            batch = [pending for pending in batch if pending.future.set_running_or_notify_cancel()]
            if batch:
                yield batch

    def _run(self) -> None:
        for batch in self._batches():
            try:
                self._run_batch(batch)
            except BaseException:  # the thread must outlive any one batch
                log.exception("database writer: a batch failed")
                for pending in batch:
                    if not pending.future.done():
                        pending.future.set_exception(RuntimeError("the database writer failed"))

    def _run_batch(self, batch: list[_Pending]) -> None:
        try:
            outcomes = self._transaction(batch)
        except Exception:
            # Roll the batch back and run its jobs one by one, so only the guilty one fails.
            for pending in batch:
                try:
                    [(result, error)] = self._transaction([pending])
                except Exception as exc:
                    pending.future.set_exception(exc)
                else:
                    _settle(pending, result, error)
            return
        for pending, (result, error) in zip(batch, outcomes, strict=True):
            _settle(pending, result, error)

    def _transaction(self, batch: list[_Pending]) -> list[tuple[Any, DomainError | None]]:
        outcomes: list[tuple[Any, DomainError | None]] = []
        with self._gate(), self._engine.connect() as connection:
            for pending in batch:
                try:
                    outcomes.append((pending.job(connection), None))
                except DomainError as error:
                    outcomes.append((None, error))
            connection.commit()
        return outcomes


def _settle(pending: _Pending, result: Any, error: DomainError | None) -> None:
    if error is not None:
        pending.future.set_exception(error)
    else:
        pending.future.set_result(result)
