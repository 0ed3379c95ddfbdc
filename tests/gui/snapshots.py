"""Engine snapshots made by hand, for the view functions' tests (no engine, no window).

``NOW`` is years away from the machine's clock: a view that read the wall clock instead of
the snapshot's ``now`` would say something else.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from app.client.state import Reserve, ReserveSource, ReserveStatus
from app.client.tokens import License
from app.domain.license import LicenseState, LicenseType
from app.engine.vocabulary import Snapshot

NOW = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def lic(*, ends: datetime = NOW + 100 * DAY, kind: str = "commercial") -> License:
    return License(
        token="token",
        seat_id="seat-1",
        device_id="device",
        type=LicenseType(kind),
        max_devices=3,
        activated_at=NOW - 10 * DAY,
        expires_at=ends,
        code_last5="AAAAA",
        requires_account=False,
        starts_at=NOW - 10 * DAY,
    )


def reserve(status: ReserveStatus = ReserveStatus.SAVED, **changes: object) -> Reserve:
    saved = Reserve(
        last5="BBBBB",
        type="commercial",
        term_seconds=365 * 86400,
        max_devices=2,
        expires_at=NOW + 465 * DAY,
        takes_over_at=NOW + 100 * DAY,
        saved_at=NOW - DAY,
        status=status,
        source=ReserveSource.DEVICE,
    )
    return replace(saved, **changes)  # type: ignore[arg-type]


def snapshot(**changes: object) -> Snapshot:
    """A loaded device with nothing on it, changed by ``changes``."""
    empty = Snapshot(
        loaded=True,
        device_id="device",
        license=None,
        state=LicenseState.NONE,
        blocked=False,
        devices_used=None,
        reserve=None,
        account_email=None,
        checked_at=None,
        unreachable=None,
        server_address="activation.example.com",
        busy=None,
        secrets_secure=True,
        secrets_location="Secret Service",
        now=NOW,
    )
    return replace(empty, **changes)  # type: ignore[arg-type]


def active(**changes: object) -> Snapshot:
    """A license in force for 100 more days, confirmed by the server an hour ago."""
    base = snapshot(
        license=lic(),
        state=LicenseState.ACTIVE,
        devices_used=1,
        checked_at=NOW - timedelta(hours=1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
