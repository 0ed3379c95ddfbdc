"""License tokens as the client trusts them: only after checking the signature.

The token is a compact JWS the server signed with Ed25519; the public keys come from the
server's JWKS and are cached in the data directory so a license can be checked at start
before the server answers. A token that does not verify is not a license.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.domain.license import LicenseType
from app.domain.tokens import ALGORITHM, ISSUER, REQUIRED_CLAIMS

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


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
    #: When this device may use it: its seat's start (``nbf``). Later than now for a
    #: license signed ahead for the reserve.
    starts_at: datetime
    held: bool = False


def _segment(text: str) -> bytes:
    """One base64url part of a compact JWS (no padding, RFC 7515)."""
    if not _BASE64URL.fullmatch(text):
        raise InvalidLicense("the license is not a signed token")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _verified_claims(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The claims of ``token`` once its Ed25519 signature checks against one of the keys.

    Verified here with ``cryptography`` alone (a JOSE library would load every algorithm
    it knows into the engine that waits for days): only ``EdDSA``, only a key the server
    publishes, no header parameter we do not understand.
    """
    # here, not at the top: the window shows before it is needed
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise InvalidLicense("the license is not a signed token")
    try:
        header = json.loads(_segment(parts[0]))
        if not isinstance(header, dict) or header.get("alg") != ALGORITHM or "crit" in header:
            raise InvalidLicense("the license is not signed the way licenses are")
        keys = {key.get("kid"): key for key in jwks.get("keys", []) if isinstance(key, dict)}
        jwk = keys.get(header.get("kid"))
        if jwk is None:
            raise InvalidLicense("the license was signed by a key this server does not publish")
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            raise InvalidLicense("the server's key is not an Ed25519 key")
        key = Ed25519PublicKey.from_public_bytes(_segment(str(jwk.get("x", ""))))
        key.verify(_segment(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
        claims = json.loads(_segment(parts[1]))
    except InvalidSignature:
        raise InvalidLicense("the license does not verify (its signature)") from None
    except (ValueError, TypeError) as exc:  # bad JSON, base64 or key bytes
        raise InvalidLicense(f"the license does not verify ({type(exc).__name__})") from None
    if not isinstance(claims, dict):
        raise InvalidLicense("the license says nothing")
    missing = [name for name in REQUIRED_CLAIMS if name not in claims]
    if missing:
        raise InvalidLicense(f"the license lacks {', '.join(missing)}")
    if claims["iss"] != ISSUER:
        raise InvalidLicense("the license was not issued by an activation server")
    return claims


def _moment(value: Any) -> datetime:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidLicense("a time in the license is not a number")
    return datetime.fromtimestamp(value, UTC)


def verify_license(token: str, jwks: dict[str, Any], device_id: str) -> License:
    """Check ``token`` against the server's keys and return what it says."""
    claims = _verified_claims(token, jwks)
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
            starts_at=_moment(
                claims.get("nbf", claims.get("device_activated_at", claims["activated_at"]))
            ),
            held=claims.get("held") is True,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidLicense(f"the license lacks a field ({exc})") from None


def key_id(token: str) -> str | None:
    """The id of the key ``token`` says it was signed with (not verified), if it says one."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_segment(parts[0]))
    except (InvalidLicense, ValueError):
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


def key_ids(jwks: dict[str, Any]) -> set[str]:
    """The ids of the keys in a JWKS."""
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        return set()
    return {key["kid"] for key in keys if isinstance(key, dict) and isinstance(key.get("kid"), str)}
