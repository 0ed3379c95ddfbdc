"""The audit log: every refusal is written there before it is raised."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.license import CodeFacts
from app.server.services.devices import check_key
from app.server.services.store import Store, utcnow
from app.server.tables import AUDIT, INSERT_AUDIT

PRUNE_CHUNK = 10_000
#: How long ``serve`` keeps audit rows (``--audit-retention``).
DEFAULT_RETENTION = "180d"


def refusal_row(
    error: DomainError,
    *,
    event: str,
    code: CodeFacts | None = None,
    last5: str | None = None,
    device_id: str | None = None,
    subject: str | None = None,
) -> dict[str, Any]:
    """The audit row of a refusal."""
    code_id, last5 = (code.id, code.last5) if code else (None, last5)
    return {
        "at": utcnow(),
        "event": event,
        "code_id": code_id,
        "code_last5": last5,
        "device_id": device_id,
        "subject": subject,
        "error_code": error.code.value,
        "detail": {"message": error.message},
    }


class Audit:
    def __init__(self, store: Store) -> None:
        self.store = store

    def refuse(
        self,
        session: Session | Connection,
        error: DomainError,
        *,
        event: str,
        code: CodeFacts | None = None,
        last5: str | None = None,
        device_id: str | None = None,
        subject: str | None = None,
        commit: bool = True,
    ) -> DomainError:
        """Record a refusal in the audit log and hand back the error to raise.

        Every refusal comes before any write of its transaction, so committing here stores
        the audit row and nothing else.
        """
        session.execute(
            INSERT_AUDIT,
            refusal_row(
                error, event=event, code=code, last5=last5, device_id=device_id, subject=subject
            ),
        )
        if commit:
            session.commit()
        return error

    def prove(
        self,
        session: Session | Connection,
        device_id: str,
        key: str,
        *,
        event: str,
        code: CodeFacts | None = None,
        commit: bool = True,
    ) -> None:
        """Go on only if ``key`` may act for ``device_id`` (:func:`check_key`); else the
        refusal, recorded as :meth:`refuse` records it, is raised. A device from before keys
        registers ``key`` only once its call is accepted (``register_key``)."""
        connection = session.connection() if isinstance(session, Session) else session
        error = check_key(connection, device_id, key)
        if error is not None:
            raise self.refuse(
                session, error, event=event, code=code, device_id=device_id, commit=commit
            )

    def record_refusal(
        self,
        error: DomainError,
        *,
        event: str,
        device_id: str | None = None,
        last5: str | None = None,
    ) -> DomainError:
        """:meth:`refuse` outside any transaction of the caller's."""
        with self.store.connection() as connection:
            return self.refuse(connection, error, event=event, device_id=device_id, last5=last5)

    def prune(self, older_than: timedelta) -> int:
        """Delete the audit rows older than ``older_than``; how many. In chunks, so no
        transaction holds the database for long."""
        cutoff = utcnow() - older_than
        deleted = 0
        while True:
            with self.store.connection() as connection:
                old = select(AUDIT.c.id).where(AUDIT.c.at < cutoff).limit(PRUNE_CHUNK)
                gone = connection.execute(delete(AUDIT).where(AUDIT.c.id.in_(old))).rowcount
                connection.commit()
            deleted += gone
            if gone < PRUNE_CHUNK:
                return deleted

    def record_held_back(self, counts: dict[str, int]) -> None:
        """One row per address: how many of its requests were held back for refusals."""
        if not counts:
            return
        now = utcnow()
        rows = [
            {"at": now, "event": "refusals_limited", "address": address, "detail": {"count": n}}
            for address, n in counts.items()
        ]
        with self.store.connection() as connection:
            connection.execute(INSERT_AUDIT, rows)
            connection.commit()
