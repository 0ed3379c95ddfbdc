"""``standby license show`` when no Standby runs: read from the data folder, write nothing.

It neither takes the folder nor starts an engine or a server: it reads who the device is
and what it holds, checks the licenses against the keys pinned in the secret store, and
says what the engine would say at this moment. A held reserve whose start has come is the
license in force (the engine installs it with no network at that instant, and the server
confirms it at the next sync), never "expired". So a script that watches a device sees the
truth, fast, and changes nothing by looking.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from app.client.identity import DEVICE_FILE
from app.client.secrets import SecretStoreError
from app.client.state import STATE_FILE
from app.client.tokens import InvalidLicense, License
from app.domain.license import LicenseState
from app.engine.account import device_name
from app.engine.clock import SET_BACK_LIMIT
from app.engine.keyring_wait import Patience
from app.engine.loading import believe, examine
from app.engine.local import LocalDevice, Unverifiable, Verify, secret_store_opener, trusted
from app.engine.steps import Device
from app.engine.vocabulary import Problem, Snapshot, problem_of

#: How long ``show`` waits for the keyring (a locked one prompts): it must answer quickly.
KEYRING_WAIT = 2.0


@dataclass(frozen=True)
class Shown:
    snapshot: Snapshot
    #: The held reserve's license is the one in force: its start has come and the engine
    #: has not run since (the server confirms it at the next sync).
    took_over: bool = False
    #: Why the secret store could not be asked: the licenses were checked against the copy
    #: of the server keys only.
    unchecked: str | None = None


def show(data_dir: Path, now: datetime) -> Shown:
    """What the device in ``data_dir`` holds at ``now``, as the engine would say it."""
    if not (data_dir / DEVICE_FILE).exists() and not (data_dir / STATE_FILE).exists():
        return Shown(_snapshot(None, None, LicenseState.NONE, None, now))  # no device here yet
    patience = Patience()
    patience.limit = lambda: KEYRING_WAIT
    local = LocalDevice(data_dir, secret_store_opener(data_dir), patience)
    examined = examine(local)
    local.identity = examined.identity
    unchecked = None
    try:
        keys = local.pins()
    except SecretStoreError as exc:  # as the engine does then: the copy of the keys vouches
        keys, unchecked = local.file.cached_keys(), str(exc)
    if keys is None and not examined.identity_saved:
        keys = local.file.cached_keys()  # a device from before pinning: as the engine takes it

    def verify(token: str, device_id: str) -> License:
        return trusted(token, keys, device_id)

    state, lic, _rejected = believe(examined.state, verify)
    key_missing = unchecked is None and local.key_missing()
    judged = max(now, state.latest_seen) if state.latest_seen else now
    set_back = state.latest_seen is not None and now < state.latest_seen - SET_BACK_LIMIT
    device = Device(state, lic)
    held = _held_in_force(device, judged, verify)
    if held is not None:
        device = Device(state.with_(reserve=None, blocked=False, devices_used=None), held)
    problem = problem_of(
        key_missing=key_missing,
        recovery=state.recovery,
        cannot_write=not _writable(data_dir),
        clock_set_back=set_back,
    )
    snapshot = _snapshot(device, problem, device.license_state(judged), state.device_id, judged)
    return Shown(snapshot, took_over=held is not None, unchecked=unchecked)


def _held_in_force(device: Device, now: datetime, verify: Verify) -> License | None:
    """The reserve's license signed ahead, once its start has come and nothing stands in
    its way (no license, or one that has ended)."""
    reserve, lic = device.state.reserve, device.license
    if reserve is None or reserve.license_token is None:
        return None
    if lic is not None and lic.expires_at > now:
        return None
    if lic is None and device.state.license_token is not None:
        return None  # a license that could not be checked: the engine would wait too
    held: License | None = None
    with contextlib.suppress(InvalidLicense, Unverifiable):
        held = verify(reserve.license_token, device.state.device_id)
    if held is None or held.starts_at > now or held.expires_at <= now:
        return None
    return replace(held, held=False)


def _writable(data_dir: Path) -> bool:
    """Could the engine keep what changes? (Asked of the system: nothing is written.)"""
    state = data_dir / STATE_FILE
    if state.exists() and not os.access(state, os.W_OK):
        return False
    return os.access(data_dir, os.W_OK | os.X_OK)


def _snapshot(
    device: Device | None,
    problem: Problem | None,
    state: LicenseState,
    device_id: str | None,
    now: datetime,
) -> Snapshot:
    saved = device.state if device is not None else None
    return Snapshot(
        loaded=True,
        device_id=device_id,
        license=device.license if device is not None else None,
        state=state,
        blocked=bool(saved and saved.blocked),
        devices_used=saved.devices_used if saved else None,
        reserve=saved.reserve if saved else None,
        account_email=saved.account_email if saved else None,
        checked_at=saved.checked_at if saved else None,
        unreachable=None,
        server_address="",
        busy=None,
        secrets_secure=None,
        secrets_location=None,
        now=now,
        problem=problem,
        recovery=saved.recovery if saved else None,
        device_name=device_name(saved) if saved else None,
    )
