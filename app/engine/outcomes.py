"""How the effects' results and failures read in the engine's vocabulary.

The HTTP layer's exceptions stop here: views get :class:`SaveOutcome` or the
:class:`~app.failures.Failure` itself, and so do the rules.
"""

from __future__ import annotations

import logging
from datetime import datetime

from app.client.api import ApiError
from app.client.state import Reserve
from app.client.tokens import InvalidLicense
from app.domain.license import LicenseState
from app.engine import account, rules
from app.engine.effects import (
    AccountReserveGone,
    Activated,
    DeviceIO,
    MissingReserve,
    Reserved,
)
from app.engine.vocabulary import Busy, SaveOutcome, SaveResult, Snapshot, problem_of
from app.failures import Failure, Ours

log = logging.getLogger("standby.license")


def unkept(exc: OSError, *, done_on_server: bool = False) -> str:
    """Why a result could not be kept on this computer: nothing was asked of the server,
    or (``done_on_server``) the server did it and this computer could not keep it."""
    where = exc.filename or "the data folder"
    why = exc.strerror or type(exc).__name__
    if done_on_server:
        return (
            f"it was done, but {where} cannot be written ({why}): Standby keeps it while it "
            "runs and saves it once it can"
        )
    return f"{where} cannot be written ({why}); nothing was changed"


def unwritable(exc: OSError, *, done_on_server: bool = False) -> Failure:
    """A command not carried out (or not kept): see :func:`unkept`."""
    return Failure(ours=Ours.CANNOT_WRITE, message=unkept(exc, done_on_server=done_on_server))


def failure(exc: Exception) -> Failure:
    if isinstance(exc, ApiError):
        return exc.failure
    if isinstance(exc, AccountReserveGone):
        return account.gone_failure()
    if isinstance(exc, MissingReserve):
        return rules.missing_code_failure()
    return rules.local_failure(type(exc).__name__)


def save_refused(exc: Exception) -> SaveOutcome:
    if isinstance(exc, ApiError):
        return SaveOutcome(SaveResult.REFUSED, exc.failure)
    log.error("saving the code failed: %s", type(exc).__name__)
    ours = Ours.LICENSE_NOT_VERIFIED if isinstance(exc, InvalidLicense) else Ours.LOCAL_PROBLEM
    return SaveOutcome(SaveResult.REFUSED, Failure(ours=ours, message=type(exc).__name__))


def cannot_write(exc: OSError, *, done_on_server: bool = False) -> SaveOutcome:
    """A save not carried out (or not kept): see :func:`unkept`."""
    return SaveOutcome(SaveResult.REFUSED, unwritable(exc, done_on_server=done_on_server))


def saved(result: Activated | Reserved | None, replaced: Reserve | None) -> SaveOutcome:
    if result is None:
        return SaveOutcome(SaveResult.CANCELLED)
    if isinstance(result, Reserved):
        return SaveOutcome(
            SaveResult.RESERVED,
            max_devices=result.reserve.max_devices,
            takes_over_at=result.reserve.takes_over_at,
            expires_at=result.reserve.expires_at,
            replaced_last5=replaced.last5 if replaced is not None else None,
        )
    return SaveOutcome(
        SaveResult.ACTIVATED,
        max_devices=result.license.max_devices,
        expires_at=result.license.expires_at,
    )


def snapshot(
    device: rules.Device | None,
    io: DeviceIO,
    busy: Busy | None,
    unreachable: ApiError | None,
    waiting_for_keyring: bool,
    now: datetime,
    clock_set_back: bool = False,
    device_not_proven: bool = False,
    *,
    key_missing: bool = False,
    cannot_write: bool = False,
) -> Snapshot:
    state = device.state if device else None
    store = io.local.store
    recovery = state.recovery if state else None
    return Snapshot(
        loaded=state is not None,
        device_id=state.device_id if state else None,
        license=device.license if device else None,
        state=device.license_state(now) if device else LicenseState.NONE,
        blocked=bool(state and state.blocked),
        devices_used=state.devices_used if state else None,
        reserve=state.reserve if state else None,
        account_email=state.account_email if state else None,
        checked_at=state.checked_at if state else None,
        unreachable=unreachable.failure.unreachable if unreachable else None,
        server_address=io.api.address,
        busy=busy,
        secrets_secure=(store.secure if store else False) if io.local.store_asked else None,
        secrets_location=store.location if store else None,
        now=now,
        waiting_for_keyring=waiting_for_keyring,
        clock_set_back=clock_set_back,
        device_not_proven=device_not_proven,
        problem=problem_of(
            key_missing=key_missing,
            recovery=recovery,
            cannot_write=cannot_write,
            clock_set_back=clock_set_back,
        ),
        recovery=recovery,
        device_name=account.device_name(state) if state else None,
    )
