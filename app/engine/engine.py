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
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from app import __version__
from app.client.api import ActivationApi, ApiError
from app.client.secrets import SecretStore
from app.client.state import DeviceState, Reserve, ReserveStatus, new_device_id
from app.client.tokens import InvalidLicense, License
from app.domain import codes
from app.domain.errors import ErrorCode
from app.domain.license import LicenseState
from app.engine import rules
from app.engine.effects import (
    RESERVE_SECRET,
    Activated,
    DeviceIO,
    Loaded,
    MissingReserve,
    Reserved,
)
from app.engine.jobs import Cancel, Jobs, Outcome
from app.engine.schedule import Schedule
from app.engine.vocabulary import (
    LICENSE_NOT_VERIFIED,
    LOCAL_PROBLEM,
    RESERVE_CODE_MISSING,
    Busy,
    Notice,
    Refusal,
    SaveOutcome,
    SaveResult,
    Snapshot,
    Timing,
)

log = logging.getLogger("standby.license")
T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _refusal(exc: ApiError) -> Refusal:
    return Refusal(exc.code, exc.message, exc.unreachable)


def _failure(exc: Exception) -> rules.Failure:
    if isinstance(exc, ApiError):
        code = exc.code.value if exc.code else "unreachable"
        return rules.Failure(code, exc.message, exc.transient, exc.retry_after)
    if isinstance(exc, MissingReserve):
        return rules.missing_code_failure()
    return rules.local_failure(type(exc).__name__)


class Engine(QObject):
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
        self._jobs = Jobs(self, lanes=("main", "sync"))
        # The status check running now, if any: it gives way to a user's command.
        self._yielding: Callable[[], None] | None = None
        self._device: rules.Device | None = None
        self._busy: Busy | None = None
        self._operation = 0  # counts operations, so a late failure cannot end a newer one
        self._unreachable: ApiError | None = None
        self._pending: list[tuple[bool, Callable[[], None]]] = []  # (from the user, start)
        self._save_cancel: Cancel | None = None
        self._closed = False
        self._schedule = Schedule(self, self.timing, lambda: utcnow())
        self._schedule.wake.connect(self._evaluate)
        self._schedule.retry.connect(self._retry_reserve)
        self._schedule.sync.connect(lambda: self._when_idle(self._start_sync, user=False))

    # --- reading ------------------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        device = self._device
        state = device.state if device else None
        store = self._io.store
        return Snapshot(
            loaded=state is not None,
            device_id=state.device_id if state else None,
            license=device.license if device else None,
            state=device.license_state(utcnow()) if device else LicenseState.NONE,
            blocked=bool(state and state.blocked),
            devices_used=state.devices_used if state else None,
            reserve=state.reserve if state else None,
            account_email=state.account_email if state else None,
            checked_at=state.checked_at if state else None,
            unreachable=self._unreachable.unreachable if self._unreachable else None,
            server_address=self.api.address,
            busy=self._busy,
            secrets_secure=(store.secure if store else False) if self._io.store_asked else None,
            secrets_location=store.location if store else None,
        )

    @property
    def idle(self) -> bool:
        """Loaded, nothing running and nothing waiting its turn."""
        return self._device is not None and self._busy is None and not self._pending

    # --- start and stop -----------------------------------------------------------------------

    def start(self, *, sync: bool = True) -> None:
        """Load the saved state on the worker, then (with ``sync``) ask the server."""
        self._set_busy(Busy.LOADING)
        self._submit(self._io.load, lambda outcome: self._loaded(outcome, sync))

    def shutdown(self) -> None:
        """Stop timers and ignore whatever the worker still returns."""
        self._closed = True
        self._schedule.stop()
        if self._save_cancel is not None:
            self._save_cancel.set()
        self._jobs.close()

    def _loaded(self, outcome: Outcome[Loaded], sync: bool) -> None:
        try:
            loaded = outcome.get()
        except Exception:
            log.exception("the saved state could not be loaded")
            self._device = rules.Device(DeviceState(device_id=new_device_id()))
            self._finish()
            return
        self._device = rules.Device(loaded.state, loaded.license)
        if loaded.rejected:
            self.notice.emit(Notice.LICENSE_REJECTED.value)
        if loaded.damaged:
            self.notice.emit(Notice.STATE_DAMAGED.value)
        self._busy = None
        if sync:
            self._pending.insert(0, (False, self._start_sync))
        self._finish()

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
        self._when_idle(lambda: self._start_save(code, cancel))

    def cancel_save(self) -> None:
        """Stop waiting for the save at once; a seat it took meanwhile is given back."""
        cancel, self._save_cancel = self._save_cancel, None
        if cancel is None or cancel.is_set:
            return
        cancel.set()
        self.saveFinished.emit(SaveOutcome(SaveResult.CANCELLED))

    def remove_license(self, seat_id: str | None = None) -> None:
        """Free this device's seat; the reserve code, if any, then takes over.

        With ``seat_id`` (the license the user confirmed removing), nothing happens if a
        different license has taken its place meanwhile.
        """
        self._when_idle(lambda: self._start_remove(seat_id))

    def remove_reserve(self) -> None:
        self._when_idle(self._start_remove_reserve)

    def retry(self) -> None:
        """Try again: activate the saved reserve code now."""
        self._when_idle(lambda: self._start_takeover(manual=True))

    def activate_now(self) -> None:
        """Activate now: switch a blocked license to the reserve code at once."""
        self._when_idle(lambda: self._start_takeover(manual=True))

    def refresh(self) -> None:
        """Ask the server for the license's status now."""
        self._when_idle(self._start_sync)

    def sign_in(self, email: str, password: str) -> None:
        self._when_idle(lambda: self._start_sign_in(email, password))

    # --- running operations -------------------------------------------------------------------

    def _when_idle(self, start: Callable[[], None], *, user: bool = True) -> None:
        """Run ``start`` now if nothing runs, else in its turn: what the user asked for
        goes ahead of background work that waits."""
        if self._closed:
            return
        if self._busy is None and self._device is not None:
            start()
        elif user and self._yielding is not None:
            # A status check (perhaps hanging on a server that never answers) gives way:
            # its answer will be ignored, and it is asked again after the command.
            log.info("a status check gives way to a command")
            self._pending.append((False, self._yielding))
            self._yielding = None
            self._operation += 1
            self._busy = None
            start()
        elif user:
            first_background = next(
                (i for i, (by_user, _) in enumerate(self._pending) if not by_user),
                len(self._pending),
            )
            self._pending.insert(first_background, (True, start))
        else:
            self._pending.append((False, start))

    def _submit(
        self,
        work: Callable[[], T],
        done: Callable[[Outcome[T]], None],
        *,
        yielding: Callable[[], None] | None = None,
    ) -> None:
        """Run ``work`` on the worker; whatever ``done`` does, the operation ends.

        ``yielding``: a background check that gives way to the user's commands (run on its
        own lane, so a hung one holds nothing up); this starts it again later.
        """
        operation = self._operation
        self._yielding = yielding

        def guarded(outcome: Outcome[T]) -> None:
            if self._operation != operation:
                return  # it gave way to a command meanwhile: its answer is stale
            self._yielding = None
            try:
                done(outcome)
            except Exception:
                log.exception("handling the result of %s failed", self._busy)
            if self._operation == operation and self._busy is not None:
                self._finish()

        self._jobs.submit(work, guarded, "sync" if yielding else "main")

    def _background(self, work: Callable[[], object], what: str) -> None:
        def done(outcome: Outcome[object]) -> None:
            if outcome.error is not None:
                log.warning("%s failed: %s", what, type(outcome.error).__name__)

        self._jobs.submit(work, done)

    def _set_busy(self, busy: Busy) -> None:
        self._operation += 1
        self._busy = busy
        self.changed.emit()

    def _finish(self) -> None:
        """After every operation: run what waited, else see whether anything is due."""
        self._busy = None
        if self._closed:
            return
        if self._pending:
            self._pending.pop(0)[1]()
        else:
            self._evaluate()
        if self._busy is None:
            self.changed.emit()

    @property
    def _dev(self) -> rules.Device:
        assert self._device is not None
        return self._device

    def _apply(self, step: rules.Step) -> None:
        """Take the rules' new device state, save it if it changed, carry out the effects."""
        before = self._dev.state
        self._device = step.device
        if step.device.state != before:
            try:
                self._io.file.save(step.device.state)
            except OSError:
                log.exception("the license state could not be written")
        for effect in step.effects:
            self._carry_out(effect)

    def _carry_out(self, effect: rules.Effect) -> None:
        device_id = self._dev.state.device_id
        if isinstance(effect, rules.Tell):
            self.notice.emit(effect.notice.value)
        elif isinstance(effect, rules.WakeAt):
            self._schedule.wake_at(effect.at, utcnow())
        elif isinstance(effect, rules.RetryIn):
            self._schedule.retry_in(effect.seconds, manual=effect.manual)
            log.info("reserve activation will be retried in %.0f s", effect.seconds)
        elif isinstance(effect, rules.Recheck):
            self._pending.insert(0, (False, self._start_recheck))
        elif isinstance(effect, rules.ForgetReserveCode):
            self._background(lambda: self._io.forget_reserve_code(device_id), "forgetting a code")
        elif isinstance(effect, rules.FreeSeat):
            token = effect.token
            self._background(lambda: self._io.free_quietly(token), "freeing a seat")
        elif isinstance(effect, rules.AskForAccount):
            self.accountRequired.emit()
        elif isinstance(effect, rules.TakeOver):
            manual = effect.manual
            self._pending.append((True, lambda: self._start_takeover(manual=manual)))

    def _evaluate(self) -> None:
        """Decide what is due now: warnings, automatic activation, the next wake-up."""
        if self._closed or self._device is None:
            return
        step = rules.tick(self._device, utcnow(), idle=self._busy is None)
        if any(isinstance(effect, rules.TakeOver) for effect in step.effects):
            self._apply(
                rules.Step(
                    step.device, tuple(e for e in step.effects if not isinstance(e, rules.TakeOver))
                )
            )
            self._start_takeover(manual=False)
            return
        self._apply(step)
        self.changed.emit()

    def _note_reachability(self, exc: ApiError | None) -> None:
        """Remember whether the server answered; if not, look for it again soon."""
        self._unreachable = exc if exc is not None and exc.unreachable else None
        if exc is not None and (exc.unreachable or exc.transient):
            self._schedule.sync_soon()

    # --- saving a code ------------------------------------------------------------------------

    def _start_save(self, code: str, cancel: Cancel) -> None:
        if cancel.is_set:  # cancelled while it waited its turn; the caller has been told
            self._finish()
            return
        self._set_busy(Busy.SAVING)
        device = self._dev
        current = device.license_state(utcnow())
        behind = (
            device.state.license_token
            if device.license is not None
            and current not in (LicenseState.EXPIRED, LicenseState.BLOCKED, LicenseState.TRIAL)
            else None
        )
        state = device.state
        self._submit(
            lambda: self._io.save(code, state, behind, cancel),
            lambda outcome: self._saved(outcome, cancel),
        )

    def _saved(self, outcome: Outcome[Activated | Reserved | None], cancel: Cancel) -> None:
        if self._save_cancel is cancel:
            self._save_cancel = None
        if cancel.is_set:  # the caller has been told it was cancelled
            result = outcome.value if outcome.error is None else None
            device_id = self._dev.state.device_id
            self._background(lambda: self._io.undo_save(result, device_id), "undoing a save")
            return
        try:
            result = outcome.get()
        except ApiError as exc:
            self._note_reachability(exc)
            self.saveFinished.emit(
                SaveOutcome(
                    SaveResult.REFUSED,
                    exc.code,
                    exc.message,
                    reason=exc.reason,
                    unreachable=exc.unreachable,
                )
            )
            return
        except Exception as exc:
            log.error("saving the code failed: %s", type(exc).__name__)
            problem = LICENSE_NOT_VERIFIED if isinstance(exc, InvalidLicense) else LOCAL_PROBLEM
            self.saveFinished.emit(
                SaveOutcome(SaveResult.REFUSED, None, type(exc).__name__, problem=problem)
            )
            return
        self._note_reachability(None)
        if result is None:
            self.saveFinished.emit(SaveOutcome(SaveResult.CANCELLED))
        elif isinstance(result, Reserved):
            replaced = self._dev.state.reserve
            self._schedule.cancel_retry()  # a failed reserve's retry is not the new one's
            self._apply(rules.Step(self._dev.with_reserve(result.reserve)))
            self.saveFinished.emit(
                SaveOutcome(
                    SaveResult.RESERVED,
                    max_devices=result.reserve.max_devices,
                    takes_over_at=result.reserve.takes_over_at,
                    expires_at=result.reserve.expires_at,
                    replaced_last5=replaced.last5 if replaced is not None else None,
                )
            )
        else:
            self._install(result)
            self.saveFinished.emit(
                SaveOutcome(
                    SaveResult.ACTIVATED,
                    max_devices=result.license.max_devices,
                    expires_at=result.license.expires_at,
                )
            )

    def _install(self, activated: Activated) -> None:
        self._schedule.cancel_retry()
        self._apply(
            rules.installed(
                self._dev,
                activated.license,
                blocked=activated.blocked,
                devices_used=activated.devices_used,
                was_reserve=activated.was_reserve,
                now=utcnow(),
            )
        )

    # --- the reserve code ---------------------------------------------------------------------

    def _start_recheck(self) -> None:
        device = self._dev
        if device.state.reserve is None or device.license is None:
            self._finish()
            return
        self._set_busy(Busy.SYNCING)
        state, token = device.state, device.license.token

        def done(outcome: Outcome[object]) -> None:
            try:
                fresh = outcome.get()
            except (ApiError, MissingReserve) as exc:
                if isinstance(exc, ApiError):
                    self._note_reachability(exc)
                self._apply(rules.reserve_rechecked(self._dev, None, _failure(exc)))
                return
            assert fresh is None or isinstance(fresh, Reserve)
            self._apply(rules.reserve_rechecked(self._dev, fresh, None))

        self._submit(lambda: self._io.recheck(state, token), done, yielding=self._start_recheck)

    def _start_takeover(self, *, manual: bool) -> None:
        step = rules.takeover_starts(self._dev, utcnow(), manual=manual)
        self._apply(rules.Step(step.device))
        if not step.effects:
            self._finish()  # things changed while it waited: nothing to do now
            return
        self._schedule.cancel_retry()
        self._set_busy(Busy.ACTIVATING)
        state = step.device.state
        self._submit(
            lambda: self._io.take_over(state), lambda outcome: self._taken_over(outcome, manual)
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
                rules.reserve_failed(self._dev, _failure(exc), manual=manual, timing=self.timing)
            )
            return
        self._note_reachability(None)
        ended = self._dev.license.expires_at if self._dev.license else None
        self._install(activated)
        if ended is not None:
            late = (utcnow() - ended).total_seconds()
            log.info("the reserve code took over, %.3f s after the license ended", late)
        self.notice.emit(Notice.RESERVE_ACTIVATED.value)

    def _retry_reserve(self, manual: bool) -> None:
        reserve = self._device.state.reserve if self._device else None
        if reserve is not None and reserve.status is ReserveStatus.FAILED:
            self._when_idle(lambda: self._start_takeover(manual=manual), user=False)

    # --- removing ----------------------------------------------------------------------------

    def _start_remove(self, seat_id: str | None) -> None:
        device = self._dev
        token = device.state.license_token
        if token is None or (
            seat_id is not None and (device.license is None or device.license.seat_id != seat_id)
        ):
            self.removeFinished.emit(None)  # what the user meant to remove is gone already
            self._finish()
            return
        self._set_busy(Busy.REMOVING)

        def done(outcome: Outcome[None]) -> None:
            try:
                outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.removeFinished.emit(_refusal(exc))
                return
            self._note_reachability(None)
            self._apply(rules.Step(rules.license_removed(self._dev)))
            self.removeFinished.emit(None)

        self._submit(lambda: self._io.deactivate(token), done)

    def _start_remove_reserve(self) -> None:
        self._schedule.cancel_retry()
        device_id = self._dev.state.device_id
        self._apply(rules.Step(self._dev.with_reserve(None)))
        self._set_busy(Busy.SAVING)

        def done(outcome: Outcome[None]) -> None:
            if outcome.error is not None:
                log.warning(
                    "removing the reserve code from the store failed: %s",
                    type(outcome.error).__name__,
                )

        self._submit(lambda: self._io.forget_reserve_code(device_id), done)

    # --- status sync ------------------------------------------------------------------------

    def _start_sync(self) -> None:
        state = self._dev.state
        self._schedule.sync_later()
        self._set_busy(Busy.SYNCING)
        self._submit(lambda: self._io.sync(state), self._synced, yielding=self._start_sync)

    def _synced(self, outcome: Outcome[tuple[rules.Status | None, License | None]]) -> None:
        try:
            status, fresh = outcome.get()
        except ApiError as exc:
            self._note_reachability(exc)
            if not exc.transient:
                log.warning("status sync refused: %s", exc.message)
            return
        except Exception as exc:
            log.error("status sync failed: %s", type(exc).__name__)
            self._schedule.sync_soon()
            return
        self._note_reachability(None)
        self._schedule.sync_answered()
        self._apply(rules.synced(self._dev, status, fresh, utcnow()))
        reserve = self._dev.state.reserve
        if reserve is not None and reserve.failure_transient:
            self._schedule.retry_now_if_waiting()  # the server answers again: retry now

    # --- accounts -----------------------------------------------------------------------------

    def _start_sign_in(self, email: str, password: str) -> None:
        device_id = self._dev.state.device_id
        self._set_busy(Busy.SIGNING_IN)

        def done(outcome: Outcome[str]) -> None:
            try:
                signed_in = outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.signInFinished.emit(_refusal(exc))
                return
            self._note_reachability(None)
            self._apply(rules.signed_in(self._dev, signed_in))
            self.signInFinished.emit(None)

        self._submit(lambda: self._io.sign_in(email, password, device_id), done)


__all__ = [
    "LICENSE_NOT_VERIFIED",
    "LOCAL_PROBLEM",
    "RESERVE_CODE_MISSING",
    "RESERVE_SECRET",
    "Busy",
    "Engine",
    "Notice",
    "SaveOutcome",
    "SaveResult",
    "Snapshot",
    "Timing",
]
