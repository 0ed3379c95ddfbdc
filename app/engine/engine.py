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

from PySide6.QtCore import QObject, QTimer, Signal

from app import __version__
from app.client.api import ActivationApi, ApiError
from app.client.identity import new_device_id
from app.client.secrets import SecretStore
from app.client.state import DeviceState
from app.device_proof import Refusal as ProofRefusal
from app.domain import codes
from app.domain.errors import ErrorCode
from app.engine import outcomes, rules, steps
from app.engine.account_ops import AccountOps
from app.engine.clock import Clock
from app.engine.effects import (
    Activated,
    DeviceIO,
    Loaded,
    Reserved,
)
from app.engine.jobs import Cancel, Outcome
from app.engine.keyring_wait import KeyringWatch
from app.engine.runner import Runner
from app.engine.schedule import Schedule
from app.engine.takeover import Takeover
from app.engine.upkeep import Upkeep
from app.engine.vocabulary import (
    KEY_MISSING,
    Busy,
    Failure,
    Notice,
    SaveOutcome,
    SaveResult,
    Snapshot,
    Timing,
)

log = logging.getLogger("standby.license")
#: Reasons of a ``device_not_proven`` refusal that mean this device's key is not the one
#: the server knows for it: the key it made is lost.
KEY_REFUSALS = (ProofRefusal.OTHER_KEY.value, KEY_MISSING)
#: How often a state that could not be written is tried again.
REWRITE_MS = 60_000


def utcnow() -> datetime:
    return datetime.now(UTC)


class Engine(Upkeep, Takeover, AccountOps, QObject):
    """Owns the device's license, its reserve code and every call to the server."""

    changed = Signal()
    notice = Signal(str)  # a Notice value
    saveFinished = Signal(object)  # SaveOutcome
    signInFinished = Signal(object)  # None, or a Failure
    signInCodeSent = Signal(object)  # None (the server took it), or a Refusal
    signOutFinished = Signal(object)  # None, or a Failure (it could not be written)
    removeFinished = Signal(object)  # None, or a Failure
    reserveRemoved = Signal(object)  # None, or a Failure (it could not be written)
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
        #: The last status check's refusal's reason: this device did not prove itself.
        self._not_proven: str | None = None
        self._key_missing = False  # the device's key is gone from the secret store
        #: Why the device's files could not be written last time, while they cannot: what
        #: the engine holds is then newer than what a restart would find.
        self._unwritable: OSError | None = None
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
        # While the state cannot be written, it is written again now and then (and at
        # every change): what the engine holds is kept as soon as the folder allows.
        self._rewrite = QTimer(self)
        self._rewrite.setSingleShot(True)
        self._rewrite.setInterval(REWRITE_MS)
        self._rewrite.timeout.connect(self._evaluate)

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
            self._not_proven is not None,
            key_missing=self._key_missing or self._not_proven in KEY_REFUSALS,
            cannot_write=self._unwritable is not None,
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
        self._rewrite.stop()
        if self._save_cancel is not None:
            self._save_cancel.set()
        self._run.close()

    def _loaded(self, outcome: Outcome[Loaded], sync: bool) -> None:
        try:
            loaded = outcome.get()
        except Exception:
            log.exception("the saved state could not be loaded")
            identity = self._io.local.identity
            device_id = identity.device_id if identity is not None else new_device_id()
            self._device = rules.Device(DeviceState(device_id=device_id))
            self._run.finish()
            return
        self._clock.seen(loaded.state.latest_seen)
        self._device = rules.Device(loaded.state, loaded.license)
        log.info("loaded: %s", steps.describe(self._device))
        self._unwritable = loaded.unwritable
        if loaded.damaged:
            self.notice.emit(Notice.STATE_DAMAGED.value)
        if sync:
            self._run.next(self._start_sync)
        self._run.next(self._start_confirm)  # first: nothing is decided before it
        self._run.finish()

    # --- commands -----------------------------------------------------------------------------

    def save_code(self, text: str) -> None:
        """Enter activation code → Save activation code (domain.md section 3)."""
        try:
            code = codes.normalize(text)
        except codes.InvalidCodeFormat as exc:
            self.saveFinished.emit(
                SaveOutcome(SaveResult.REFUSED, Failure(ErrorCode.INVALID_FORMAT, message=str(exc)))
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

    def watch(self, watched: bool) -> None:
        """A window shows the state (or no longer does): sync more often meanwhile."""
        self._schedule.watch(watched)

    def refresh(self) -> None:
        """Ask the server for the license's status now."""
        self._run.when_idle(self._start_sync)

    @property
    def _dev(self) -> rules.Device:
        assert self._device is not None
        return self._device

    def _apply(self, step: rules.Step) -> bool:
        """Take the rules' new device state, save it if it changed, carry out the effects.
        False when the change could not be written (the engine goes on with it, and says
        so: ``cannot_write``)."""
        before, told = self._dev.state, steps.describe(self._dev)
        self._device = step.device
        telling = steps.describe(step.device)
        if telling != told:  # the log tells each change of what the device holds
            log.info("now: %s", telling)
        kept = True
        if step.device.state != before or self._unwritable is not None:
            state = step.device.state.with_(latest_seen=self._clock.latest)
            self._device = replace(step.device, state=state)
            kept = self._keep(state)
        for effect in step.effects:
            self._carry_out(effect)
        return kept

    def _keep(self, state: DeviceState) -> bool:
        """Write ``state``; False (and ``cannot_write`` said) when it cannot be written."""
        try:
            self._io.local.save(state)
        except OSError as exc:
            if self._unwritable is None:
                log.error("the license state could not be written: %s", exc)
                self.notice.emit(Notice.CANNOT_WRITE.value)
            self._unwritable = exc
            self._rewrite.start()
            return False
        if self._unwritable is not None:
            log.info("the license state can be written again")
            self._unwritable = None
            self._rewrite.stop()
        return True

    def _writable(self) -> OSError | None:
        """Before a command asks the server anything: can its result be kept? (The state
        as it is, written again.) What stops it, or None."""
        self._keep(self._dev.state.with_(latest_seen=self._clock.latest))
        return self._unwritable

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
                lambda: self._io.local.forget_reserve_code(device_id), "forgetting a code"
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
        self._unreachable = exc if exc is not None and exc.failure.unreachable else None
        if exc is not None and (exc.failure.unreachable or exc.failure.transient):
            self._schedule.sync_soon()

    # --- saving a code ------------------------------------------------------------------------

    def _start_save(self, code: str, cancel: Cancel) -> None:
        if cancel.is_set:  # cancelled while it waited its turn; the caller has been told
            self._run.finish()
            return
        unwritable = self._writable()
        if unwritable is not None:  # nothing is asked of the server that could not be kept
            self.saveFinished.emit(outcomes.cannot_write(unwritable))
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
        kept = True
        if isinstance(result, Reserved):
            self._schedule.cancel_retry()  # a failed reserve's retry is not the new one's
            kept = self._apply(rules.Step(self._dev.with_reserve(result.reserve)))
            if result.previous_hold is not None:  # the seat held for the code replaced
                self._release(result.previous_hold)
        elif isinstance(result, Activated):
            kept = self._install(result)
        if not kept and self._unwritable is not None:
            self.saveFinished.emit(outcomes.cannot_write(self._unwritable, done_on_server=True))
            return
        self.saveFinished.emit(outcomes.saved(result, replaced))

    def _install(self, activated: Activated) -> bool:
        self._schedule.cancel_retry()
        return self._apply(
            rules.installed(
                self._dev,
                activated.license,
                blocked=activated.blocked,
                devices_used=activated.devices_used,
                was_reserve=activated.was_reserve,
                now=self._clock.now(),
            )
        )
