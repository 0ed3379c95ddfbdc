"""The license engine of one device: commands in, a snapshot and signals out.

The rules are :mod:`app.engine.rules` (pure); the blocking work is
:class:`~app.engine.effects.DeviceIO`, run on the worker (:class:`~app.engine.jobs.Jobs`),
one operation at a time; results are applied here, on the engine's thread, so the state
only ever changes in one place. A command given while an operation runs waits its turn
(user commands ahead of background syncs) and looks at the state again when it starts, so
it never acts on what was true when it was asked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app import __version__
from app.client.api import ActivationApi, ApiError
from app.client.secrets import SecretStore
from app.client.state import DeviceState, Reserve, ReserveStatus, new_device_id
from app.domain import codes
from app.domain.errors import ErrorCode
from app.engine import outcomes, rules
from app.engine.clock import Clock
from app.engine.effects import (
    Activated,
    DeviceIO,
    Loaded,
    MissingReserve,
    Reserved,
)
from app.engine.jobs import Cancel, Outcome
from app.engine.keyring_wait import KeyringWatch
from app.engine.runner import Runner
from app.engine.schedule import Schedule
from app.engine.upkeep import Upkeep
from app.engine.vocabulary import (
    Busy,
    Notice,
    SaveOutcome,
    SaveResult,
    Snapshot,
    Timing,
)

log = logging.getLogger("standby.license")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Engine(Upkeep, QObject):
    """Owns the device's license, its reserve code and every call to the server."""

    changed = Signal()
    notice = Signal(str)  # a Notice value
    saveFinished = Signal(object)  # SaveOutcome
    signInFinished = Signal(object)  # None, or a Refusal
    removeFinished = Signal(object)  # None, or a Refusal
    accountRequired = Signal()

    def __init__(
        self,
        data_dir: Path,
        api: ActivationApi,
        open_store: Callable[[], SecretStore],
        *,
        app_version: str = __version__,
        timing: Timing | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.app_version = app_version
        self.timing = timing or Timing()
        self.data_dir = data_dir
        self._io = DeviceIO(data_dir, api, open_store, app_version)
        self._device: rules.Device | None = None
        self._unreachable: ApiError | None = None
        self._not_proven = False  # the last status check: this device did not prove itself
        self._save_cancel: Cancel | None = None
        self._saving: Cancel | None = None  # the save running now
        self._run = Runner(
            self,
            ready=lambda: self._device is not None,
            when_free=self._evaluate,
            changed=self.changed.emit,
        )
        self._keyring = KeyringWatch(self)
        self._keyring.changed.connect(self.changed.emit)
        self._io.patience.waiting = self._keyring.asked.emit
        self._io.patience.limit = lambda: self.timing.keyring_wait
        # Section 7: the later of this computer's clock and the latest time seen.
        self._clock = Clock(lambda: utcnow())
        self._told_set_back = False
        self._schedule = Schedule(self, self.timing, self._clock.now)
        self._schedule.wake.connect(self._evaluate)
        self._schedule.retry.connect(self._retry_reserve)
        self._schedule.sync.connect(lambda: self._run.when_idle(self._start_sync, user=False))

    # --- reading ------------------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        device, busy, keyring = self._device, self._run.busy, self._keyring.waiting
        return outcomes.snapshot(
            device,
            self._io,
            busy,
            self._unreachable,
            keyring,
            self._clock.now(),
            self._clock.set_back,
            self._not_proven,
        )

    @property
    def idle(self) -> bool:
        """Loaded, nothing running and nothing waiting its turn."""
        return self._device is not None and self._run.idle

    # --- start and stop -----------------------------------------------------------------------

    def start(self, *, sync: bool = True) -> None:
        """Load the saved state on the worker, then (with ``sync``) ask the server."""
        self._run.begin(Busy.LOADING)
        self._run.submit(self._io.load, lambda outcome: self._loaded(outcome, sync))

    def shutdown(self) -> None:
        """Stop timers and ignore whatever the worker still returns."""
        self._schedule.stop()
        if self._save_cancel is not None:
            self._save_cancel.set()
        self._run.close()

    def _loaded(self, outcome: Outcome[Loaded], sync: bool) -> None:
        try:
            loaded = outcome.get()
        except Exception:
            log.exception("the saved state could not be loaded")
            self._device = rules.Device(DeviceState(device_id=new_device_id()))
            self._run.finish()
            return
        self._clock.seen(loaded.state.latest_seen)
        self._device = rules.Device(loaded.state, loaded.license)
        if loaded.rejected:
            self.notice.emit(Notice.LICENSE_REJECTED.value)
        if loaded.damaged:
            self.notice.emit(Notice.STATE_DAMAGED.value)
        if sync:
            self._run.next(self._start_sync)
        self._run.finish()

    # --- commands -----------------------------------------------------------------------------

    def save_code(self, text: str) -> None:
        """Enter activation code → Save activation code (domain.md section 3)."""
        try:
            code = codes.normalize(text)
        except codes.InvalidCodeFormat as exc:
            self.saveFinished.emit(
                SaveOutcome(SaveResult.REFUSED, ErrorCode.INVALID_FORMAT, str(exc))
            )
            return
        cancel = Cancel()
        self._save_cancel = cancel
        self._run.when_idle(lambda: self._start_save(code, cancel))

    def cancel_save(self) -> None:
        """Stop waiting for the save at once; a seat it took meanwhile is given back."""
        cancel, self._save_cancel = self._save_cancel, None
        if cancel is None or cancel.is_set:
            return
        cancel.set()
        self.saveFinished.emit(SaveOutcome(SaveResult.CANCELLED))
        if self._run.busy is Busy.SAVING and self._saving is cancel:
            self._run.abandon()  # a save that hangs does not hold up what comes next

    def remove_license(self, seat_id: str | None = None) -> None:
        """Free this device's seat; the reserve code, if any, then takes over.

        With ``seat_id`` (the license the user confirmed removing), nothing happens if a
        different license has taken its place meanwhile.
        """
        self._run.when_idle(lambda: self._start_remove(seat_id))

    def remove_reserve(self) -> None:
        self._run.when_idle(self._start_remove_reserve)

    def retry(self) -> None:
        """Try again: activate the saved reserve code now."""
        self._run.when_idle(lambda: self._start_takeover(manual=True))

    def activate_now(self) -> None:
        """Activate now: switch a blocked license to the reserve code at once."""
        self._run.when_idle(lambda: self._start_takeover(manual=True))

    def refresh(self) -> None:
        """Ask the server for the license's status now."""
        self._run.when_idle(self._start_sync)

    def sign_in(self, email: str, password: str) -> None:
        self._run.when_idle(lambda: self._start_sign_in(email, password))

    @property
    def _dev(self) -> rules.Device:
        assert self._device is not None
        return self._device

    def _apply(self, step: rules.Step) -> None:
        """Take the rules' new device state, save it if it changed, carry out the effects."""
        before = self._dev.state
        self._device = step.device
        if step.device.state != before:
            state = step.device.state.with_(latest_seen=self._clock.latest)
            self._device = replace(step.device, state=state)
            try:
                self._io.file.save(state)
            except OSError:
                log.exception("the license state could not be written")
        for effect in step.effects:
            self._carry_out(effect)

    def _carry_out(self, effect: rules.Effect) -> None:
        device_id = self._dev.state.device_id
        if isinstance(effect, rules.Tell):
            self.notice.emit(effect.notice.value)
        elif isinstance(effect, rules.WakeAt):
            self._schedule.wake_at(effect.at, self._clock.now())
        elif isinstance(effect, rules.RetryIn):
            self._schedule.retry_in(effect.seconds, manual=effect.manual)
            log.info("reserve activation will be retried in %.0f s", effect.seconds)
        elif isinstance(effect, rules.Recheck):
            self._run.next(self._start_recheck)
        elif isinstance(effect, rules.ForgetReserveCode):
            self._run.background(
                lambda: self._io.forget_reserve_code(device_id), "forgetting a code"
            )
        elif isinstance(effect, rules.FreeSeat):
            self._release(effect.token)
        elif isinstance(effect, rules.AskForAccount):
            self.accountRequired.emit()
        elif isinstance(effect, rules.TakeOver):  # now if nothing runs, else right after
            manual = effect.manual
            self._run.when_idle(lambda: self._start_takeover(manual=manual), user=False)

    def _evaluate(self) -> None:
        """Decide what is due now: warnings, automatic activation, the next wake-up."""
        if self._run.closed or self._device is None:
            return
        self._apply(rules.tick(self._device, self._clock.now(), idle=self._run.busy is None))
        if self._clock.set_back != self._told_set_back:
            self._told_set_back = self._clock.set_back
            if self._told_set_back:
                log.warning("this computer's clock reads behind the latest time seen")
                self.notice.emit(Notice.CLOCK_SET_BACK.value)
        self.changed.emit()

    def _note_reachability(self, exc: ApiError | None) -> None:
        """Remember whether the server answered; if not, look for it again soon."""
        self._unreachable = exc if exc is not None and exc.unreachable else None
        if exc is not None and (exc.unreachable or exc.transient):
            self._schedule.sync_soon()

    # --- saving a code ------------------------------------------------------------------------

    def _start_save(self, code: str, cancel: Cancel) -> None:
        if cancel.is_set:  # cancelled while it waited its turn; the caller has been told
            self._run.finish()
            return
        self._run.begin(Busy.SAVING)
        self._saving = cancel
        state, behind = self._dev.state, rules.reserve_behind(self._dev, self._clock.now())
        self._run.submit(
            lambda: self._io.save(code, state, behind, cancel),
            lambda outcome: self._saved(outcome, cancel),
        )

    def _saved(self, outcome: Outcome[Activated | Reserved | None], cancel: Cancel) -> None:
        if self._save_cancel is cancel:
            self._save_cancel = None
        if self._saving is cancel:
            self._saving = None
        if cancel.is_set:  # the caller has been told it was cancelled
            result = outcome.value if outcome.error is None else None
            device_id = self._dev.state.device_id
            self._run.background(lambda: self._io.undo_save(result, device_id), "undoing a save")
            return
        try:
            result = outcome.get()
        except Exception as exc:
            self._note_reachability(exc if isinstance(exc, ApiError) else None)
            self.saveFinished.emit(outcomes.save_refused(exc))
            return
        self._note_reachability(None)
        replaced = self._dev.state.reserve
        if isinstance(result, Reserved):
            self._schedule.cancel_retry()  # a failed reserve's retry is not the new one's
            self._apply(rules.Step(self._dev.with_reserve(result.reserve)))
            if result.previous_hold is not None:  # the seat held for the code replaced
                self._release(result.previous_hold)
        elif isinstance(result, Activated):
            self._install(result)
        self.saveFinished.emit(outcomes.saved(result, replaced))

    def _install(self, activated: Activated) -> None:
        self._schedule.cancel_retry()
        self._apply(
            rules.installed(
                self._dev,
                activated.license,
                blocked=activated.blocked,
                devices_used=activated.devices_used,
                was_reserve=activated.was_reserve,
                now=self._clock.now(),
            )
        )

    # --- the reserve code ---------------------------------------------------------------------

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
                self._apply(rules.reserve_rechecked(self._dev, None, outcomes.failure(exc)))
                return
            assert fresh is None or isinstance(fresh, Reserve)
            self._apply(rules.reserve_rechecked(self._dev, fresh, None))

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
            self._apply(
                rules.reserve_failed(
                    self._dev, outcomes.failure(exc), manual=manual, timing=self.timing
                )
            )
            return
        self._note_reachability(None)
        ended = self._dev.license.expires_at if self._dev.license else None
        self._install(activated)
        if ended is not None:
            late = (utcnow() - ended).total_seconds()
            log.info("the reserve code took over, %.3f s after the license ended", late)
        self.notice.emit(Notice.RESERVE_ACTIVATED.value)
        if activated.license.held:  # installed with no network: the server confirms it now
            self._run.later(self._start_sync)

    def _retry_reserve(self, manual: bool) -> None:
        reserve = self._device.state.reserve if self._device else None
        if reserve is not None and reserve.status is ReserveStatus.FAILED:
            self._run.when_idle(lambda: self._start_takeover(manual=manual), user=False)
