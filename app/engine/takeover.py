"""The engine's operations on the reserve code: checking it again behind the current
license, and its takeover (domain.md sections 4 and 6), retried as the rules say.

A part of :class:`~app.engine.engine.Engine` (it inherits these), kept in a module of its
own for size; it works on the engine's state only through ``_apply``, like the rest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.client.api import ApiError
from app.client.state import Reserve, ReserveStatus
from app.engine import account, outcomes, rules
from app.engine.effects import Activated, MissingReserve
from app.engine.jobs import Outcome
from app.engine.vocabulary import Busy, Notice, Timing
from app.failures import Failure

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.engine.clock import Clock
    from app.engine.effects import DeviceIO
    from app.engine.runner import Runner
    from app.engine.schedule import Schedule

log = logging.getLogger("standby.license")


class Takeover:
    if TYPE_CHECKING:  # what it uses of the engine
        _device: rules.Device | None
        _run: Runner
        _io: DeviceIO
        _schedule: Schedule
        _clock: Clock
        timing: Timing
        notice: SignalInstance

        @property
        def _dev(self) -> rules.Device: ...

        def _apply(self, step: rules.Step) -> bool: ...

        def _install(self, activated: Activated) -> bool: ...

        def _note_reachability(self, exc: ApiError | None) -> None: ...

        def _start_sync(self) -> None: ...

    def _start_recheck(self) -> None:
        device = self._dev
        if device.state.reserve is None or device.license is None:
            self._run.finish()
            return
        self._run.begin(Busy.SYNCING)
        state, token = device.state, device.license.token

        def done(outcome: Outcome[object]) -> None:
            try:
                fresh = outcome.get()
            except (ApiError, MissingReserve) as exc:
                if isinstance(exc, ApiError):
                    self._note_reachability(exc)
                failure = outcomes.failure(exc)
                self._apply(account.rechecked(self._dev, None, failure))
                self._sync_if_freed(failure)
                return
            assert fresh is None or isinstance(fresh, Reserve)
            self._apply(account.rechecked(self._dev, fresh, None))

        self._run.submit(lambda: self._io.recheck(state, token), done, yielding=self._start_recheck)

    def _start_takeover(self, *, manual: bool) -> None:
        step = rules.takeover_starts(self._dev, self._clock.now(), manual=manual)
        self._apply(rules.Step(step.device))
        if not step.effects:
            self._run.finish()  # things changed while it waited: nothing to do now
            return
        self._schedule.cancel_retry()
        self._run.begin(Busy.ACTIVATING)
        state, now = step.device.state, self._clock.now()
        self._run.submit(
            lambda: self._io.take_over(state, now),
            lambda outcome: self._taken_over(outcome, manual),
        )

    def _taken_over(self, outcome: Outcome[Activated], manual: bool) -> None:
        try:
            activated = outcome.get()
        except Exception as exc:
            if isinstance(exc, ApiError):
                self._note_reachability(exc)
            elif not isinstance(exc, MissingReserve):
                log.error("the reserve code's activation failed: %s", type(exc).__name__)
            failure = outcomes.failure(exc)
            self._apply(rules.reserve_failed(self._dev, failure, manual=manual, timing=self.timing))
            self._sync_if_freed(failure)
            return
        self._note_reachability(None)
        ended = self._dev.license.expires_at if self._dev.license else None
        self._install(activated)
        if ended is not None:
            late = (self._clock.now() - ended).total_seconds()
            log.info("the reserve code took over, %.3f s after the license ended", late)
        self.notice.emit(Notice.RESERVE_ACTIVATED.value)
        if activated.license.held:  # installed with no network: the server confirms it now
            self._run.later(self._start_sync)

    def _sync_if_freed(self, failure: Failure) -> None:
        """The reserve's held seat was freed from the account on the web, and with it, as a
        rule, the license still here: the server is asked about that one now."""
        if failure.seat_freed and self._dev.license is not None:
            self._run.later(self._start_sync)

    def _retry_reserve(self, manual: bool) -> None:
        reserve = self._device.state.reserve if self._device else None
        if reserve is not None and reserve.status is ReserveStatus.FAILED:
            self._run.when_idle(lambda: self._start_takeover(manual=manual), user=False)
