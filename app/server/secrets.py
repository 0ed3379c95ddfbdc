"""Secrets the server creates once and keeps in its database.

Every process of the server (and every CLI call) must hash codes with the same key and sign
with the same Ed25519 key. Whoever comes first inserts them; a process that loses the race
gets an integrity error on the unique column and reads the winner's instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.domain import codes
from app.domain.tokens import ALGORITHM, ISSUER, REQUIRED_CLAIMS
from app.server.db import READ_ONLY
from app.server.models import ServerSecretRow, SigningKeyRow
from app.server.vault import Vault, VaultError

CODE_HASH_KEY = "code_hash_key"
#: How long a process signs with the key it knows before it asks the database whether a newer
#: one was rotated in (one ``max(generation)`` on a unique index: an index lookup).
KEY_CHECK_SECONDS = 5.0
_UNKNOWN_KID_RELOAD_SECONDS = 1.0


def _now() -> datetime:
    return datetime.now(UTC)


def ensure_server_keys(factory: sessionmaker[Session], vault: Vault) -> bytes:
    """Open the stored code-hash key and first signing key, creating whichever is missing.

    What is stored is opened first, so a wrong secret file fails before anything is written
    with it; what is missing is created in one transaction. A process that loses the race to
    create them reads the winner's. Returns the code-hash key.
    """
    purpose = f"server-secret:{CODE_HASH_KEY}"
    for _attempt in range(3):
        with factory() as session:
            secret = session.get(ServerSecretRow, CODE_HASH_KEY)
            first_key = session.scalars(
                select(SigningKeyRow).order_by(SigningKeyRow.generation).limit(1)
            ).first()
            hash_key = vault.open(secret.sealed_value, purpose) if secret else None
            if first_key is not None:
                open_signing_key(
                    vault, first_key.kid, first_key.generation, first_key.sealed_private_key
                )
            if hash_key is not None and first_key is not None:
                return hash_key
            if hash_key is None:
                hash_key = secrets.token_bytes(32)
                sealed = vault.seal(hash_key, purpose)
                session.add(
                    ServerSecretRow(name=CODE_HASH_KEY, sealed_value=sealed, created_at=_now())
                )
            if first_key is None:
                session.add(_new_key_row(vault, 1))
            try:
                session.commit()
            except IntegrityError:
                continue  # another process created them first: read theirs
            return hash_key
    raise RuntimeError("the server keys could not be created")


def has_sealed_secrets(factory: sessionmaker[Session]) -> bool:
    with factory() as session:
        return bool(session.scalar(select(func.count()).select_from(ServerSecretRow)))


class CodeHasher:
    """HMAC-SHA256 of the normalised code: lookups work, a stolen table reveals no codes."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def digest(self, normalized_code: str) -> bytes:
        return hmac.new(self._key, normalized_code.encode("ascii"), hashlib.sha256).digest()

    def digest_text(self, text: str) -> bytes:
        return self.digest(codes.normalize(text))


# --- passwords -------------------------------------------------------------------------------

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, maxmem=2**26
    )
    parts = [str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), salt.hex(), digest.hex()]
    return "scrypt$" + "$".join(parts)


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), maxmem=2**26
    )
    return hmac.compare_digest(digest, bytes.fromhex(expected))


# --- signing keys ----------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw)}


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 thumbprint: the key id, the same wherever the key is computed."""
    members = {name: jwk[name] for name in ("crv", "kty", "x")}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return _b64(hashlib.sha256(canonical.encode()).digest())


def _key_purpose(kid: str, generation: int) -> str:
    # The generation is sealed in too: renumbering rows cannot bring back an older key.
    return f"signing-key:{kid}:{generation}"


def open_signing_key(vault: Vault, kid: str, generation: int, sealed: bytes) -> Ed25519PrivateKey:
    private = Ed25519PrivateKey.from_private_bytes(
        vault.open(sealed, _key_purpose(kid, generation))
    )
    if thumbprint(public_jwk(private.public_key())) != kid:
        raise VaultError(f"signing key {kid} does not match its key id")
    return private


def _new_key_row(vault: Vault, generation: int) -> SigningKeyRow:
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    kid = thumbprint(public_jwk(private.public_key()))
    sealed = vault.seal(raw, _key_purpose(kid, generation))
    return SigningKeyRow(
        kid=kid, generation=generation, sealed_private_key=sealed, created_at=_now()
    )


def rotate_signing_key(factory: sessionmaker[Session], vault: Vault) -> str:
    """Add a newer key; it signs from now on, and the older ones stay in the JWKS."""
    while True:
        with factory() as session:
            newest = session.scalar(select(func.max(SigningKeyRow.generation)))
            row = _new_key_row(vault, (newest or 0) + 1)
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                continue
            return row.kid


@dataclass(frozen=True)
class _LoadedKey:
    kid: str
    generation: int
    private: Ed25519PrivateKey
    jwk: dict[str, str]

    @cached_property
    def encoded_header(self) -> bytes:
        header = {"alg": ALGORITHM, "kid": self.kid, "typ": "JWT"}
        return _b64(json.dumps(header, separators=(",", ":")).encode()).encode("ascii")


class KeyRing:
    """Signs with the newest key and publishes all of them.

    ``standby-server keys rotate`` reaches every running process without a restart: at most
    every :data:`KEY_CHECK_SECONDS` a process asks the database for the newest key's
    generation (one indexed query), and reads and opens the keys again only when it
    changed. Keys are only ever added, so the newest generation tells whether anything did.
    """

    def __init__(self, engine: Engine, vault: Vault) -> None:
        self._engine = engine
        self._vault = vault
        self._lock = threading.Lock()
        self._keys: dict[str, _LoadedKey] = {}
        self._newest = 0
        self._checked_at = 0.0

    def _load(self) -> dict[str, _LoadedKey]:
        with self._lock:
            if self._keys and time.monotonic() - self._checked_at < KEY_CHECK_SECONDS:
                return self._keys
            if self._keys:
                try:
                    newest = self._newest_generation()
                except SQLAlchemyError:
                    newest = None  # the database is away: sign with what is known meanwhile
                if newest is None or newest == self._newest:
                    self._checked_at = time.monotonic()
                    return self._keys
            # A read-only transaction: on SQLite it must not queue for the write lock.
            with self._engine.connect().execution_options(**READ_ONLY) as connection:
                rows = connection.execute(
                    select(
                        SigningKeyRow.kid,
                        SigningKeyRow.generation,
                        SigningKeyRow.sealed_private_key,
                    ).order_by(SigningKeyRow.generation)
                ).all()
            keys: dict[str, _LoadedKey] = {}
            for row in rows:
                known = self._keys.get(row.kid)
                if known is None:
                    private = open_signing_key(
                        self._vault, row.kid, row.generation, row.sealed_private_key
                    )
                    known = _LoadedKey(
                        row.kid, row.generation, private, public_jwk(private.public_key())
                    )
                keys[row.kid] = known
            if not keys:
                raise RuntimeError("no signing key in the database; run the migrations first")
            self._keys, self._newest = keys, max(key.generation for key in keys.values())
            self._checked_at = time.monotonic()
            return keys

    def _newest_generation(self) -> int | None:
        with self._engine.connect().execution_options(**READ_ONLY) as connection:
            return connection.scalar(select(func.max(SigningKeyRow.generation)))

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        keys = sorted(self._load().values(), key=lambda k: -k.generation)
        return {"keys": [{**k.jwk, "kid": k.kid, "alg": ALGORITHM, "use": "sig"} for k in keys]}

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact JWS (RFC 7515) over ``claims``, built directly: it runs once per
        activation, and PyJWT's general encoder cost more than the Ed25519 signature."""
        current = max(self._load().values(), key=lambda k: k.generation)
        payload = json.dumps({"iss": ISSUER, **claims}, separators=(",", ":")).encode()
        signing_input = current.encoded_header + b"." + _b64(payload).encode("ascii")
        return (signing_input + b"." + _b64(current.private.sign(signing_input)).encode()).decode()

    def verify(self, token: str) -> dict[str, Any]:
        """Claims of a license this server signed; jwt.InvalidTokenError when it did not."""
        kid = jwt.get_unverified_header(token).get("kid")
        keys = self._load()
        if kid not in keys and time.monotonic() - self._checked_at > _UNKNOWN_KID_RELOAD_SECONDS:
            # Perhaps a key rotated in by another process since the last check; at most one
            # such check a second, so forged key ids cannot hammer the database.
            self._checked_at = 0.0
            keys = self._load()
        if kid not in keys:
            raise jwt.InvalidTokenError("unknown key id")
        claims: dict[str, Any] = jwt.decode(
            token,
            keys[kid].private.public_key(),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            # The rules judge a license's time (an ended license may still be shown,
            # synced or freed), not the signature check.
            options={
                "require": list(REQUIRED_CLAIMS),
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
            },
        )
        return claims
