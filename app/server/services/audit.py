"""The audit log: every refusal is written there before it is raised."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.license import CodeFacts
from app.server.services.store import Store, utcnow
from app.server.tables import INSERT_AUDIT


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
