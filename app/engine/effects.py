"""The engine's blocking work: the server, the secret store and the device's files.

Every method here runs on the engine's worker thread, never on the thread of a window; each
returns a plain value (or raises) and changes nothing the engine holds, so the engine
applies the result on its own thread, through :mod:`app.engine.rules`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app import protocol
from app.client.api import ActivationApi, ApiError, Unreachable, reserve_request
from app.client.secrets import SecretStore
from app.client.state import DamagedState, DeviceState, Reserve, StateFile, new_device_id
from app.client.tokens import InvalidLicense, License, verify_license
from app.device_proof import DeviceKey
from app.domain.errors import ErrorCode
from app.engine import rules
from app.engine.jobs import Cancel
from app.engine.keyring_wait import Patience, PatientStore

log = logging.getLogger("standby.license")

#: The secret store entry that holds the reserve code of a device.
RESERVE_SECRET = "reserve-code/{device_id}"  # noqa: S105 (a name, not a secret)
#: The secret store entry that holds the private half of a device's key (domain.md section 8).
DEVICE_KEY_SECRET = "device-key/{device_id}"  # noqa: S105 (a name, not a secret)
#: The keyring service the app's secrets are filed under (entries carry the device id).
KEYRING_SERVICE = "Standby"
#: Where codes go when no keyring is usable: a private file in the data directory.
SECRETS_FALLBACK_FILE = "secrets.json"


def secret_store_opener(data_dir: Path) -> Callable[[], SecretStore]:
    """How the engine of ``data_dir`` opens its secret store (when it first needs it)."""

    def open_store() -> SecretStore:
        from app.client.secrets import open_secret_store

        return open_secret_store(KEYRING_SERVICE, data_dir / SECRETS_FALLBACK_FILE)

    return open_store


@dataclass(frozen=True)
class Loaded:
    state: DeviceState
    license: License | None
    rejected: bool  # a saved license failed its signature check and was dropped
    damaged: bool  # the state file could not be read and was set aside


@dataclass(frozen=True)
class Activated:
    license: License
    blocked: bool
    devices_used: int | None
    created: bool  # a new seat was taken (one to give back if the user cancelled)
    was_reserve: bool


@dataclass(frozen=True)
class Reserved:
    reserve: Reserve
    previous: str | None = None  # the reserve code it replaced in the store, if any
    previous_hold: str | None = None  # the license held for the reserve it replaced: to free


class MissingReserve(Exception):
    """The reserve code is not in the secret store (any more)."""


def reserve_secret(device_id: str) -> str:
    return RESERVE_SECRET.format(device_id=device_id)


def reserve_from(answer: protocol.ReserveCheck) -> Reserve:
    """The reserve as the server described it when it accepted it."""
    if (
        answer.code_last5 is None
        or answer.type is None
        or answer.term_seconds is None
        or answer.max_devices is None
        or answer.expires_at is None
        or answer.takes_over_at is None
    ):
        raise ApiError(
            None,
            "the activation server accepted the reserve without describing it",
            unreachable=Unreachable.NOT_STANDBY,
        )
    return Reserve(
        last5=answer.code_last5,
        type=answer.type.value,
        term_seconds=answer.term_seconds,
        max_devices=answer.max_devices,
        expires_at=answer.expires_at,
        takes_over_at=answer.takes_over_at,
        saved_at=datetime.now(UTC),
        license_token=answer.license,
    )


class DeviceIO:
    """One device's server, secret store and files, as blocking calls."""

    def __init__(
        self,
        data_dir: Path,
        api: ActivationApi,
        open_store: Callable[[], SecretStore],
        app_version: str,
    ) -> None:
        self.api = api
        api.device_key = self.device_key  # every call it makes for the device is signed
        self.app_version = app_version
        self.file = StateFile(data_dir)
        self._open_store = open_store
        self.store: SecretStore | None = None
        self._store_opened = False
        self._device_id: str | None = None
        self._key: DeviceKey | None = None
        self._key_lock = threading.Lock()
        self.patience = Patience()  # the engine listens to it: "waiting for the keyring"

    # --- the secret store ------------------------------------------------------------------

    @property
    def store_asked(self) -> bool:
        """True once the secret store was needed (and so asked for)."""
        return self._store_opened

    def open_store(self) -> SecretStore:
        """The secret store, opened the first time a code is needed (the keyring may ask
        the user something then). Raises SecretStoreError when it cannot be had."""
        if self.store is None:
            self._store_opened = True
            self.store = PatientStore(self.patience(self._open_store), self.patience)
        return self.store

    def reserve_code(self, state: DeviceState) -> str:
        code = self.open_store().get(reserve_secret(state.device_id))
        if code is None:
            raise MissingReserve
        return code

    def forget_reserve_code(self, device_id: str) -> None:
        self.open_store().delete(reserve_secret(device_id))

    def device_key(self) -> DeviceKey:
        """The key this device signs its calls with: made at its first call and kept in the
        secret store from then on. Raises SecretStoreError when the store cannot be had."""
        with self._key_lock:
            if self._key is None:
                if self._device_id is None:
                    raise RuntimeError("the device is not loaded yet")
                self._key = self._load_key(self._device_id)
            return self._key

    def _load_key(self, device_id: str) -> DeviceKey:
        store = self.open_store()
        name = DEVICE_KEY_SECRET.format(device_id=device_id)
        secret = store.get(name)
        if secret is not None:
            try:
                return DeviceKey.from_secret(secret)
            except ValueError:
                # Not a key this app wrote: a new one cannot act for a device that
                # registered the old one, and the server will say so.
                log.error("the device's key in the secret store is damaged; making a new one")
        key = DeviceKey.generate()
        store.set(name, key.secret)
        return key

    # --- files -----------------------------------------------------------------------------

    def load(self) -> Loaded:
        damaged = False
        try:
            state = self.file.load()
        except DamagedState as exc:
            log.error("%s; set aside, starting with no license", exc)
            self.file.set_aside()
            state, damaged = None, True
        if state is None:
            state = DeviceState(device_id=new_device_id())
            self.file.save(state)
        self._device_id = state.device_id
        lic, rejected = None, False
        if state.license_token:
            try:
                lic = self.verify(state.license_token, state.device_id)
            except InvalidLicense as exc:
                log.warning("saved license rejected: %s", exc)
                state, rejected = state.with_(license_token=None, blocked=False), True
                self.file.save(state)
            except ApiError as exc:
                # The keys are not cached and the server is away: keep the token, check later.
                log.warning("saved license not checked yet: %s", exc.message)
        return Loaded(rules.loaded(state), lic, rejected, damaged)

    def verify(self, token: str, device_id: str) -> License:
        """Verify against the cached keys; fetch the server's keys once when they lack it."""
        keys = self.file.load_keys()
        if keys is not None:
            try:
                return verify_license(token, keys, device_id)
            except InvalidLicense:
                pass  # perhaps a key the server rotated in since: fetch and try once more
        fresh = self.api.keys()
        if fresh != keys:
            self.file.save_keys(fresh)
        return verify_license(token, fresh, device_id)

    # --- the server --------------------------------------------------------------------------

    def activate(self, code: str, device_id: str, *, was_reserve: bool) -> Activated:
        answer = self.api.activate(code, device_id, self.app_version)
        return self._activated(answer, device_id, was_reserve=was_reserve)

    def _activated(
        self, answer: protocol.Activation, device_id: str, *, was_reserve: bool
    ) -> Activated:
        try:
            lic = self.verify(answer.license, device_id)
        except InvalidLicense:
            if answer.created:
                self.free_quietly(answer.license)  # a seat we cannot use must not stay taken
            raise
        return Activated(
            lic,
            blocked=answer.blocked,
            devices_used=answer.devices_used,
            created=answer.created,
            was_reserve=was_reserve,
        )

    def free_quietly(self, token: str) -> None:
        try:
            self.api.deactivate(token)
        except ApiError as exc:
            log.warning("a seat could not be freed: %s", exc.message)

    def save(
        self, code: str, state: DeviceState, current_token: str | None, cancel: Cancel
    ) -> Activated | Reserved | None:
        """Save activation code: kept as the reserve behind ``current_token`` if the server
        agrees, else activated now. None: cancelled (nothing kept)."""
        reserve_code = self.reserve_code(state) if state.reserve is not None else None
        if current_token is not None:
            # With a reserve saved, the new code may replace it (the dialog says so): the
            # server checks it in full, and only an accepted code takes its place.
            answer = self._hold(code, state, current_token, reserve_code)
            if answer.action == "reserve":
                held = answer.license
                if held is not None:
                    try:
                        self.verify(held, state.device_id)
                    except InvalidLicense:
                        self.free_quietly(held)
                        raise
                if cancel.is_set:
                    if held is not None:
                        self.free_quietly(held)
                    return None
                self.open_store().set(reserve_secret(state.device_id), code)
                previous_hold = state.reserve.license_token if state.reserve else None
                return Reserved(reserve_from(answer), reserve_code, previous_hold)
        if cancel.is_set:
            return None
        activated = self.activate(code, state.device_id, was_reserve=reserve_code == code)
        if cancel.is_set:
            if activated.created:
                self.free_quietly(activated.license.token)
            return None
        return activated

    def _hold(
        self, code: str, state: DeviceState, current_token: str, reserve_code: str | None
    ) -> protocol.ReserveCheck:
        """Save as the reserve with its seat held and its license signed ahead; from a
        server that holds no seats (older), the reserve check alone: it takes over online."""
        request = reserve_request(
            code,
            state.device_id,
            self.app_version,
            current_token,
            reserve_code,
            replace_reserve=reserve_code is not None,
        )
        try:
            return self.api.hold(request)
        except ApiError as exc:
            if exc.code is not ErrorCode.NOT_FOUND or exc.reason is not None:
                raise
        return self.api.check_reserve(request)

    def undo_save(self, result: Activated | Reserved | None, device_id: str) -> None:
        """The save finished after the user cancelled it: give back what it took."""
        if isinstance(result, Activated) and result.created:
            self.free_quietly(result.license.token)
        elif isinstance(result, Reserved) and result.reserve.license_token is not None:
            self.free_quietly(result.reserve.license_token)
        if isinstance(result, Reserved) and self.store is not None:
            secret = reserve_secret(device_id)
            if result.previous is None:
                self.store.delete(secret)
            else:
                self.store.set(secret, result.previous)  # the replaced reserve comes back

    def recheck(self, state: DeviceState, token: str) -> Reserve | None:
        """Does the reserve still follow the license ``token``? Its new moments (and, when
        held, its license signed again), or None when the server would activate it at once."""
        reserve = state.reserve
        if reserve is not None and reserve.license_token is not None:
            answer = self.api.renew_hold(reserve.license_token, token, self.app_version)
            if answer.license is not None:
                self.verify(answer.license, state.device_id)
            return reserve_from(answer)
        code = self.reserve_code(state)
        request = reserve_request(code, state.device_id, self.app_version, token, None)
        answer = self.api.check_reserve(request)
        return reserve_from(answer) if answer.action == "reserve" else None

    def take_over(self, state: DeviceState, now: datetime) -> Activated:
        """The reserve becomes the license. Held: its license signed ahead is installed with
        no network once it has started (the next sync confirms it), or started now through
        the server (Activate now, the license removed or lost). Otherwise, and when the
        hold is gone, the code is activated online."""
        reserve = state.reserve
        if reserve is not None and reserve.license_token is not None:
            held = self.verify(reserve.license_token, state.device_id)  # the cached keys
            if held.starts_at <= now:
                return Activated(
                    held, blocked=False, devices_used=None, created=False, was_reserve=True
                )
            try:
                answer = self.api.start_hold(reserve.license_token)
            except ApiError as exc:
                if exc.code is not ErrorCode.NOT_FOUND:
                    raise
                log.info("the seat held for the reserve is gone: activating the code online")
            else:
                return self._activated(answer, state.device_id, was_reserve=True)
        return self.activate(self.reserve_code(state), state.device_id, was_reserve=True)

    def release(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """Free the seats of ``tokens``, in order, until the server cannot be asked; the
        ones it freed (or never knew)."""
        freed: list[str] = []
        for token in tokens:
            try:
                self.api.deactivate(token)
            except ApiError as exc:
                if exc.transient:
                    break
                if exc.code is not ErrorCode.UNAUTHORIZED:
                    log.warning("a seat could not be freed: %s", exc.message)
            freed.append(token)
        return tuple(freed)

    def deactivate(self, token: str) -> None:
        try:
            self.api.deactivate(token)
        except ApiError as exc:
            if exc.code is not ErrorCode.UNAUTHORIZED:
                raise  # "unauthorized": the server does not know it, nothing to free

    def sync(self, state: DeviceState) -> tuple[rules.Status | None, License | None]:
        if not state.license_token:
            self.api.health()
            return None, None
        answer = self.api.status(state.license_token)
        status = rules.Status(
            seat=answer.seat and answer.license is not None,
            blocked=bool(answer.blocked),
            devices_used=answer.devices_used,
            account=answer.account,
            server_time=answer.checked_at,
        )
        if answer.license is None or not status.seat:
            return status, None
        return status, self.verify(answer.license, state.device_id)

    def sign_in(self, email: str, password: str, device_id: str) -> str:
        return self.api.sign_in(email, password, device_id)
