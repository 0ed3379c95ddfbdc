"""How the console colours a device: green protected, amber needs attention, red at risk."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.license import LicenseState, LicenseType
from app.server.console.web import device_tone
from app.server.services.fleet import DeviceLine, SeatLine

SOON = datetime(2027, 1, 1, tzinfo=UTC)


def _seat(state: LicenseState, *, held: bool = False, at_risk: bool = False) -> SeatLine:
    return SeatLine(
        code_id=1,
        last5="ABCDE",
        type=LicenseType.COMMERCIAL,
        state=state,
        expires_at=SOON,
        takes_over_at=SOON if held else None,
        at_risk=at_risk,
    )


def _device(current: SeatLine | None, reserve: SeatLine | None = None) -> DeviceLine:
    return DeviceLine("device-1", None, None, current, reserve)


def test_a_license_ending_with_a_reserve_held_is_protected() -> None:
    held = _seat(LicenseState.ACTIVE, held=True)
    assert device_tone(_device(_seat(LicenseState.EXPIRING_SOON))) == "warn"
    assert device_tone(_device(_seat(LicenseState.EXPIRING_SOON), held)) == "ok"
    assert device_tone(_device(_seat(LicenseState.EXPIRED), held)) == "ok"


def test_a_reserve_at_risk_or_no_license_needs_attention() -> None:
    at_risk = _seat(LicenseState.ACTIVE, held=True, at_risk=True)
    assert device_tone(_device(_seat(LicenseState.ACTIVE), at_risk)) == "warn"
    assert device_tone(_device(_seat(LicenseState.EXPIRED), at_risk)) == "bad"
    assert (
        device_tone(_device(_seat(LicenseState.BLOCKED), _seat(LicenseState.ACTIVE, held=True)))
        == "bad"
    )
    assert device_tone(_device(None)) == "bad"
    assert device_tone(_device(_seat(LicenseState.ACTIVE))) == "ok"
