"""What the operator does from the command line: issue, block and look up codes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import protocol
from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import (
    MAX_DEVICES,
    MAX_TERM,
    MAX_VERSION_SPEC,
    LicenseType,
    parse_version_spec,
)
from app.server.models import AuditEventRow, CodeRow
from app.server.records import code_of, iso, license_facts
from app.server.secrets import CodeHasher
from app.server.services.store import Store, utcnow
from app.server.tables import SEATS


class Operator:
    def __init__(self, store: Store, hasher: CodeHasher) -> None:
        self.store = store
        self.hasher = hasher

    def issue_codes(
        self,
        *,
        license_type: LicenseType,
        term_seconds: int,
        max_devices: int = 1,
        valid_until: datetime | None = None,
        app_versions: str = "",
        requires_account: bool = False,
        count: int = 1,
    ) -> list[str]:
        if not 1 <= max_devices <= MAX_DEVICES:
            raise ValueError(f"a code covers between 1 and {MAX_DEVICES:,} devices")
        if len(app_versions) > MAX_VERSION_SPEC:
            raise ValueError(
                f"the app version specifier is at most {MAX_VERSION_SPEC} characters long"
            )
        if not 1 <= term_seconds <= MAX_TERM.total_seconds():
            raise ValueError(f"the term must be between 1 second and {MAX_TERM.days} days")
        parse_version_spec(app_versions)
        now = utcnow()
        valid_until = valid_until or now + timedelta(days=365)
        if valid_until > now + MAX_TERM:
            raise ValueError(f"valid until must be within {MAX_TERM.days} days from now")

        issued = [codes.generate() for _ in range(count)]
        with self.store.session() as session, session.begin():
            for code in issued:
                session.add(
                    CodeRow(
                        code_hash=self.hasher.digest_text(code),
                        last5=codes.suffix(code),
                        type=license_type.value,
                        term_seconds=term_seconds,
                        max_devices=max_devices,
                        devices_used=0,
                        valid_until=valid_until,
                        app_versions=app_versions,
                        requires_account=requires_account,
                        blocked=False,
                        created_at=now,
                    )
                )
            session.add(
                AuditEventRow(at=now, event="issue", detail={"count": count, "type": license_type})
            )
        return issued

    def _code(self, session: Session, text: str) -> CodeRow:
        digest = self.hasher.digest_text(text)
        code = session.scalars(
            select(CodeRow).where(CodeRow.code_hash == digest).with_for_update()
        ).first()
        if code is None:
            raise DomainError(ErrorCode.CODE_NOT_FOUND)
        return code

    def block_code(self, text: str) -> bool:
        """Block a code; False when it was blocked already."""
        with self.store.session() as session, session.begin():
            code = self._code(session, text)
            if code.blocked:
                return False
            code.blocked = True
            session.add(
                AuditEventRow(at=utcnow(), event="block", code_id=code.id, code_last5=code.last5)
            )
            return True

    def code_info(self, text: str) -> dict[str, Any]:
        """What ``codes show`` prints: the license facts plus the operator's own.

        A seat held for a reserve counts in ``devices_used`` (it keeps other devices out)
        and in ``devices_held`` until it starts; one whose start has passed (taken over on
        its device, perhaps with no network, and not confirmed yet) has started.
        """
        now = utcnow()
        with self.store.session() as session, session.begin():
            code = code_of(self._code(session, text))
            held, first_start = session.execute(
                select(
                    func.count().filter(SEATS.c.held_from > now),
                    func.min(SEATS.c.held_from).filter(SEATS.c.held_from <= now),
                ).where(SEATS.c.code_id == code.id)
            ).one()
        if first_start is not None:
            code = code.started(first_start)
        return {
            **protocol.wire(license_facts(code, now)),
            "devices_held": held,
            "first_activated_at": iso(code.first_activated_at),
            "app_versions": code.app_versions,
        }
