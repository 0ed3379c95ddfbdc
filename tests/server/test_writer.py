"""The SQLite batch writer: one transaction for many jobs, and a failing job fails alone."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from app.domain.errors import DomainError, ErrorCode
from app.server.db import DatabaseBusy, WriteGate, make_engine, migrate, write_gate
from app.server.models import AuditEventRow
from app.server.writer import BatchWriter


def _record(name: str) -> Callable[[Connection], str]:
    def job(connection: Connection) -> str:
        connection.execute(insert(AuditEventRow).values(at=datetime.now(UTC), event=name))
        return name

    return job


def _failing(connection: Connection) -> None:
    connection.execute(insert(AuditEventRow).values(at=datetime.now(UTC), event="lost"))
    raise RuntimeError("boom")


def _refusing(connection: Connection) -> None:
    connection.execute(insert(AuditEventRow).values(at=datetime.now(UTC), event="refusal"))
    raise DomainError(ErrorCode.CODE_BLOCKED)


def test_jobs_share_a_transaction_and_failures_stay_with_their_job(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    writer = BatchWriter.for_jobs(engine, write_gate(engine))
    release = threading.Event()
    # Hold the writer on a first job so that the rest queue up and form one batch.
    held = writer.submit(lambda _connection: release.wait(timeout=30))
    futures = [writer.submit(_record(f"job-{i}")) for i in range(5)]
    failing = writer.submit(_failing)
    refusing = writer.submit(_refusing)
    futures += [writer.submit(_record(f"job-{i}")) for i in range(5, 10)]
    release.set()
    assert held.result(timeout=30) is True
    assert [f.result(timeout=30) for f in futures] == [f"job-{i}" for i in range(10)]
    with pytest.raises(RuntimeError, match="boom"):
        failing.result(timeout=30)
    with pytest.raises(DomainError) as refused:
        refusing.result(timeout=30)
    assert refused.value.code is ErrorCode.CODE_BLOCKED
    with engine.connect() as connection:
        events = dict(
            connection.execute(
                select(AuditEventRow.event, func.count()).group_by(AuditEventRow.event)
            ).all()
        )
    assert events.pop("lost", 0) == 0  # the failed job's write was rolled back
    assert events.pop("refusal") == 1  # a refusal's audit row is kept
    assert events == {f"job-{i}": 1 for i in range(10)}
    engine.dispose()


def test_a_job_given_up_before_it_runs_is_skipped(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    writer = BatchWriter.for_jobs(engine, write_gate(engine))
    release = threading.Event()
    held = writer.submit(lambda _connection: release.wait(timeout=30))
    abandoned = writer.submit(_record("abandoned"))
    assert abandoned.cancel()  # the request went away while its job was queued
    later = writer.submit(_record("later"))
    release.set()
    assert held.result(timeout=30) is True
    assert later.result(timeout=30) == "later"  # the writer lives on
    with engine.connect() as connection:
        events = set(connection.execute(select(AuditEventRow.event)).scalars())
    assert events == {"later"}
    engine.dispose()


def test_a_database_failure_fails_the_batch_at_once(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    entries = 0
    release = threading.Event()

    @contextmanager
    def unavailable() -> Iterator[None]:
        nonlocal entries
        entries += 1
        if entries == 1:
            yield  # the first batch (the held job) gets the database
            return
        raise DatabaseBusy("held elsewhere")

    writer = BatchWriter.for_jobs(engine, unavailable)
    held = writer.submit(lambda _connection: release.wait(timeout=30))
    queued = [writer.submit(_record(f"job-{i}")) for i in range(8)]
    release.set()
    assert held.result(timeout=30) is True
    for future in queued:
        with pytest.raises(DatabaseBusy):
            future.result(timeout=30)
    assert entries == 2  # one try for the whole batch, not one per job
    engine.dispose()


def test_an_integrity_error_gets_another_try(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    writer = BatchWriter.for_jobs(engine, write_gate(engine))
    calls = 0

    def flaky(connection: Connection) -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise IntegrityError("INSERT", {}, Exception("raced"))
        return _record("second try")(connection)

    assert writer.submit(flaky).result(timeout=30) == "second try"
    writer.close()
    engine.dispose()


def test_the_gate_gives_up_on_a_lock_held_elsewhere(tmp_path: Path) -> None:
    import fcntl

    lock_path = tmp_path / "db.lock"
    with lock_path.open("w") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX)
        gate = WriteGate(lock_path, timeout=0.2)
        with pytest.raises(DatabaseBusy), gate():
            pytest.fail("entered a gate held by someone else")
        fcntl.flock(other_process, fcntl.LOCK_UN)
        with gate():
            pass  # free again
