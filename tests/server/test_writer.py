"""The SQLite batch writer: one transaction for many jobs, and a failing job fails alone."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, select

from app.domain.errors import DomainError, ErrorCode
from app.server.db import make_engine, migrate, write_gate
from app.server.models import AuditEvent
from app.server.writer import BatchWriter


def _record(name: str) -> Any:
    def job(connection: Connection) -> str:
        connection.execute(insert(AuditEvent).values(at=datetime.now(UTC), event=name))
        return name

    return job


def _failing(connection: Connection) -> None:
    connection.execute(insert(AuditEvent).values(at=datetime.now(UTC), event="lost"))
    raise RuntimeError("boom")


def _refusing(connection: Connection) -> None:
    connection.execute(insert(AuditEvent).values(at=datetime.now(UTC), event="refusal"))
    raise DomainError(ErrorCode.CODE_BLOCKED)


def test_jobs_share_a_transaction_and_failures_stay_with_their_job(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    writer = BatchWriter(engine, write_gate(engine))
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
                select(AuditEvent.event, func.count()).group_by(AuditEvent.event)
            ).all()
        )
    assert events.pop("lost", 0) == 0  # the failed job's write was rolled back
    assert events.pop("refusal") == 1  # a refusal's audit row is kept
    assert events == {f"job-{i}": 1 for i in range(10)}
    engine.dispose()


def test_a_job_given_up_before_it_runs_is_skipped(fresh_sqlite_url: str) -> None:
    engine = make_engine(fresh_sqlite_url)
    migrate(engine)
    writer = BatchWriter(engine, write_gate(engine))
    release = threading.Event()
    held = writer.submit(lambda _connection: release.wait(timeout=30))
    abandoned = writer.submit(_record("abandoned"))
    assert abandoned.cancel()  # the request went away while its job was queued
    later = writer.submit(_record("later"))
    release.set()
    assert held.result(timeout=30) is True
    assert later.result(timeout=30) == "later"  # the writer lives on
    with engine.connect() as connection:
        events = set(connection.execute(select(AuditEvent.event)).scalars())
    assert events == {"later"}
    engine.dispose()
