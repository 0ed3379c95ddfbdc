"""One device's own files and secrets: who it is, what it holds, and whom it trusts.

- Who: ``device.json`` (:mod:`app.client.identity`), and the device's key in the secret
  store. A damaged license file never makes the device another one, and a key that is gone
  is said (``device_key_missing``), never silently replaced by a new one the server would
  not take.
- What: ``license.json`` and its last good copy (:mod:`app.client.state`). A file that
  cannot be read is taken from its copy, or from nothing; either way the device then asks
  the server what it holds (``state.recovery``).
- Whom: the server's keys are pinned in the secret store (not in a file anyone can edit):
  a license is believed only when a pinned key signed it, and a key the pins lack is taken
  only from the server itself, over the configured connection. Offline, a license signed
  by a key the device does not know is refused. ``server-keys.json`` is a copy of the pins
  that lets a start show the license before the keyring answers (:mod:`.loading`).

Every method may block (files, the keyring): the engine calls them on its worker.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.client.api import ApiError
from app.client.identity import Identity, IdentityFile
from app.client.secrets import SecretStore, SecretStoreError, open_secret_store
from app.client.state import DeviceState, StateFile
from app.client.tokens import InvalidLicense, License, key_id, key_ids, verify_license
from app.device_proof import DeviceKey
from app.domain.errors import ErrorCode
from app.engine.keyring_wait import Patience, PatientStore
from app.engine.vocabulary import KEY_MISSING
from app.failures import Failure

log = logging.getLogger("standby.license")

#: The secret store entry that holds the reserve code of a device.
RESERVE_SECRET = "reserve-code/{device_id}"  # noqa: S105 (a name, not a secret)
#: The secret store entry that holds the private half of a device's key (domain.md section 8).
DEVICE_KEY_SECRET = "device-key/{device_id}"  # noqa: S105 (a name, not a secret)
#: The secret store entry that holds the server keys a device trusts (a JWKS).
SERVER_KEYS_SECRET = "server-keys/{device_id}"  # noqa: S105 (a name, not a secret)
#: The keyring service the app's secrets are filed under (entries carry the device id).
KEYRING_SERVICE = "Standby"
#: Where codes go when no keyring is usable: a private file in the data directory.
SECRETS_FALLBACK_FILE = "secrets.json"

Verify = Callable[[str, str], License]
FetchKeys = Callable[[], dict[str, Any]]


def secret_store_opener(data_dir: Path) -> Callable[[], SecretStore]:
    """How the engine of ``data_dir`` opens its secret store (when it first needs it)."""

    def open_store() -> SecretStore:
        return open_secret_store(KEYRING_SERVICE, data_dir / SECRETS_FALLBACK_FILE)

    return open_store


def key_missing_error() -> ApiError:
    return ApiError(
        Failure(
            ErrorCode.DEVICE_NOT_PROVEN,
            KEY_MISSING,
            message="This device's key is missing from the secret store, so the activation "
            "server cannot tell this device from another one.",
        )
    )


class Unverifiable(Exception):
    """No keys to check a license with: none pinned yet, and none may be fetched now."""


class MissingReserve(Exception):
    """The reserve code is not in the secret store (any more)."""


class AccountReserveGone(MissingReserve):
    """The account's reserve would need its code (its hold is gone), and that code is kept
    in the account on the web, never on the device."""


class LocalDevice:
    """The files and secrets of the device in ``data_dir``."""

    def __init__(
        self,
        data_dir: Path,
        open_store: Callable[[], SecretStore],
        patience: Patience | None = None,
    ) -> None:
        self.identity_file = IdentityFile(data_dir)
        self.file = StateFile(data_dir)
        self._open_store = open_store
        self.patience = patience or Patience()
        self.store: SecretStore | None = None
        self._store_opened = False
        self.identity: Identity | None = None
        self._key: DeviceKey | None = None
        self._pins: dict[str, Any] | None = None
        self._pins_read = False
        self.upgrading = False  # a device from before device.json, met at this start
        self._lock = threading.RLock()

    @property
    def device_id(self) -> str:
        if self.identity is None:
            raise RuntimeError("the device is not loaded yet")
        return self.identity.device_id

    # --- the secret store ------------------------------------------------------------------

    @property
    def store_asked(self) -> bool:
        """True once the secret store was needed (and so asked for)."""
        return self._store_opened

    def open_store(self) -> SecretStore:
        """The secret store, opened the first time it is needed (the keyring may ask the
        user something then). Raises SecretStoreError when it cannot be had."""
        with self._lock:
            if self.store is None:
                self._store_opened = True
                self.store = PatientStore(self.patience(self._open_store), self.patience)
            return self.store

    def reserve_code(self, device_id: str) -> str:
        code = self.open_store().get(RESERVE_SECRET.format(device_id=device_id))
        if code is None:
            raise MissingReserve
        return code

    def keep_reserve_code(self, device_id: str, code: str) -> None:
        self.open_store().set(RESERVE_SECRET.format(device_id=device_id), code)

    def forget_reserve_code(self, device_id: str) -> None:
        self.open_store().delete(RESERVE_SECRET.format(device_id=device_id))

    # --- the device's key --------------------------------------------------------------------

    def device_key(self) -> DeviceKey:
        """The key this device signs its calls with: made at its first call and kept in the
        secret store from then on. Raises SecretStoreError when the store cannot be had,
        and ``device_not_proven`` (reason ``key_missing``) when the key made once is gone."""
        with self._lock:
            if self._key is None:
                self._key = self._load_key()
            return self._key

    def _load_key(self) -> DeviceKey:
        identity = self.identity
        if identity is None:
            raise RuntimeError("the device is not loaded yet")
        key = self._stored_key()
        if key is not None:
            return key
        if identity.key_made:
            # A new key could not act for the device: the server knows the old one. Said
            # (the problem device_key_missing), never papered over.
            log.info("the device's key is missing from %s", self.open_store().location)
            raise key_missing_error()
        key = DeviceKey.generate()
        self.open_store().set(DEVICE_KEY_SECRET.format(device_id=identity.device_id), key.secret)
        self.identity = identity.with_key()
        try:
            self.identity_file.save(self.identity)
        except OSError as exc:
            log.warning("%s could not be written: %s", self.identity_file.path.name, exc)
        return key

    def _stored_key(self) -> DeviceKey | None:
        """The device's key as the secret store keeps it; None when it keeps none, or one
        this app did not write."""
        secret = self.open_store().get(DEVICE_KEY_SECRET.format(device_id=self.device_id))
        if secret is None:
            return None
        try:
            return DeviceKey.from_secret(secret)
        except ValueError:
            log.error("the device's key in the secret store is damaged")
            return None

    def key_missing(self) -> bool:
        """The key was made once and the secret store no longer has it (False when the
        store cannot be asked: that is another trouble, said elsewhere). A key found is
        kept for the calls to come."""
        if self.identity is None or not self.identity.key_made:
            return False
        try:
            self.device_key()
        except SecretStoreError:
            return False
        except ApiError:  # key_missing_error: never a new key for a device that made one
            return True
        return False

    # --- the server's keys -------------------------------------------------------------------

    def pins(self) -> dict[str, Any] | None:
        """The server keys this device trusts (a JWKS), or None before it has seen any."""
        with self._lock:
            if not self._pins_read:
                raw = self.open_store().get(SERVER_KEYS_SECRET.format(device_id=self.device_id))
                self._pins = _jwks(raw)
                self._pins_read = True
            return self._pins

    def pin(self, jwks: dict[str, Any]) -> None:
        """Trust ``jwks`` from now on (what the server itself published); its copy in the
        data folder follows."""
        with self._lock:
            name = SERVER_KEYS_SECRET.format(device_id=self.device_id)
            self.open_store().set(name, json.dumps(jwks, separators=(",", ":")))
            self._pins, self._pins_read = jwks, True
            self.copy_keys(jwks)

    def copy_pins(self) -> None:
        """The copy in the data folder made the pins again, if they have been read."""
        with self._lock:
            if self._pins is not None:
                self.copy_keys(self._pins)

    def copy_keys(self, jwks: dict[str, Any]) -> None:
        if self.file.cached_keys() == jwks:
            return
        try:
            self.file.cache_keys(jwks)
        except OSError as exc:
            log.warning("the copy of the server keys could not be written: %s", exc)

    def verify(self, token: str, device_id: str, fetch: FetchKeys | None) -> License:
        """``token`` as a license of ``device_id``, if a key the device trusts signed it.

        A key the pins lack is looked for on the server (``fetch``), whose keys are then
        pinned. InvalidLicense when it does not verify, or when its key is unknown and the
        server cannot be asked (once the device trusts some keys); ApiError when there are
        no pins yet and the server cannot be asked; Unverifiable with neither pins nor
        ``fetch``."""
        pins = self.pins()
        if fetch is None or (pins is not None and key_id(token) in key_ids(pins)):
            return trusted(token, pins, device_id)
        try:
            fresh = fetch()
        except ApiError:
            if pins is not None:
                raise InvalidLicense(
                    "the license was signed by a key this device does not trust"
                ) from None
            raise
        if fresh != pins:
            self.pin(fresh)
        return verify_license(token, fresh, device_id)

    # --- reading and loading -----------------------------------------------------------------

    def save(self, state: DeviceState) -> None:
        """Keep ``state`` (and its copy). Raises OSError when it cannot be written."""
        self.file.save(state)


def trusted(token: str, keys: dict[str, Any] | None, device_id: str) -> License:
    """``token`` as a license of ``device_id``, if one of ``keys`` (the keys the device
    trusts) signed it: Unverifiable with no keys, InvalidLicense otherwise."""
    if keys is None:
        raise Unverifiable("no server keys are known yet")
    if key_id(token) not in key_ids(keys):
        raise InvalidLicense("the license was signed by a key this device does not trust")
    return verify_license(token, keys, device_id)


def _jwks(raw: str | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        log.error("the pinned server keys are damaged: they are taken from the server again")
        return None
    return data if isinstance(data, dict) and isinstance(data.get("keys"), list) else None
