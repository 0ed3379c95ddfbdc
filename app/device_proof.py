"""How a device proves it is itself (domain.md section 8), for the client and the server.

A device makes an Ed25519 key pair when it first calls the server and keeps the private
half in its secret store. Every call that acts for a device carries two headers:

- ``Standby-Device-Key``: the public half (base64url, 32 bytes);
- ``Standby-Device-Proof``: ``<unix seconds>.<signature>``, the signature (base64url) over
  :func:`message`: the method, the API path, that moment and the SHA-256 of the body.

The server checks the signature and the moment (within :data:`MAX_SKEW_SECONDS` of its own
clock) without its database; then the device the call acts for must be the one that key was
registered with (its first seat), or a device that has no key yet (one from before keys),
which gets this one. A copy of a data directory without the secret store cannot act for the
device; neither can a stranger who knows its id.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_HEADER = "Standby-Device-Key"
PROOF_HEADER = "Standby-Device-Proof"
#: How far a proof's moment may be from the server's clock (either way). A client told its
#: moment is off learns the server's clock from that answer's ``Date`` and asks once more.
MAX_SKEW_SECONDS = 300
API_PREFIX = "/api/v1"

_KEY = re.compile(r"^[A-Za-z0-9_-]{43}$")
_PROOF = re.compile(r"^(\d{1,12})\.([A-Za-z0-9_-]{86})$")


class Refusal(StrEnum):
    """Why a call was not taken as the device's (the error's ``reason``)."""

    MISSING = "proof_missing"  # no key or no proof
    INVALID = "proof_invalid"  # malformed, or the signature does not verify
    CLOCK = "proof_clock"  # the proof's moment is too far from the server's clock
    OTHER_KEY = "other_device_key"  # the device registered another key


class ProofError(ValueError):
    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def endpoint(path: str) -> str:
    """The part of a URL's path a proof covers: from the API's own paths on, so a reverse
    proxy that serves the API under a prefix does not change it."""
    _head, found, tail = path.rpartition(API_PREFIX)
    return tail if found else path


def message(method: str, path: str, moment: int, body: bytes) -> bytes:
    """What a device signs for one call."""
    digest = hashlib.sha256(body).hexdigest()
    return (
        f"standby-device-proof-1\n{method.upper()}\n{endpoint(path)}\n{moment}\n{digest}".encode()
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class DeviceKey:
    """A device's key pair (the client's side)."""

    private: Ed25519PrivateKey
    public: str  # base64url: what the server registers

    @classmethod
    def generate(cls) -> DeviceKey:

        return cls._of(Ed25519PrivateKey.generate())

    @classmethod
    def from_secret(cls, secret: str) -> DeviceKey:
        """The key kept in the secret store as :attr:`secret`; ValueError when it is not one."""

        if not _KEY.fullmatch(secret):
            raise ValueError("not a device key")
        return cls._of(Ed25519PrivateKey.from_private_bytes(_unb64(secret)))

    @classmethod
    def _of(cls, private: Ed25519PrivateKey) -> DeviceKey:

        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return cls(private, _b64(raw))

    @property
    def secret(self) -> str:
        """The private half as text, for the secret store (never for a file or a log)."""

        raw = self.private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return _b64(raw)

    def headers(self, method: str, path: str, body: bytes, moment: int) -> dict[str, str]:
        """The headers that prove this call is this device's, made at ``moment``."""
        signature = self.private.sign(message(method, path, moment, body))
        return {KEY_HEADER: self.public, PROOF_HEADER: f"{moment}.{_b64(signature)}"}

    def __repr__(self) -> str:  # never the private half
        return f"DeviceKey(public={self.public!r})"


def verify(
    key: str | None, proof: str | None, method: str, path: str, body: bytes, now: float
) -> str:
    """The public key (as sent) that signed this call; :class:`ProofError` when it was not
    signed, does not verify, or was made too far from ``now``."""

    if not key or not proof:
        raise ProofError(
            Refusal.MISSING, "This call acts for a device, and the device did not prove it."
        )
    parts = _PROOF.fullmatch(proof)
    if not _KEY.fullmatch(key) or parts is None:
        raise ProofError(Refusal.INVALID, "The device's proof is not well formed.")
    moment = int(parts.group(1))
    if abs(moment - now) > MAX_SKEW_SECONDS:
        raise ProofError(
            Refusal.CLOCK,
            "The device's proof was made too far from the server's time (check the clock).",
        )
    try:
        public = Ed25519PublicKey.from_public_bytes(_unb64(key))
        public.verify(_unb64(parts.group(2)), message(method, path, moment, body))
    except (InvalidSignature, ValueError):
        raise ProofError(Refusal.INVALID, "The device's proof does not verify.") from None
    return key
