"""Reading a device's data folder at start: who it is, what it holds, and what of that is
believed (:class:`~app.engine.local.LocalDevice` gives the files and secrets).

In two steps, so a start never waits for the keyring: :func:`load` reads the files and
checks the license against the copy of the server keys, with no secret store and no
server; :func:`confirm`, the engine's first operation, checks against the keys pinned in
the secret store (or the server's), and says whether the device's key is still there.
``standby license show`` uses :func:`examine` and :func:`believe`, which write nothing.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from app.client.api import ApiError
from app.client.identity import Identity
from app.client.secrets import SecretStoreError
from app.client.state import DeviceState, Recovery
from app.client.tokens import InvalidLicense, License, verify_license
from app.engine.local import (
    DEVICE_KEY_SECRET,
    FetchKeys,
    LocalDevice,
    Unverifiable,
    Verify,
)

log = logging.getLogger("standby.license")


@dataclass(frozen=True)
class Examined:
    """What the data directory says, before anything is checked or written."""

    identity: Identity
    identity_saved: bool  # device.json (or its copy) said it; else it is to be written
    state: DeviceState  # with ``recovery`` set when it was damaged
    read: DeviceState | None  # the state as read, to tell whether it must be written again
    damaged: bool  # license.json could not be read


@dataclass(frozen=True)
class Loaded:
    """What the files say, checked against the copy of the server keys only."""

    state: DeviceState
    license: License | None  # None too when the copy of the keys could not vouch for it
    damaged: bool  # license.json could not be read: taken from its copy, or from nothing
    unwritable: OSError | None  # what stopped a write just now, if one failed


@dataclass(frozen=True)
class Confirmed:
    """What the files say, checked against the keys pinned in the secret store."""

    state: DeviceState
    license: License | None
    rejected: bool  # a saved license failed the check: not believed
    key_missing: bool  # the device's key is not in the secret store


def examine(local: LocalDevice) -> Examined:
    """Who the device is and what it holds, as its files say. Writes nothing."""
    identity = local.identity_file.read()
    read = local.file.read()
    state, recovery = read.state, None
    if read.damaged:
        recovery = Recovery.COPY if state is not None else Recovery.LOST
    saved = identity is not None
    if identity is None:
        if state is not None:  # a device from before device.json, or that lost it
            identity = Identity(state.device_id, datetime.now(UTC), key_made=None)
        else:
            if read.damaged:
                log.error("nothing readable says which device this is: it starts anew")
            identity, recovery = Identity.new(), None
    elif state is not None and state.device_id != identity.device_id:
        log.error("%s belongs to another device: not used", local.file.path.name)
        state, recovery = None, Recovery.LOST
    current = state or DeviceState(identity.device_id)
    if recovery is not None:
        current = current.with_(recovery=recovery)
    return Examined(identity, saved, current, read.state, read.damaged)


def believe(state: DeviceState, verify: Verify) -> tuple[DeviceState, License | None, bool]:
    """The saved license (and the reserve's, signed ahead) checked with ``verify``: one
    that does not verify is dropped and the device waits for the server's word on what
    it holds (``Recovery.REJECTED``); one that cannot be checked yet is kept, unused.
    The state, the license, and whether one was rejected."""
    lic, rejected = None, False
    if state.license_token:
        try:
            lic = verify(state.license_token, state.device_id)
        except InvalidLicense as exc:
            log.warning("saved license rejected: %s", exc)
            state, rejected = state.with_(license_token=None, blocked=False), True
        except (ApiError, SecretStoreError, Unverifiable) as exc:
            log.warning("saved license not checked yet: %s", exc)
    reserve = state.reserve
    if reserve is not None and reserve.license_token is not None:
        try:
            verify(reserve.license_token, state.device_id)
        except InvalidLicense as exc:
            log.warning("the reserve's saved license rejected: %s", exc)
            state, rejected = state.with_(reserve=replace(reserve, license_token=None)), True
        except (ApiError, SecretStoreError, Unverifiable):
            pass  # checked when it is used
    if rejected:
        state = state.with_(recovery=Recovery.REJECTED)
    return state, lic, rejected


def load(local: LocalDevice) -> Loaded:
    """At the engine's start, without the secret store (which may keep a start waiting
    for the user) and without the server: read, check against the copy of the server
    keys, and write what must be (who the device is, a damaged file set aside). A
    license the copy cannot vouch for is kept unused until :func:`confirm`. A write that
    fails is reported, not raised: the device works on, and says it cannot keep what
    changes."""
    examined = examine(local)
    identity = local.identity = examined.identity
    local.upgrading = not examined.identity_saved and identity.key_made is None
    state, lic = examined.state, None
    cached = local.file.cached_keys()
    if state.license_token and cached is not None:
        # What it does not vouch for, the keys pinned in the secret store decide, next.
        with contextlib.suppress(InvalidLicense):
            lic = verify_license(state.license_token, cached, state.device_id)
    unwritable: OSError | None = None
    writes: list[Callable[[], object]] = []
    if not examined.identity_saved:
        writes.append(lambda: local.identity_file.save(identity))
    if examined.damaged:
        log.error("%s could not be read: set aside", local.file.path.name)
        writes.append(local.file.set_aside)
    if state != examined.read:
        writes.append(lambda: local.file.save(state))
    for write in writes:
        try:
            write()
        except OSError as exc:
            log.error("the device's files could not be written: %s", exc)
            unwritable = exc
    return Loaded(state, lic, examined.damaged, unwritable)


def confirm(local: LocalDevice, state: DeviceState, fetch: FetchKeys) -> Confirmed:
    """Right after :func:`load`, with the secret store: the licenses checked against
    the pinned keys (or the server's), and whether the device's key is still there."""
    if local.upgrading:
        local.upgrading = False
        _upgrade(local)
    state, lic, rejected = believe(state, lambda t, d: local.verify(t, d, fetch))
    local.copy_pins()  # a copy edited or lost since is put right
    return Confirmed(state, lic, rejected, local.key_missing())


def _upgrade(local: LocalDevice) -> None:
    """A device from before ``device.json``: whether its key was made is read from the
    store, and the server keys it kept a copy of are pinned, once, if none are yet."""
    identity = local.identity
    assert identity is not None
    try:
        store = local.open_store()
        if store.get(DEVICE_KEY_SECRET.format(device_id=identity.device_id)) is not None:
            local.identity = identity.with_key()
            local.identity_file.save(local.identity)
        cached = local.file.cached_keys()
        if cached is not None and local.pins() is None:
            local.pin(cached)
    except (SecretStoreError, OSError) as exc:
        log.warning("the device's secrets could not be looked at: %s", exc)
