"""License tokens as the client trusts them: only after checking the signature.

The token is a compact JWS the server signed with Ed25519; the public keys come from the
server's JWKS and are cached in the data directory so a license can be checked at start
before the server answers. A token that does not verify is not a license.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.domain.license import LicenseType
from app.domain.tokens import ALGORITHM, ISSUER, REQUIRED_CLAIMS


class InvalidLicense(Exception):
    """The token is damaged, altered, for another device, or signed by a key we do not know."""


@dataclass(frozen=True)
class License:
    """A verified license: one code's seat on this device."""

    token: str
    seat_id: str
    device_id: str
    type: LicenseType
    max_devices: int
    activated_at: datetime
    expires_at: datetime
    code_last5: str
    requires_account: bool


def _moment(value: Any) -> datetime:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidLicense("a time in the license is not a number")
    return datetime.fromtimestamp(value, UTC)


def verify_license(token: str, jwks: dict[str, Any], device_id: str) -> License:
    """Check ``token`` against the server's keys and return what it says."""
    import jwt  # here, not at the top: the window shows before it is needed

    try:
        header = jwt.get_unverified_header(token)
        keys = {key.get("kid"): key for key in jwks.get("keys", []) if isinstance(key, dict)}
        jwk = keys.get(header.get("kid"))
        if jwk is None:
            raise InvalidLicense("the license was signed by a key this server does not publish")
        claims = jwt.decode(
            token,
            key=jwt.PyJWK(jwk, ALGORITHM).key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            # No clock checks: "iat" is the server's clock, and a client clock running a
            # few seconds behind must not turn a fresh license away.
            options={"require": list(REQUIRED_CLAIMS), "verify_iat": False},
        )
    except (jwt.InvalidTokenError, jwt.PyJWKError, ValueError, TypeError) as exc:
        raise InvalidLicense(f"the license does not verify ({type(exc).__name__})") from None
    if claims["sub"] != device_id:
        raise InvalidLicense("the license belongs to another device")
    try:
        return License(
            token=token,
            seat_id=str(claims["lid"]),
            device_id=device_id,
            type=LicenseType(claims["type"]),
            max_devices=int(claims["max_devices"]),
            activated_at=_moment(claims["activated_at"]),
            expires_at=_moment(claims["expires_at"]),
            code_last5=str(claims["code_last5"]),
            requires_account=bool(claims.get("requires_account", False)),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidLicense(f"the license lacks a field ({exc})") from None
