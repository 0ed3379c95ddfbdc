"""A license is trusted only when the server's key signed it for this device."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.client.tokens import InvalidLicense, verify_license
from app.domain.tokens import ALGORITHM, ISSUER

DEVICE = "device-0123456789"


def _key() -> tuple[Ed25519PrivateKey, dict[str, Any]]:
    private = Ed25519PrivateKey.generate()
    public = jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return private, {"keys": [{**public, "kid": "k1", "alg": ALGORITHM, "use": "sig"}]}


def _token(private: Ed25519PrivateKey, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": DEVICE,
        "lid": "seat-1",
        "type": "commercial",
        "max_devices": 1,
        "activated_at": now,
        "expires_at": now + 3600,
        "code_last5": "7QX4A",
        "requires_account": False,
        "iat": now,
        **changes,
    }
    return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": "k1"})


def test_a_license_signed_by_the_server_key_is_accepted() -> None:
    private, jwks = _key()
    lic = verify_license(_token(private), jwks, DEVICE)
    assert lic.code_last5 == "7QX4A"
    assert lic.seat_id == "seat-1"


def test_a_server_clock_ahead_of_ours_does_not_matter() -> None:
    private, jwks = _key()
    lic = verify_license(_token(private, iat=int(time.time()) + 600), jwks, DEVICE)
    assert lic.max_devices == 1


@pytest.mark.parametrize(
    "problem", ["other key", "other device", "altered", "unknown key id", "not a token"]
)
def test_anything_else_is_rejected(problem: str) -> None:
    private, jwks = _key()
    token = _token(private)
    device = DEVICE
    if problem == "other key":
        token = _token(Ed25519PrivateKey.generate())
    elif problem == "other device":
        device = "device-somewhere-else"
    elif problem == "altered":
        header, payload, signature = token.split(".")
        token = f"{header}.{payload[:-2]}AA.{signature}"
    elif problem == "unknown key id":
        jwks = {"keys": [{**jwks["keys"][0], "kid": "k2"}]}
    else:
        token = "not.a.token"
    with pytest.raises(InvalidLicense):
        verify_license(token, jwks, device)


def _encoded(part: dict[str, Any]) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "forgery",
    [
        "alg none",
        "HS256 keyed with the public key",
        "a critical header",
        "another issuer",
        "no seat id",
        "padding",
        "claims not an object",
    ],
)
def test_forged_or_malformed_tokens_are_rejected(forgery: str) -> None:
    private, jwks = _key()
    header, payload, signature = _token(private).split(".")
    if forgery == "alg none":
        token = f"{_encoded({'alg': 'none', 'kid': 'k1'})}.{payload}."
    elif forgery == "HS256 keyed with the public key":
        import base64
        import hashlib
        import hmac

        forged_header = _encoded({"alg": "HS256", "kid": "k1"})
        public = jwks["keys"][0]["x"].encode()
        mac = hmac.new(public, f"{forged_header}.{payload}".encode(), hashlib.sha256).digest()
        token = f"{forged_header}.{payload}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    elif forgery == "a critical header":
        token = jwt.encode(
            {"iss": ISSUER, "sub": DEVICE, "lid": "s", "expires_at": 1},
            private,
            algorithm=ALGORITHM,
            headers={"kid": "k1", "crit": ["exp-policy"], "exp-policy": 1},
        )
    elif forgery == "another issuer":
        token = _token(private, iss="someone-else")
    elif forgery == "no seat id":
        token = jwt.encode(
            {"iss": ISSUER, "sub": DEVICE, "expires_at": 1},
            private,
            algorithm=ALGORITHM,
            headers={"kid": "k1"},
        )
    elif forgery == "padding":
        token = f"{header}.{payload}==.{signature}"
    else:
        signed = jwt.api_jws.encode(b"[1, 2]", private, algorithm=ALGORITHM, headers={"kid": "k1"})
        token = signed
    with pytest.raises(InvalidLicense):
        verify_license(token, jwks, DEVICE)
