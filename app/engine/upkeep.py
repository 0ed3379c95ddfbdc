"""The engine's operations that keep the device in step with the server: removing the
license or the reserve, giving back seats, the status sync and signing in.

A part of :class:`~app.engine.engine.Engine` (it inherits these), kept in a module of its
own for size; it works on the engine's state only through ``_apply``, like the rest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.client.api import ApiError
from app.client.tokens import License
from app.domain.errors import ErrorCode
from app.engine import outcomes, rules
from app.engine.jobs import Outcome
from app.engine.vocabulary import Busy

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.engine.clock import Clock
    from app.engine.effects import DeviceIO
    from app.engine.runner import Runner
    from app.engine.schedule import Schedule

log = logging.getLogger("standby.license")


class Upkeep:
    if TYPE_CHECKING:  # what it uses of the engine
        _device: rules.Device | None
        _run: Runner
        _io: DeviceIO
        _schedule: Schedule
        _clock: Clock
        _not_proven: bool
        removeFinished: SignalInstance
        signInFinished: SignalInstance

        @property
        def _dev(self) -> rules.Device: ...

        def _apply(self, step: rules.Step) -> None: ...

        def _note_reachability(self, exc: ApiError | None) -> None: ...

    # --- removing ----------------------------------------------------------------------------

    def _start_remove(self, seat_id: str | None) -> None:
        device = self._dev
        token = device.state.license_token
        if token is None or (
            seat_id is not None and (device.license is None or device.license.seat_id != seat_id)
        ):
            self.removeFinished.emit(None)  # what the user meant to remove is gone already
            self._run.finish()
            return
        self._run.begin(Busy.REMOVING)

        def done(outcome: Outcome[None]) -> None:
            try:
                outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.removeFinished.emit(outcomes.refusal(exc))
                return
            self._note_reachability(None)
            self._apply(rules.Step(rules.license_removed(self._dev)))
            self.removeFinished.emit(None)

        self._run.submit(lambda: self._io.deactivate(token), done)

    def _start_remove_reserve(self) -> None:
        self._schedule.cancel_retry()
        device_id, reserve = self._dev.state.device_id, self._dev.state.reserve
        self._apply(rules.Step(self._dev.with_reserve(None)))
        if reserve is not None and reserve.license_token is not None:
            self._release(reserve.license_token)  # its held seat
        self._run.begin(Busy.SAVING)

        def done(outcome: Outcome[None]) -> None:
            if outcome.error is not None:
                log.warning(
                    "removing the reserve code from the store failed: %s",
                    type(outcome.error).__name__,
                )

        self._run.submit(lambda: self._io.forget_reserve_code(device_id), done)

    def _release(self, token: str | None = None) -> None:
        """Give back seats this device no longer uses. Each is kept in the state until the
        server has freed it, so one given up while the server is away is freed later."""
        pending = self._dev.state.releases
        if token is not None and token not in pending:
            pending = (*pending, token)
            self._apply(rules.Step(self._dev.with_state(releases=pending)))
        if pending:

            def then(freed: object) -> None:
                if self._device is None or not isinstance(freed, tuple):
                    return
                if freed:
                    left = tuple(t for t in self._device.state.releases if t not in freed)
                    self._apply(rules.Step(self._device.with_state(releases=left)))
                if len(freed) < len(pending):  # the server is away: sync (and free) later
                    self._schedule.sync_soon()

            self._run.background(lambda: self._io.release(pending), "freeing seats", then)

    # --- status sync ------------------------------------------------------------------------

    def _start_sync(self) -> None:
        state = self._dev.state
        self._schedule.sync_later()
        self._run.begin(Busy.SYNCING)
        self._run.submit(lambda: self._io.sync(state), self._synced, yielding=self._start_sync)

    def _synced(self, outcome: Outcome[tuple[rules.Status | None, License | None]]) -> None:
        try:
            status, fresh = outcome.get()
        except ApiError as exc:
            self._note_reachability(exc)
            if not exc.transient:
                log.warning("status sync refused: %s", exc.message)
                self._not_proven = exc.code is ErrorCode.DEVICE_NOT_PROVEN
            return
        except Exception as exc:
            log.error("status sync failed: %s", type(exc).__name__)
            self._schedule.sync_soon()
            return
        self._note_reachability(None)
        self._not_proven = False
        self._schedule.sync_answered()
        if status is not None:
            self._clock.seen(status.server_time)
        self._apply(rules.synced(self._dev, status, fresh, self._clock.now()))
        self._release()  # what the server could not free while it was away
        reserve = self._dev.state.reserve
        if reserve is not None and reserve.failure_transient:
            self._schedule.retry_now_if_waiting()  # the server answers again: retry now

    # --- accounts -----------------------------------------------------------------------------

    def _start_sign_in(self, email: str, password: str) -> None:
        device_id = self._dev.state.device_id
        self._run.begin(Busy.SIGNING_IN)

        def done(outcome: Outcome[str]) -> None:
            try:
                signed_in = outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.signInFinished.emit(outcomes.refusal(exc))
                return
            self._note_reachability(None)
            self._apply(rules.signed_in(self._dev, signed_in))
            self.signInFinished.emit(None)

        self._run.submit(lambda: self._io.sign_in(email, password, device_id), done)
