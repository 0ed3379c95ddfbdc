"""Plain records the services pass around and the answers they build from them."""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app import protocol
from app.domain.license import CodeFacts, LicenseType


def code_of(row: Any) -> CodeFacts:
    """A row of the codes table (ORM or Core) as the domain's one shape of a code."""
    return CodeFacts(
        type=LicenseType(row.type),
        term=timedelta(seconds=row.term_seconds),
        max_devices=row.max_devices,
        devices_used=row.devices_used,
        valid_until=row.valid_until,
        first_activated_at=row.first_activated_at,
        blocked=row.blocked,
        requires_account=row.requires_account,
        app_versions=row.app_versions,
        last5=row.last5,
        id=row.id,
    )


@dataclass(frozen=True)
class Seat:
    """One device's seat of a code: what its license names."""

    id: str
    device_id: str
    activated_at: datetime
    #: While held for a reserve: when its license starts (``nbf``). None once started.
    held_from: datetime | None = None

    @property
    def starts_at(self) -> datetime:
        return self.held_from or self.activated_at


@dataclass(frozen=True)
class ActivationWritten:
    code: CodeFacts
    seat: Seat
    created: bool
    now: datetime


def normalize_email(email: str) -> str:
    """The one spelling of an e-mail address an account is kept and found under.

    NFKC first, so that look-alikes typed or pasted in another form (fullwidth letters,
    ligatures) become the letters they stand for; then case-folded; then a trailing dot of the
    domain dropped (``example.com.`` is the same domain written fully qualified). Two spellings
    that reach one mailbox this way can never be two accounts.
    """
    email = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email).casefold())
    email = email.strip().rstrip(".")
    local, _, domain = email.partition("@")
    if (
        not local
        or "." not in domain
        or "@" in domain
        or len(email) > 320
        or any(c.isspace() or not c.isprintable() for c in email)
    ):
        raise ValueError(f"{email!r} is not an e-mail address")
    return email


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def license_facts(code: CodeFacts, now: datetime) -> protocol.LicenseFacts:
    """What ``code`` gives, as the device is told."""
    return protocol.LicenseFacts(
        code_last5=code.last5,
        type=code.type,
        term_seconds=int(code.term.total_seconds()),
        max_devices=code.max_devices,
        devices_used=code.devices_used,
        requires_account=code.requires_account,
        valid_until=code.valid_until,
        activated_at=code.first_activated_at,
        expires_at=code.expires_at,
        blocked=code.blocked,
        state=code.state(now),
    )


def fields_of(record: Any) -> dict[str, Any]:
    """A record's fields by name, to build a larger record from it."""
    return {field.name: getattr(record, field.name) for field in dataclasses.fields(record)}
