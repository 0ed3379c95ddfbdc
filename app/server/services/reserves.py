"""Reserve codes: whether a code saved now is activated or kept as the reserve (section 3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import protocol
from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import (
    CodeFacts,
    CurrentLicense,
    LicenseType,
    check_reserve_code,
    check_reserve_slot,
    save_action,
)
from app.server.models import AuditEventRow
from app.server.records import code_of, fields_of, license_facts
from app.server.secrets import CodeHasher
from app.server.services.audit import Audit
from app.server.services.licenses import Licenses
from app.server.services.store import Store, utcnow
from app.server.tables import CODES, SEATS

#: The audit event of a refused check.
_EVENT = "reserve_refused"


class Reserves:
    def __init__(self, store: Store, audit: Audit, hasher: CodeHasher, licenses: Licenses) -> None:
        self.store = store
        self.audit = audit
        self.hasher = hasher
        self.licenses = licenses

    def check(self, request: protocol.ReserveCheckRequest, key: str) -> protocol.ReserveCheck:
        """Section 3: should this code be activated now, kept as the reserve, or refused?

        With ``replace_reserve`` the device asks whether this code may take the place of
        its saved reserve (``reserve_code``): it is checked in full, as if no reserve were
        saved (the device swaps them only on acceptance, so the old reserve is never lost
        to a bad code).
        """
        device_id, saved_reserve = request.device_id, request.reserve_code
        try:
            normalized = codes.normalize(request.code)
        except codes.InvalidCodeFormat as exc:
            raise self.audit.record_refusal(
                DomainError(ErrorCode.INVALID_FORMAT, str(exc)), event=_EVENT, device_id=device_id
            ) from None
        current_license = request.current_license
        claims = self.licenses.read(current_license, device_id) if current_license else None
        try:
            reserve_normalized = codes.normalize(saved_reserve) if saved_reserve else None
        except codes.InvalidCodeFormat:
            reserve_normalized = None  # a garbled saved reserve is still a saved reserve
        digest = self.hasher.digest(normalized)
        now = utcnow()
        with self.store.session() as session:
            refuse = partial(self.audit.refuse, session, event=_EVENT, device_id=device_id)
            # A check holds nothing, so it registers no key; a device's key is still its own.
            self.audit.prove(session, device_id, key, event=_EVENT)
            current, current_hash = _current_license(session, claims)
            if current is None or save_action(current, now) == "activate":
                session.commit()
                return protocol.ReserveCheck(action="activate")
            try:
                check_reserve_slot(
                    current,
                    is_current_code=digest == current_hash,
                    is_saved_reserve=reserve_normalized == normalized,
                    reserve_saved=saved_reserve is not None,
                    replacing=request.replace_reserve,
                )
            except DomainError as error:
                raise refuse(error, last5=normalized[-5:]) from None
            code, expiry = _checked_code(session, refuse, request, normalized, digest, current, now)
            answer = protocol.ReserveCheck(
                action="reserve",
                **{**fields_of(license_facts(code, now)), "expires_at": expiry},
                takes_over_at=max(current.expires_at, now),
                replaces_reserve=request.replace_reserve and saved_reserve is not None,
            )
            session.add(
                AuditEventRow(
                    at=now,
                    event="reserve_accepted",
                    code_id=code.id,
                    code_last5=code.last5,
                    device_id=device_id,
                )
            )
            session.commit()
            return answer


def _current_license(
    session: Session, claims: dict[str, Any] | None
) -> tuple[CurrentLicense | None, bytes | None]:
    """The license the device runs (from its claims and its seat's code as stored now), and
    the hash of that code; None for both when it names no seat the device holds."""
    if claims is None:
        return None, None
    held = session.execute(
        select(CODES.c.code_hash, CODES.c.blocked)
        .join(SEATS, SEATS.c.code_id == CODES.c.id)
        .where(SEATS.c.id == claims["lid"], SEATS.c.device_id == claims["sub"])
    ).first()
    if held is None:
        return None, None
    current = CurrentLicense(
        type=LicenseType(claims["type"]),
        expires_at=datetime.fromtimestamp(claims["expires_at"], UTC),
        blocked=held.blocked,
    )
    return current, held.code_hash


def _checked_code(
    session: Session,
    refuse: Callable[..., DomainError],
    request: protocol.ReserveCheckRequest,
    normalized: str,
    digest: bytes,
    current: CurrentLicense,
    now: datetime,
) -> tuple[CodeFacts, datetime]:
    """The code typed, checked in full as the reserve behind ``current``, and the expiry it
    would give; its refusal raised (recorded with ``refuse``) when it fails."""
    row = session.execute(select(CODES).where(CODES.c.code_hash == digest)).first()
    if row is None:
        raise refuse(DomainError(ErrorCode.CODE_NOT_FOUND), last5=normalized[-5:])
    code = code_of(row)
    seat = select(SEATS.c.id).where(
        SEATS.c.code_id == code.id, SEATS.c.device_id == request.device_id
    )
    has_seat = session.execute(seat).first() is not None
    try:
        expiry = check_reserve_code(
            current,
            code,
            now=now,
            app_version=request.app_version,
            device_has_seat=has_seat,
        )
    except DomainError as error:
        raise refuse(error, code=code) from None
    return code, expiry
