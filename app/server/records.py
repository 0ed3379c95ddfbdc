"""Plain records the services pass around and the answers they build from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from app.domain.license import LicenseState, LicenseType, license_state


@dataclass(frozen=True)
class CodeRecord:
    """A code row as the rules, the license and the answers need it."""

    id: int
    last5: str
    type: str
    term_seconds: int
    max_devices: int
    devices_used: int
    valid_until: datetime
    first_activated_at: datetime | None
    blocked: bool
    requires_account: bool
    app_versions: str

    @classmethod
    def of(cls, row: Any) -> CodeRecord:
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Seat:
    """One device's seat of a code: what its license names."""

    id: str
    device_id: str
    activated_at: datetime


@dataclass(frozen=True)
class Activated:
    code: CodeRecord
    seat: Seat
    created: bool
    now: datetime


@dataclass(frozen=True)
class ActivationResult:
    token: str
    created: bool
    info: dict[str, Any]


@dataclass(frozen=True)
class ReserveCheck:
    action: Literal["activate", "reserve"]
    info: dict[str, Any] | None = None


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if (
        not local
        or "." not in domain
        or len(email) > 320
        or any(c.isspace() or not c.isprintable() for c in email)
    ):
        raise ValueError(f"{email!r} is not an e-mail address")
    return email


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def license_info(code: CodeRecord, now: datetime) -> dict[str, Any]:
    expires_at = (
        code.first_activated_at + timedelta(seconds=code.term_seconds)
        if code.first_activated_at
        else None
    )
    return {
        "code_last5": code.last5,
        "type": code.type,
        "term_seconds": code.term_seconds,
        "max_devices": code.max_devices,
        "devices_used": code.devices_used,
        "requires_account": code.requires_account,
        "valid_until": code.valid_until.isoformat(),
        "activated_at": iso(code.first_activated_at),
        "expires_at": iso(expires_at),
        "blocked": code.blocked,
        "state": license_state(LicenseType(code.type), expires_at, code.blocked, now).value
        if expires_at
        else LicenseState.NONE.value,
    }
