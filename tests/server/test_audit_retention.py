"""The audit log does not grow without end: old rows are pruned by command, and by the server
itself at the retention it was started with."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import insert, select

from app.server.models import AuditEventRow
from app.server.services.store import utcnow
from tests.server.test_cli import cli, one_line_error
from tests.servers import running_server, services_for


def _rows(db_url: str) -> list[str]:
    with services_for(db_url) as services, services.factory() as session:
        return sorted(session.scalars(select(AuditEventRow.event)))


def _write(db_url: str, **ages: timedelta) -> None:
    """One audit row per name, that old."""
    with services_for(db_url) as services, services.store.connection() as connection:
        for event, age in ages.items():
            connection.execute(insert(AuditEventRow).values(at=utcnow() - age, event=event))
        connection.commit()


def test_audit_prune_deletes_only_rows_older_than_asked(fresh_sqlite_url: str) -> None:
    _write(fresh_sqlite_url, ancient=timedelta(days=400), old=timedelta(days=30))
    _write(fresh_sqlite_url, recent=timedelta(hours=2))
    pruned = cli("audit", "prune", "--older-than", "7d", "--db", fresh_sqlite_url)
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.strip() == "2 audit rows deleted"
    assert _rows(fresh_sqlite_url) == ["recent"]

    too_short = cli("audit", "prune", "--older-than", "10m", "--db", fresh_sqlite_url)
    one_line_error(too_short, 2, "keep at least an hour")
    assert _rows(fresh_sqlite_url) == ["recent"]


def test_the_server_prunes_at_its_retention(fresh_sqlite_url: str) -> None:
    _write(fresh_sqlite_url, old=timedelta(hours=3), kept=timedelta(minutes=30))
    with running_server(fresh_sqlite_url, options=["--audit-retention", "2h"]):
        deadline = time.monotonic() + 60
        while "old" in _rows(fresh_sqlite_url):  # the first pruning runs as the server starts
            assert time.monotonic() < deadline, "the server did not prune its audit log"
            time.sleep(0.1)
    assert _rows(fresh_sqlite_url) == ["kept"]
