"""Licenses verify against the published JWKS; tampering and foreign keys are caught."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import UTC, datetime

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert

from app.domain.license import LicenseType
from app.domain.tokens import ALGORITHM, ISSUER
from app.server.models import AuditEventRow
from app.server.secrets import KeyRing
from app.server.services import Services
from tests.server.helpers import activate, error_of, new_device
from tests.servers import RunningServer, running_server, services_for


def jwks(server: RunningServer) -> jwt.PyJWKSet:
    response = requests.get(server.api("/keys"), timeout=10)
    assert response.status_code == 200
    return jwt.PyJWKSet.from_dict(response.json())


def verify(token: str, keys: jwt.PyJWKSet) -> dict[str, object]:
    kid = jwt.get_unverified_header(token)["kid"]
    return dict(jwt.decode(token, keys[kid].key, algorithms=["EdDSA"], issuer=ISSUER))


def fresh_license(server: RunningServer, services: Services) -> str:
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=3600)
    return str(activate(server, code, new_device()).json()["license"])


def test_published_keys_verify_a_license(server: RunningServer, services: Services) -> None:
    keys = jwks(server)
    assert all(key.key_type == "OKP" for key in keys.keys)
    raw = requests.get(server.api("/keys"), timeout=10).json()["keys"]
    assert {(k["kty"], k["crv"], k["alg"]) for k in raw} == {("OKP", "Ed25519", "EdDSA")}
    assert all("d" not in k for k in raw)  # never the private part
    token = fresh_license(server, services)
    assert jwt.get_unverified_header(token)["alg"] == ALGORITHM
    assert verify(token, keys)["type"] == "commercial"


def test_a_jose_library_enforces_the_license_time(
    server: RunningServer, services: Services
) -> None:
    """PyJWT, checking a license as any JOSE library would, with its default options: the
    license is good now, and no longer once its end has passed."""
    keys = jwks(server)
    token = fresh_license(server, services)
    claims = verify(token, keys)  # exp, nbf and iat are checked by default
    assert claims["exp"] == claims["expires_at"]
    assert int(str(claims["nbf"])) <= int(str(claims["iat"]))
    assert claims["nbf"] == claims["device_activated_at"]
    kid = jwt.get_unverified_header(token)["kid"]
    hour_and_more = 3600 + 60
    # A negative leeway moves the library's "now" past the license's end (for every time
    # claim alike, so only "exp" is checked here).
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(
            token,
            keys[kid].key,
            algorithms=["EdDSA"],
            issuer=ISSUER,
            leeway=-hour_and_more,
            options={"verify_iat": False, "verify_nbf": False},
        )
    again = server.post("/licenses/status", {"license": token})
    assert again.status_code == 200
    assert verify(again.json()["license"], keys)["jti"] != claims["jti"]  # each token its own


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_tampered_license_is_rejected(server: RunningServer, services: Services) -> None:
    token = fresh_license(server, services)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["expires_at"] += 10 * 365 * 86400
    tampered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    with pytest.raises(jwt.InvalidSignatureError):
        verify(tampered, jwks(server))
    refused = server.post("/licenses/status", {"license": tampered})
    assert (refused.status_code, error_of(refused)) == (401, "unauthorized")


def test_a_license_signed_by_another_key_is_rejected(
    server: RunningServer, services: Services
) -> None:
    genuine = jwt.get_unverified_header(fresh_license(server, services))
    forged_claims = {"iss": ISSUER, "sub": new_device(), "lid": "x" * 32, "expires_at": 2**40}
    forger = Ed25519PrivateKey.generate()
    for headers in ({"kid": genuine["kid"]}, {"kid": "not-a-key"}):
        forged = jwt.encode(forged_claims, forger, algorithm="EdDSA", headers=headers)
        refused = server.post("/licenses/status", {"license": forged})
        assert error_of(refused) == "unauthorized"


def test_rotation_keeps_old_keys_and_every_process_signs_alike(fresh_sqlite_url: str) -> None:
    with services_for(fresh_sqlite_url) as services:
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL, term_seconds=3600, max_devices=10
        )
    with running_server(fresh_sqlite_url, workers=2) as server:
        before = {
            jwt.get_unverified_header(activate(server, code, new_device()).json()["license"])["kid"]
            for _ in range(8)
        }
        old_token = activate(server, code, new_device()).json()["license"]
    assert len(before) == 1  # both workers sign with the one stored key
    rotated = subprocess.run(
        [sys.executable, "-m", "app.server", "keys", "rotate", "--db", fresh_sqlite_url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with running_server(fresh_sqlite_url) as server:
        new_token = activate(server, code, new_device()).json()["license"]
        assert jwt.get_unverified_header(new_token)["kid"] == rotated != before.pop()
        keys = jwks(server)
        assert len(keys.keys) == 2
        assert verify(old_token, keys)["sub"]
        assert server.post("/licenses/status", {"license": old_token}).status_code == 200


def test_keys_are_read_beside_a_writer_holding_sqlite(fresh_sqlite_url: str) -> None:
    """Loading the keys must not queue for SQLite's write lock (a thread holding it signs)."""
    with services_for(fresh_sqlite_url) as services, services.engine.connect() as writer:
        writer.execute(insert(AuditEventRow).values(at=datetime.now(UTC), event="holding"))
        # The write lock is held until this block ends; a fresh key ring must still load.
        ring = KeyRing(services.engine, services.vault)
        assert [key["kty"] for key in ring.jwks()["keys"]] == ["OKP"]
        writer.rollback()
