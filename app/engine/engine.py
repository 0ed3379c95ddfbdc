"""The license engine: the state machine of domain.md section 4, for one device.

Widgets never decide anything: they read :attr:`Engine.snapshot`, listen to
its signals and call its commands. Every HTTP, keyring and file-reading call runs on the
engine's worker (:class:`~app.engine.jobs.Jobs`), one operation at a time; results
are applied here, on the UI thread, so the state only ever changes in one place. A
command given while an operation runs waits its turn and looks at the state again when
it starts, so it never acts on what was true when it was asked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app import __version__
from app.client.api import ActivationApi, ApiError, Unreachable
from app.client.secrets import SecretStore, SecretStoreError
from app.client.state import (
    DamagedState,
    DeviceState,
    Reserve,
    ReserveStatus,
    StateFile,
    new_device_id,
)
from app.client.tokens import InvalidLicense, License, verify_license
from app.domain import codes
from app.domain.errors import ErrorCode
from app.domain.license import EXPIRING_SOON_WINDOW, LicenseState, license_state
from app.engine.jobs import Cancel, Jobs, Outcome
from app.engine.vocabulary import (
    LICENSE_NOT_VERIFIED,
    LOCAL_PROBLEM,
    RESERVE_CODE_MISSING,
    Busy,
    Notice,
    SaveOutcome,
    SaveResult,
    Snapshot,
    Timing,
)

log = logging.getLogger("standby.license")
T = TypeVar("T")

#: The secret store entry that holds the reserve code of a device.
RESERVE_SECRET = "reserve-code/{device_id}"  # noqa: S105 (a name, not a secret)
#: QTimer takes a 32-bit count of milliseconds; longer waits are taken in steps.
MAX_TIMER_MS = 24 * 3600 * 1000
#: License states in which the reserve code may take over by itself.
TAKE_OVER_STATES = (LicenseState.NONE, LicenseState.EXPIRED)
#: How often the wall clock is compared with the next moment something is due (a cheap
#: comparison: timers stop while the computer sleeps, the clock does not).
WATCHDOG_MS = 2_000


@dataclass(frozen=True)
class _Loaded:
    state: DeviceState
    license: License | None
    store: SecretStore | None
    rejected: bool
    damaged: bool


@dataclass(frozen=True)
class _Activated:
    license: License
    info: dict[str, Any]
    was_reserve: bool


@dataclass(frozen=True)
class _Reserved:
    info: dict[str, Any]
    previous: str | None = None  # the reserve code it replaced in the store, if any


class _MissingReserve(Exception):
    pass


def utcnow() -> datetime:
    return datetime.now(UTC)


def _moment(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None


def _start(timer: QTimer, seconds: float) -> None:
    timer.start(int(min(MAX_TIMER_MS, max(0.0, seconds * 1000))))


class Engine(QObject):
    """Owns the device's license, its reserve code and every call to the server."""

    changed = Signal()
    notice = Signal(str)  # a Notice value
    saveFinished = Signal(object)  # SaveOutcome
    signInFinished = Signal(object)  # None, or the ApiError
    removeFinished = Signal(object)  # None, or the ApiError
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
        self._open_store = open_store
        self._file = StateFile(data_dir)
        self._jobs = Jobs(self)
        self._state: DeviceState | None = None
        self._license: License | None = None
        self._store: SecretStore | None = None
        self._busy: Busy | None = None
        self._operation = 0  # counts operations, so a late failure cannot end a newer one
        self._unreachable: Unreachable | None = None
        self._pending: list[Callable[[], None]] = []
        self._save_cancel: Cancel | None = None
        self._retry_delay = 0.0
        self._retry_manual = False
        self._sync_delay = 0.0
        self._closed = False
        self._due_at: datetime | None = None  # when the wake timer should fire
        self._ended_seen: str | None = None  # the ended license a failed reserve was retried for

        self._wake = self._timer(self._evaluate)
        self._retry = self._timer(self._retry_reserve)
        self._sync_timer = self._timer(self.refresh)
        # Timers do not count time the computer sleeps: look at the wall clock now and then.
        self._watchdog = QTimer(self)
        self._watchdog.timeout.connect(self._watch)
        self._watchdog.start(WATCHDOG_MS)

    def _timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        return timer

    # --- reading ------------------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        state = self._state
        return Snapshot(
            loaded=state is not None,
            device_id=state.device_id if state else None,
            license=self._license,
            state=self._license_state(),
            blocked=bool(state and state.blocked),
            devices_used=state.devices_used if state else None,
            reserve=state.reserve if state else None,
            account_email=state.account_email if state else None,
            checked_at=state.checked_at if state else None,
            unreachable=self._unreachable,
            server_address=self.api.address,
            busy=self._busy,
            secrets_secure=bool(self._store and self._store.secure),
            secrets_location=self._store.location if self._store else None,
        )

    def _license_state(self, now: datetime | None = None) -> LicenseState:
        if self._license is None or self._state is None:
            return LicenseState.NONE
        return license_state(
            self._license.type, self._license.expires_at, self._state.blocked, now or utcnow()
        )

    # --- start and stop -----------------------------------------------------------------------

    def start(self) -> None:
        """Load the saved state on the worker, then sync with the server."""
        self._set_busy(Busy.LOADING)
        self._submit(self._load_job, self._loaded)

    def shutdown(self) -> None:
        """Stop timers and ignore whatever the worker still returns."""
        self._closed = True
        for timer in (self._wake, self._retry, self._sync_timer, self._watchdog):
            timer.stop()
        if self._save_cancel is not None:
            self._save_cancel.set()
        self._jobs.close()

    def _load_job(self) -> _Loaded:
        store: SecretStore | None
        try:
            store = self._open_store()
        except SecretStoreError as exc:
            log.error("no secret store: %s", exc)
            store = None
        damaged = False
        try:
            state = self._file.load()
        except DamagedState as exc:
            log.error("%s; set aside, starting with no license", exc)
            self._file.set_aside()
            state, damaged = None, True
        if state is None:
            state = DeviceState(device_id=new_device_id())
            self._file.save(state)
        lic, rejected = None, False
        if state.license_token:
            try:
                lic = self._verify(state.license_token, state.device_id)
            except InvalidLicense as exc:
                log.warning("saved license rejected: %s", exc)
                state, rejected = state.with_(license_token=None, blocked=False), True
                self._file.save(state)
            except ApiError as exc:
                # The keys are not cached and the server is away: keep the token, check later.
                log.warning("saved license not checked yet: %s", exc.message)
        reserve = state.reserve
        if reserve is not None and (
            reserve.status is ReserveStatus.ACTIVATING
            or (reserve.status is ReserveStatus.FAILED and reserve.failure_transient)
        ):
            # Stopped during an activation, or while waiting to retry one: it may go again
            # (activating twice is safe, the server gives the same seat back).
            state = state.with_(reserve=_with_status(reserve, ReserveStatus.SAVED))
        if reserve is None and store is not None:
            # A reserve used just before the app stopped may still be in the store.
            try:
                store.delete(self._reserve_secret(state))
            except SecretStoreError as exc:
                log.warning("an old reserve code could not be forgotten: %s", exc)
        return _Loaded(state, lic, store, rejected, damaged)

    def _loaded(self, outcome: Outcome[_Loaded]) -> None:
        try:
            loaded = outcome.get()
        except Exception:
            log.exception("the saved state could not be loaded")
            self._state = DeviceState(device_id=new_device_id())
            self._finish()
            return
        self._state, self._license, self._store = loaded.state, loaded.license, loaded.store
        if loaded.rejected:
            self.notice.emit(Notice.LICENSE_REJECTED.value)
        if loaded.damaged:
            self.notice.emit(Notice.STATE_DAMAGED.value)
        self._busy = None
        self._sync_job_start()  # first, whatever the user asked for meanwhile

    # --- the worker's building blocks (run on the worker thread) ------------------------------

    def _verify(self, token: str, device_id: str) -> License:
        """Verify against the cached keys; fetch the server's keys once when they lack it."""
        keys = self._file.load_keys()
        if keys is not None:
            try:
                return verify_license(token, keys, device_id)
            except InvalidLicense:
                pass  # perhaps a key the server rotated in since: fetch and try once more
        fresh = self.api.keys()
        if fresh != keys:
            self._file.save_keys(fresh)
        return verify_license(token, fresh, device_id)

    def _activate_and_verify(self, code: str, device_id: str) -> tuple[License, dict[str, Any]]:
        answer = self.api.activate(code, device_id, self.app_version)
        token = str(answer["license"])
        try:
            return self._verify(token, device_id), answer
        except InvalidLicense:
            if answer.get("created"):
                self._free_quietly(token)  # a seat we cannot use must not stay taken
            raise

    def _free_quietly(self, token: str) -> None:
        try:
            self.api.deactivate(token)
        except ApiError as exc:
            log.warning("a seat could not be freed: %s", exc.message)

    def _reserve_secret(self, state: DeviceState) -> str:
        return RESERVE_SECRET.format(device_id=state.device_id)

    def _require_store(self) -> SecretStore:
        if self._store is None:
            raise SecretStoreError("no place to keep activation codes is available")
        return self._store

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
        self._when_idle(lambda: self._start_reserve_activation(manual=True))

    def activate_now(self) -> None:
        """Activate now: switch a blocked license to the reserve code at once."""
        self._when_idle(lambda: self._start_reserve_activation(manual=True))

    def refresh(self) -> None:
        """Ask the server for the license's status now."""
        self._when_idle(self._sync_job_start)

    def sign_in(self, email: str, password: str) -> None:
        self._when_idle(lambda: self._start_sign_in(email, password))

    # --- scheduling ---------------------------------------------------------------------------

    def _when_idle(self, start: Callable[[], None]) -> None:
        if self._closed:
            return
        if self._busy is None and self._state is not None:
            start()
        else:
            self._pending.append(start)

    def _submit(self, work: Callable[[], T], done: Callable[[Outcome[T]], None]) -> None:
        """Run ``work`` on the worker; whatever ``done`` does, the operation ends."""
        operation = self._operation

        def guarded(outcome: Outcome[T]) -> None:
            try:
                done(outcome)
            except Exception:
                log.exception("handling the result of %s failed", self._busy)
                if self._operation == operation and self._busy is not None:
                    self._finish()

        self._jobs.submit(work, guarded)

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
            self._pending.pop(0)()
        else:
            self._evaluate()
        if self._busy is None:
            self.changed.emit()

    def _save_state(self, state: DeviceState) -> None:
        self._state = state
        try:
            self._file.save(state)
        except OSError:
            log.exception("the license state could not be written")

    def _evaluate(self) -> None:
        """Decide what is due now: warnings, automatic activation, the next wake-up."""
        if self._closed or self._state is None:
            return
        now = utcnow()
        state = self._state
        current = self._license_state(now)
        lic = self._license
        no_usable_reserve = state.reserve is None or self.snapshot.reserve_failed_for_good
        if (
            lic is not None
            and current is LicenseState.EXPIRING_SOON
            and no_usable_reserve
            and state.warned_expiry_for != lic.seat_id
        ):
            self._save_state(state.with_(warned_expiry_for=lic.seat_id))
            self.notice.emit(Notice.EXPIRING_NO_RESERVE.value)
        if (
            lic is not None
            and current is LicenseState.EXPIRED
            and self._state.reserve is None
            and self._state.warned_expired_for != lic.seat_id
        ):
            self._save_state(self._state.with_(warned_expired_for=lic.seat_id))
            self.notice.emit(Notice.LICENSE_EXPIRED.value)
        ended = lic.seat_id if lic is not None and lic.expires_at <= now else None
        if ended is not None and ended != self._ended_seen:
            # The license has just ended (or had, at start): a reserve that failed before
            # gets one fresh try at this moment, as section 4 asks.
            self._ended_seen = ended
            self._give_failed_reserve_another_try()
        reserve = self._state.reserve
        if (
            self._busy is None
            and reserve is not None
            and reserve.status is ReserveStatus.SAVED
            and self._may_take_over(manual=False)
        ):
            self._start_reserve_activation(manual=False)
            return
        self._arm_wake(now)
        self.changed.emit()

    def _give_failed_reserve_another_try(self) -> None:
        assert self._state is not None
        reserve = self._state.reserve
        if reserve is not None and reserve.status is ReserveStatus.FAILED:
            self._save_state(self._state.with_(reserve=_with_status(reserve, ReserveStatus.SAVED)))

    def _watch(self) -> None:
        if self._busy is None and self._due_at is not None and utcnow() >= self._due_at:
            self._evaluate()

    def _may_take_over(self, *, manual: bool) -> bool:
        """May the reserve code replace the current license now?"""
        assert self._state is not None
        if self._license is None and self._state.license_token is not None:
            return False  # a license not checked yet: wait until it is
        if self._license is not None and self._license.expires_at <= utcnow():
            return True  # it has ended, blocked or not
        allowed = TAKE_OVER_STATES + ((LicenseState.BLOCKED,) if manual else ())
        return self._license_state() in allowed

    def _arm_wake(self, now: datetime) -> None:
        """A timer at the next instant the state changes by itself (14 days left, expiry)."""
        self._wake.stop()
        self._due_at = None
        if self._license is None:
            return
        expires = self._license.expires_at
        moments = [m for m in (expires - EXPIRING_SOON_WINDOW, expires) if m > now]
        if moments:
            self._due_at = min(moments)
            _start(self._wake, (self._due_at - now).total_seconds() + 0.001)

    # --- saving a code ------------------------------------------------------------------------

    def _start_save(self, code: str, cancel: Cancel) -> None:
        assert self._state is not None
        if cancel.is_set:  # cancelled while it waited its turn; the caller has been told
            self._finish()
            return
        self._set_busy(Busy.SAVING)
        state, current = self._state, self._license_state()
        token = state.license_token if self._license is not None else None
        check_first = token is not None and current not in (
            LicenseState.EXPIRED,
            LicenseState.BLOCKED,
            LicenseState.TRIAL,
        )

        def work() -> _Activated | _Reserved | None:
            reserve_code = None
            if state.reserve is not None:
                reserve_code = self._require_store().get(self._reserve_secret(state))
            if check_first:
                # With a reserve saved, the new code may replace it (the dialog says so):
                # the server checks it in full, and only an accepted code takes its place.
                answer = self.api.check_reserve(
                    code,
                    state.device_id,
                    self.app_version,
                    token,
                    reserve_code,
                    replace_reserve=reserve_code is not None,
                )
                if answer.get("action") == "reserve":
                    if cancel.is_set:
                        return None
                    self._require_store().set(self._reserve_secret(state), code)
                    return _Reserved(answer, reserve_code)
            if cancel.is_set:
                return None
            lic, answer = self._activate_and_verify(code, state.device_id)
            if cancel.is_set:
                if answer.get("created"):
                    self._free_quietly(lic.token)
                return None
            return _Activated(lic, answer, was_reserve=reserve_code == code)

        self._submit(work, lambda outcome: self._saved(outcome, state, cancel))

    def _saved(
        self,
        outcome: Outcome[_Activated | _Reserved | None],
        before: DeviceState,
        cancel: Cancel,
    ) -> None:
        if self._save_cancel is cancel:
            self._save_cancel = None
        if cancel.is_set:
            self._undo_cancelled(outcome.value if outcome.error is None else None, before)
            self._finish()  # the caller has been told it was cancelled
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
            self._finish()
            return
        except Exception as exc:
            log.error("saving the code failed: %s", type(exc).__name__)
            problem = LICENSE_NOT_VERIFIED if isinstance(exc, InvalidLicense) else LOCAL_PROBLEM
            self.saveFinished.emit(
                SaveOutcome(SaveResult.REFUSED, None, type(exc).__name__, problem=problem)
            )
            self._finish()
            return
        self._unreachable = None
        if result is None:
            self.saveFinished.emit(SaveOutcome(SaveResult.CANCELLED))
        elif isinstance(result, _Reserved):
            reserve = _reserve_from(result.info)
            assert self._state is not None
            replaced = self._state.reserve
            self._retry.stop()  # a failed reserve's retry is not the new one's
            self._save_state(self._state.with_(reserve=reserve))
            self.saveFinished.emit(
                SaveOutcome(
                    SaveResult.RESERVED,
                    max_devices=reserve.max_devices,
                    takes_over_at=reserve.takes_over_at,
                    expires_at=reserve.expires_at,
                    replaced_last5=replaced.last5 if replaced is not None else None,
                )
            )
        else:
            self._install(result, replaced=before.license_token)
            self.saveFinished.emit(
                SaveOutcome(
                    SaveResult.ACTIVATED,
                    max_devices=result.license.max_devices,
                    expires_at=result.license.expires_at,
                )
            )
        self._finish()

    def _undo_cancelled(self, result: _Activated | _Reserved | None, before: DeviceState) -> None:
        """The save finished after the user cancelled it: give back what it took."""
        store, secret = self._store, self._reserve_secret(before)
        if isinstance(result, _Activated) and result.info.get("created"):
            token = result.license.token
            self._jobs.submit(lambda: self._free_quietly(token), _log_failure("freeing a seat"))
        elif isinstance(result, _Reserved) and store is not None:
            previous = result.previous  # a replaced reserve comes back; a new one goes

            def undo() -> None:
                assert store is not None
                if previous is None:
                    store.delete(secret)
                else:
                    store.set(secret, previous)

            self._jobs.submit(undo, _log_failure("undoing a cancelled save"))

    def _install(self, activated: _Activated, replaced: str | None) -> None:
        """Make ``activated`` the current license (and forget the reserve if it was used)."""
        assert self._state is not None
        old = self._license
        state = self._state.with_(
            license_token=activated.license.token,
            blocked=bool(activated.info.get("blocked", False)),
            devices_used=activated.info.get("devices_used"),
            checked_at=utcnow(),
        )
        dropped_reserve = activated.was_reserve and state.reserve is not None
        if dropped_reserve:
            state = state.with_(reserve=None)
        elif state.reserve is not None:
            # A different code became the license: the reserve now waits for that one, and
            # the server says again whether it can follow it (and from when).
            state = state.with_(reserve=_with_status(state.reserve, ReserveStatus.SAVED))
            self._pending.insert(0, self._start_reserve_recheck)
        self._license = activated.license
        self._save_state(state)
        self._retry_delay = 0.0
        self._retry.stop()
        store, secret = self._store, self._reserve_secret(state)
        old_token = (
            replaced if old is not None and old.seat_id != activated.license.seat_id else None
        )

        def tidy() -> None:
            if dropped_reserve and store is not None:
                store.delete(secret)
            if old_token is not None:
                self._free_quietly(old_token)  # the replaced license's seat is of no use now

        self._jobs.submit(tidy, _log_failure("tidying up after an activation"))

    def _start_reserve_recheck(self) -> None:
        assert self._state is not None
        state = self._state
        if state.reserve is None or self._license is None:
            self._finish()
            return
        self._set_busy(Busy.SYNCING)
        token = self._license.token

        def work() -> dict[str, Any]:
            code = self._require_store().get(self._reserve_secret(state))
            if code is None:
                raise _MissingReserve
            return self.api.check_reserve(code, state.device_id, self.app_version, token, None)

        def done(outcome: Outcome[dict[str, Any]]) -> None:
            assert self._state is not None
            reserve = self._state.reserve
            if reserve is None:
                self._finish()
                return
            try:
                answer = outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                if not exc.transient and exc.code is not None:
                    failed = _with_status(
                        reserve, ReserveStatus.FAILED, exc.code.value, exc.message
                    )
                    self._save_state(self._state.with_(reserve=failed))
                    self.notice.emit(Notice.RESERVE_FAILED.value)
                self._finish()
                return
            except _MissingReserve:
                failed = _with_status(reserve, ReserveStatus.FAILED, RESERVE_CODE_MISSING)
                self._save_state(self._state.with_(reserve=failed))
                self._finish()
                return
            if answer.get("action") == "reserve":
                fresh = _reserve_from(answer)
                self._save_state(
                    self._state.with_(reserve=replace(fresh, saved_at=reserve.saved_at))
                )
            elif self._license is not None:  # it would be activated at once: it follows this one
                moved = replace(reserve, takes_over_at=self._license.expires_at)
                self._save_state(self._state.with_(reserve=moved))
            self._finish()

        self._submit(work, done)

    # --- the reserve code's automatic activation ----------------------------------------------

    def _start_reserve_activation(self, *, manual: bool) -> None:
        assert self._state is not None
        state = self._state
        if state.reserve is None or not self._may_take_over(manual=manual):
            # Things changed while this waited: nothing to do now. A retry that is no
            # longer needed leaves the reserve saved, to take over when the license ends.
            if state.reserve is not None and state.reserve.failure_transient:
                self._give_failed_reserve_another_try()
            self._finish()
            return
        self._retry.stop()
        if manual:
            self._retry_delay = 0.0
        self._save_state(state.with_(reserve=_with_status(state.reserve, ReserveStatus.ACTIVATING)))
        self._set_busy(Busy.ACTIVATING)

        def work() -> _Activated:
            code = self._require_store().get(self._reserve_secret(state))
            if code is None:
                raise _MissingReserve
            lic, answer = self._activate_and_verify(code, state.device_id)
            return _Activated(lic, answer, was_reserve=True)

        self._submit(work, lambda outcome: self._reserve_activated(outcome, state, manual))

    def _reserve_activated(
        self, outcome: Outcome[_Activated], before: DeviceState, manual: bool
    ) -> None:
        try:
            activated = outcome.get()
        except Exception as exc:
            if not isinstance(exc, ApiError | _MissingReserve):
                log.error("the reserve code's activation failed: %s", type(exc).__name__)
            self._reserve_failed(exc, manual)
            self._finish()
            return
        self._unreachable = None
        self._install(activated, replaced=before.license_token)
        self.notice.emit(Notice.RESERVE_ACTIVATED.value)
        self._finish()

    def _reserve_failed(self, exc: Exception, manual: bool) -> None:
        assert self._state is not None
        if self._state.reserve is None:
            return
        if isinstance(exc, ApiError):
            self._note_reachability(exc)
            code: str = exc.code.value if exc.code else "unreachable"
            message, transient = exc.message, exc.transient
        elif isinstance(exc, _MissingReserve):
            code, message, transient = RESERVE_CODE_MISSING, "not in the store", False
        else:  # our own trouble (keys, files, store): worth another try later
            code, message, transient = LOCAL_PROBLEM, type(exc).__name__, True
        reserve = _with_status(
            self._state.reserve, ReserveStatus.FAILED, code, message, transient=transient
        )
        self._save_state(self._state.with_(reserve=reserve))
        if transient:
            self._retry_delay = min(
                self.timing.retry_max, max(self.timing.retry_first, self._retry_delay * 2)
            )
            after = self._retry_delay
            if isinstance(exc, ApiError) and exc.retry_after:
                after = max(after, exc.retry_after)
            self._retry_manual = manual
            _start(self._retry, after)
            log.info("reserve activation will be retried in %.0f s", after)
        else:
            self.notice.emit(Notice.RESERVE_FAILED.value)
            if code == ErrorCode.ACCOUNT_REQUIRED.value:
                self.accountRequired.emit()

    def _retry_reserve(self) -> None:
        reserve = self._state.reserve if self._state else None
        if reserve is not None and reserve.status is ReserveStatus.FAILED:
            manual = self._retry_manual
            self._when_idle(lambda: self._start_reserve_activation(manual=manual))

    # --- removing ----------------------------------------------------------------------------

    def _start_remove(self, seat_id: str | None) -> None:
        assert self._state is not None
        token = self._state.license_token
        if token is None or (
            seat_id is not None and (self._license is None or self._license.seat_id != seat_id)
        ):
            self.removeFinished.emit(None)  # what the user meant to remove is gone already
            self._finish()
            return
        self._set_busy(Busy.REMOVING)

        def work() -> bool:
            try:
                return self.api.deactivate(token)
            except ApiError as exc:
                if exc.code is ErrorCode.UNAUTHORIZED:
                    return False  # the server does not know this license: nothing to free
                raise

        def done(outcome: Outcome[bool]) -> None:
            assert self._state is not None
            try:
                outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.removeFinished.emit(exc)
                self._finish()
                return
            self._unreachable = None
            self._license = None
            self._save_state(
                self._state.with_(license_token=None, blocked=False, devices_used=None)
            )
            self._give_failed_reserve_another_try()  # removing the license is a trigger too
            self.removeFinished.emit(None)
            self._finish()

        self._submit(work, done)

    def _start_remove_reserve(self) -> None:
        assert self._state is not None
        state = self._state
        self._retry.stop()
        self._save_state(state.with_(reserve=None))
        store, secret = self._store, self._reserve_secret(state)

        def work() -> None:
            if store is not None:
                store.delete(secret)

        def done(outcome: Outcome[None]) -> None:
            _log_failure("removing the reserve code from the store")(outcome)
            self._finish()

        self._set_busy(Busy.SAVING)
        self._submit(work, done)

    # --- status sync ------------------------------------------------------------------------

    def _sync_job_start(self) -> None:
        assert self._state is not None
        state = self._state
        self._sync_timer.stop()
        self._set_busy(Busy.SYNCING)

        def work() -> tuple[dict[str, Any] | None, License | None]:
            if not state.license_token:
                self.api.health()
                return None, None
            answer = self.api.status(state.license_token)
            if not answer.get("seat"):
                return answer, None
            return answer, self._verify(str(answer["license"]), state.device_id)

        self._submit(work, self._synced)

    def _synced(self, outcome: Outcome[tuple[dict[str, Any] | None, License | None]]) -> None:
        assert self._state is not None
        try:
            answer, fresh = outcome.get()
        except ApiError as exc:
            self._note_reachability(exc)
            if not exc.transient:
                log.warning("status sync refused: %s", exc.message)
                _start(self._sync_timer, self.timing.sync_interval)
            self._finish()
            return
        except Exception as exc:
            log.error("status sync failed: %s", type(exc).__name__)
            self._schedule_sync_retry()
            self._finish()
            return
        self._unreachable = None
        self._sync_delay = 0.0
        _start(self._sync_timer, self.timing.sync_interval)
        state = self._state.with_(checked_at=utcnow())
        if answer is not None:
            state = state.with_(account_email=answer.get("account") or state.account_email)
            if fresh is None:
                # The server no longer holds this seat: the license was removed elsewhere.
                self._license = None
                state = state.with_(license_token=None, blocked=False, devices_used=None)
                if state.reserve is None:
                    self.notice.emit(Notice.LICENSE_GONE.value)
                else:
                    state = state.with_(reserve=_with_status(state.reserve, ReserveStatus.SAVED))
            else:
                newly_blocked = bool(answer.get("blocked")) and not state.blocked
                unblocked = state.blocked and not answer.get("blocked")
                if unblocked and state.reserve is not None:
                    state = state.with_(reserve=_with_status(state.reserve, ReserveStatus.SAVED))
                self._license = fresh
                state = state.with_(
                    license_token=fresh.token,
                    blocked=bool(answer.get("blocked")),
                    devices_used=answer.get("devices_used"),
                )
                if newly_blocked:
                    self.notice.emit(Notice.LICENSE_BLOCKED.value)
        self._save_state(state)
        reserve = state.reserve
        if reserve is not None and reserve.failure_transient and self._retry.isActive():
            _start(self._retry, 0)  # the server answers again: retry the reserve now
        self._finish()

    def _note_reachability(self, exc: ApiError) -> None:
        """Remember whether the server answered; if not, look for it again soon."""
        self._unreachable = exc.unreachable
        if exc.unreachable or exc.transient:
            self._schedule_sync_retry()

    def _schedule_sync_retry(self) -> None:
        self._sync_delay = min(
            self.timing.unreachable_retry_max,
            max(self.timing.retry_first, self._sync_delay * 2),
        )
        if not self._sync_timer.isActive() or self._sync_timer.remainingTime() > (
            self._sync_delay * 1000
        ):
            _start(self._sync_timer, self._sync_delay)

    # --- accounts -----------------------------------------------------------------------------

    def _start_sign_in(self, email: str, password: str) -> None:
        assert self._state is not None
        device_id = self._state.device_id
        self._set_busy(Busy.SIGNING_IN)

        def done(outcome: Outcome[str]) -> None:
            assert self._state is not None
            try:
                signed_in = outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.signInFinished.emit(exc)
                self._finish()
                return
            self._unreachable = None
            self._save_state(self._state.with_(account_email=signed_in))
            self.signInFinished.emit(None)
            reserve = self._state.reserve
            if (
                reserve is not None
                and reserve.status is ReserveStatus.FAILED
                and reserve.failure == ErrorCode.ACCOUNT_REQUIRED.value
            ):
                self._pending.append(lambda: self._start_reserve_activation(manual=True))
            self._finish()

        self._submit(lambda: self.api.sign_in(email, password, device_id), done)


def _reserve_from(info: dict[str, Any]) -> Reserve:
    """The reserve as the server described it when it accepted it."""
    now = utcnow()
    return Reserve(
        last5=str(info["code_last5"]),
        type=str(info["type"]),
        term_seconds=int(info["term_seconds"]),
        max_devices=int(info["max_devices"]),
        expires_at=_moment(info["expires_at"]) or now,
        takes_over_at=_moment(info["takes_over_at"]) or now,
        saved_at=now,
    )


def _with_status(
    reserve: Reserve,
    status: ReserveStatus,
    failure: str | None = None,
    message: str | None = None,
    *,
    transient: bool = False,
) -> Reserve:
    return replace(
        reserve,
        status=status,
        failure=failure,
        failure_message=message,
        failure_transient=transient,
    )


def _log_failure(what: str) -> Callable[[Outcome[Any]], None]:
    def done(outcome: Outcome[Any]) -> None:
        if outcome.error is not None:
            log.warning("%s failed: %s", what, type(outcome.error).__name__)

    return done


__all__ = [
    "LICENSE_NOT_VERIFIED",
    "LOCAL_PROBLEM",
    "RESERVE_CODE_MISSING",
    "Busy",
    "Engine",
    "Notice",
    "SaveOutcome",
    "SaveResult",
    "Snapshot",
    "Timing",
]
