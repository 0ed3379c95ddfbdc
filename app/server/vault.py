"""The server's secrets at rest: sealed with a key that is kept outside the database.

The database holds the Ed25519 signing keys and the key that hashes activation codes. Both
are stored sealed (AES-256-GCM) with a key from a separate file, so the database alone (a
dump, a copied file) reveals neither; keep the secret file out of the database's backups.
The file is created with a new database, readable only by its owner; every process of one
server must use the same file (``--secret-file`` or ``STANDBY_SECRET_FILE``; by default beside
an SQLite database, and in the user's configuration folder for PostgreSQL).
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import URL

SECRET_FILE_ENV = "STANDBY_SECRET_FILE"  # noqa: S105 - a variable name, not a secret
_VERSION = b"v1"
_NONCE = 12


class VaultError(Exception):
    """The secret file is missing, unsafe, or does not open this database's secrets."""


def default_secret_path(url: URL) -> Path:
    configured = os.environ.get(SECRET_FILE_ENV)
    if configured:
        return Path(configured).expanduser()
    if url.get_backend_name() == "sqlite" and url.database:
        return (
            Path(url.database).expanduser().resolve().with_name(Path(url.database).name + ".secret")
        )
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "standby" / "server.secret"


def _create(path: Path) -> None:
    """Write a new key to ``path`` unless it exists; atomic, so racing processes agree."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(base64.b64encode(secrets.token_bytes(32)) + b"\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the new name must survive a power cut as surely as the keys it seals
    finally:
        os.close(folder)


class Vault:
    def __init__(self, key: bytes, path: Path | None = None) -> None:
        self._aead = AESGCM(key)
        self.path = path

    @classmethod
    def from_file(cls, path: Path, *, create: bool = True) -> Vault:
        """The vault of ``path``; a missing file is created only when ``create`` is true."""
        try:
            if not path.exists():
                if not create:
                    raise VaultError(
                        f"secret file {path} does not exist, but this database's keys were "
                        "sealed with one: restore it, or pass the right one with --secret-file"
                    )
                _create(path)
            if not path.is_file():
                raise VaultError(f"secret file {path} is not a file")
            status = path.stat()
            if os.name == "posix" and status.st_mode & 0o077:
                raise VaultError(
                    f"secret file {path} can be read by other users; run: chmod 600 {path}"
                )
            if os.name == "posix" and status.st_uid != os.geteuid():
                raise VaultError(f"secret file {path} belongs to another user")
            key = base64.b64decode(path.read_bytes().strip(), validate=True)
        except OSError as exc:
            raise VaultError(f"cannot use secret file {path}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise VaultError(f"secret file {path} is damaged: {exc}") from exc
        if len(key) != 32:
            raise VaultError(f"secret file {path} is damaged: it must hold a 32-byte key")
        return cls(key, path)

    def seal(self, plain: bytes, purpose: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE)
        return _VERSION + nonce + self._aead.encrypt(nonce, plain, purpose.encode())

    def open(self, sealed: bytes, purpose: str) -> bytes:
        if not sealed.startswith(_VERSION) or len(sealed) < len(_VERSION) + _NONCE + 16:
            raise VaultError("a stored secret is damaged or in an unknown format")
        nonce, body = sealed[2 : 2 + _NONCE], sealed[2 + _NONCE :]
        try:
            return self._aead.decrypt(nonce, body, purpose.encode())
        except InvalidTag:
            where = f" {self.path}" if self.path else ""
            raise VaultError(
                f"the secret file{where} does not open the keys in this database; every "
                "process of one server needs the same secret file"
            ) from None
