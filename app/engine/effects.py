"""The engine's blocking work: the server, the secret store and the device's files.

Every method here runs on the engine's worker thread, never on the thread of a window; each
returns a plain value (or raises) and changes nothing the engine holds, so the engine
applies the result on its own thread, through :mod:`app.engine.rules`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from app import protocol
from app.client.api import ActivationApi, ApiError, reserve_request
from app.client.secrets import SecretStore
from app.client.state import DeviceState, Reserve, ReserveSource
from app.client.tokens import InvalidLicense, License
from app.domain.errors import ErrorCode
from app.engine import account, loading, rules
from app.engine.jobs import Cancel
from app.engine.loading import Confirmed, Loaded
from app.engine.local import AccountReserveGone, LocalDevice, MissingReserve
from app.engine.restoring import RestoreAnswer, RestoredSeat
from app.failures import Failure, Unreachable

log = logging.getLogger("standby.license")

__all__ = [
    "AccountReserveGone",
    "Activated",
    "Confirmed",
    "DeviceIO",
    "Loaded",
    "MissingReserve",
    "Reserved",
]


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
            Failure(
                unreachable=Unreachable.NOT_STANDBY,
                message="the activation server accepted the reserve without describing it",
            )
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
        self.app_version = app_version
        self.local = LocalDevice(data_dir, open_store)
        self.patience = self.local.patience  # the engine listens to it: "waiting for the keyring"
        api.device_key = self.local.device_key  # every call it makes for the device is signed

    def load(self) -> Loaded:
        return loading.load(self.local)

    def confirm(self, state: DeviceState) -> Confirmed:
        return loading.confirm(self.local, state, self.api.keys)

    def verify(self, token: str, device_id: str) -> License:
        """``token`` as this device's license, signed by a key it trusts (or the server
        publishes, asked now)."""
        return self.local.verify(token, device_id, self.api.keys)

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
            log.warning("a seat could not be freed: %s", exc.failure.message)

    def save(
        self, code: str, state: DeviceState, current_token: str | None, cancel: Cancel
    ) -> Activated | Reserved | None:
        """Save activation code: kept as the reserve behind ``current_token`` if the server
        agrees, else activated now. None: cancelled (nothing kept)."""
        # The account's reserve has no code here: a new code simply takes its place.
        own = account.own_reserve(state)
        reserve_code = self.local.reserve_code(state.device_id) if own else None
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
                self.local.keep_reserve_code(state.device_id, code)
                previous_hold = self._replaced_hold(state, held)
                return Reserved(reserve_from(answer), reserve_code, previous_hold)
        if cancel.is_set:
            return None
        activated = self.activate(code, state.device_id, was_reserve=reserve_code == code)
        if cancel.is_set:
            if activated.created:
                self.free_quietly(activated.license.token)
            return None
        return activated

    def _replaced_hold(self, state: DeviceState, held: str | None) -> str | None:
        """The license held for the reserve a save replaces, to free; None when there is
        none, or when it is the same seat (the account's reserve code entered here: its
        seat is held on, now as the device's own)."""
        previous = state.reserve.license_token if state.reserve else None
        if previous is None or held is None:
            return previous
        try:
            same = self.verify(previous, state.device_id).seat_id
        except InvalidLicense:
            return previous
        return None if same == self.verify(held, state.device_id).seat_id else previous

    def _reserve_code(self, state: DeviceState) -> str:
        """The reserve's code from the secret store. The account's reserve has none here:
        AccountReserveGone (the takeover it would be needed for fails, saying why)."""
        if state.reserve is not None and state.reserve.source is ReserveSource.ACCOUNT:
            raise AccountReserveGone
        return self.local.reserve_code(state.device_id)

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
            if exc.failure.error is not ErrorCode.NOT_FOUND or exc.failure.reason is not None:
                raise
        return self.api.check_reserve(request)

    def undo_save(self, result: Activated | Reserved | None, device_id: str) -> None:
        """The save finished after the user cancelled it: give back what it took."""
        if isinstance(result, Activated) and result.created:
            self.free_quietly(result.license.token)
        elif isinstance(result, Reserved) and result.reserve.license_token is not None:
            self.free_quietly(result.reserve.license_token)
        if isinstance(result, Reserved) and self.local.store is not None:
            if result.previous is None:
                self.local.forget_reserve_code(device_id)
            else:  # the replaced reserve comes back
                self.local.keep_reserve_code(device_id, result.previous)

    def recheck(self, state: DeviceState, token: str) -> Reserve | None:
        """Does the reserve still follow the license ``token``? Its new moments (and, when
        held, its license signed again), or None when the server would activate it at once."""
        reserve = state.reserve
        if reserve is not None and reserve.license_token is not None:
            answer = self.api.renew_hold(reserve.license_token, token, self.app_version)
            if answer.license is not None:
                self.verify(answer.license, state.device_id)
            return replace(reserve_from(answer), source=reserve.source)
        code = self._reserve_code(state)
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
                if exc.failure.error is not ErrorCode.NOT_FOUND or exc.failure.seat_freed:
                    raise  # freed from the account: no seat is taken again by itself
                log.info("the seat held for the reserve is gone: activating the code online")
            else:
                return self._activated(answer, state.device_id, was_reserve=True)
        return self.activate(self._reserve_code(state), state.device_id, was_reserve=True)

    def release(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """Free the seats of ``tokens``, in order, until the server cannot be asked; the
        ones it freed (or never knew)."""
        freed: list[str] = []
        for token in tokens:
            try:
                self.api.deactivate(token)
            except ApiError as exc:
                if exc.failure.transient:
                    break
                if exc.failure.error is not ErrorCode.UNAUTHORIZED:
                    log.warning("a seat could not be freed: %s", exc.failure.message)
            freed.append(token)
        return tuple(freed)

    def deactivate(self, token: str) -> None:
        try:
            self.api.deactivate(token)
        except ApiError as exc:
            if exc.failure.error is not ErrorCode.UNAUTHORIZED:
                raise  # "unauthorized": the server does not know it, nothing to free

    def sync(self, state: DeviceState) -> tuple[rules.SyncAnswer | None, License | None]:
        """A status sync: the license as the server sees it now; the device's name when it
        changed, and what reserve it has, so the account's reserve comes when it should."""
        if not state.license_token:
            self.api.health()
            return None, None
        name = account.name_to_send(state)
        answer = self.api.status(
            state.license_token,
            device_name=name,
            reserve_seat=self._held_seat(state),
            reserve_saved=account.own_reserve(state),
        )
        status = rules.SyncAnswer(
            seat=answer.seat and answer.license is not None,
            blocked=bool(answer.blocked),
            devices_used=answer.devices_used,
            account=answer.account,
            server_time=answer.checked_at,
            reason=answer.reason,
            name_sent=name,
        )
        if answer.license is None or not status.seat:
            return status, None
        fresh = self.verify(answer.license, state.device_id)
        offered = self._account_reserve(answer, state.device_id)
        if offered is not None:
            status = replace(status, reserve=offered, replaces_reserve=answer.replaces_reserve)
        return status, fresh

    def _held_seat(self, state: DeviceState) -> str | None:
        """The seat (``lid``) of the reserve's license signed ahead, if it has one."""
        token = state.reserve.license_token if state.reserve else None
        if token is None:
            return None
        try:
            return self.verify(token, state.device_id).seat_id
        except InvalidLicense:
            return None

    def _account_reserve(self, answer: protocol.Status, device_id: str) -> Reserve | None:
        """The account's reserve the answer hands this device, its license verified; None
        with none (or one that does not verify: the server sends it again)."""
        seat = answer.reserve
        if seat is None:
            return None
        try:
            lic = self.verify(seat.license, device_id)
        except InvalidLicense as exc:
            log.error("the account's reserve does not verify: %s", exc)
            return None
        return account.reserve_of_seat(lic, seat.term_seconds, answer.checked_at)

    def sign_in(self, email: str, password: str, device_id: str, name: str | None) -> str:
        return self.api.sign_in(email, password, device_id, name)

    def restore(self, device_id: str) -> RestoreAnswer:
        """What the server keeps for this device: its seats, each license checked."""
        answer = self.api.restore(device_id, self.app_version)
        seats = []
        for seat in answer.seats:
            try:
                lic = self.verify(seat.license, device_id)
            except InvalidLicense as exc:  # not ours to use: the rest still are
                log.error("a license the server gave back does not verify: %s", exc)
                continue
            seats.append(
                RestoredSeat(lic, seat.held, seat.blocked, seat.devices_used, seat.term_seconds)
            )
        return RestoreAnswer(tuple(seats), answer.account, answer.checked_at)
