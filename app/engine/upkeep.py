"""The engine's operations that keep the device in step with the server: believing what
it holds (checked against the pinned keys, or asked back from the server), removing the
license or the reserve, giving back seats and the status sync.

A part of :class:`~app.engine.engine.Engine` (it inherits these), kept in a module of its
own for size; it works on the engine's state only through ``_apply``, like the rest.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from app.client.api import ApiError
from app.client.secrets import SecretStoreError
from app.client.tokens import License
from app.domain.errors import REASON_NOT_SIGNED, REASON_OTHER_DEVICE, ErrorCode
from app.engine import account, outcomes, restoring, rules
from app.engine.jobs import Outcome
from app.engine.loading import Confirmed
from app.engine.restoring import RestoreAnswer
from app.engine.vocabulary import Busy, Notice

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.engine.clock import Clock
    from app.engine.effects import DeviceIO
    from app.engine.runner import Runner
    from app.engine.schedule import Schedule

log = logging.getLogger("standby.license")
#: Reasons of an ``unauthorized`` answer to a status check that disown the license: the
#: server did not sign it, or not for this device (None: a server from before reasons).
DISOWNED = (REASON_NOT_SIGNED, REASON_OTHER_DEVICE, None)


class Upkeep:
    #: What of ours stopped the last sync (the keyring, a file), until one succeeds.
    sync_failure: str | None = None

    if TYPE_CHECKING:  # what it uses of the engine
        _device: rules.Device | None
        _run: Runner
        _io: DeviceIO
        _schedule: Schedule
        _clock: Clock
        _not_proven: str | None
        notice: SignalInstance
        removeFinished: SignalInstance
        reserveRemoved: SignalInstance
        _unwritable: OSError | None
        _key_missing: bool

        @property
        def _dev(self) -> rules.Device: ...

        def _apply(self, step: rules.Step) -> bool: ...

        def _writable(self) -> OSError | None: ...

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
        unwritable = self._writable()
        if unwritable is not None:  # the seat is not freed if the device could not say so
            self.removeFinished.emit(outcomes.unwritable(unwritable))
            self._run.finish()
            return
        self._run.begin(Busy.REMOVING)

        def done(outcome: Outcome[None]) -> None:
            try:
                outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.removeFinished.emit(exc.failure)
                return
            self._note_reachability(None)
            kept = self._apply(rules.Step(rules.license_removed(self._dev)))
            unkept = self._unwritable if not kept else None
            failure = outcomes.unwritable(unkept, done_on_server=True) if unkept else None
            self.removeFinished.emit(failure)

        self._run.submit(lambda: self._io.deactivate(token), done)

    def _start_remove_reserve(self) -> None:
        """The reserve is forgotten and its held seat queued to be freed, in one write,
        before the server is asked: a seat freed is never a reserve saved after a restart.
        When that write fails, nothing changes (``reserveRemoved`` says why)."""
        device = self._dev
        device_id, reserve = device.state.device_id, device.state.reserve
        if reserve is None:
            self.reserveRemoved.emit(None)
            self._run.finish()
            return
        held = reserve.license_token
        releases = device.state.releases
        if held is not None and held not in releases:
            releases = (*releases, held)
        if not self._apply(rules.Step(device.with_state(reserve=None, releases=releases))):
            assert self._unwritable is not None
            self._device = device  # not kept: not done
            self.reserveRemoved.emit(outcomes.unwritable(self._unwritable))
            self._run.finish()
            return
        self._schedule.cancel_retry()
        if held is not None:
            self._release()  # its held seat
        self.reserveRemoved.emit(None)
        self._run.begin(Busy.SAVING)

        def done(outcome: Outcome[None]) -> None:
            if outcome.error is not None:
                log.warning(
                    "removing the reserve code from the store failed: %s",
                    type(outcome.error).__name__,
                )

        self._run.submit(lambda: self._io.local.forget_reserve_code(device_id), done)

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

    # --- what the device holds, believed ----------------------------------------------------

    def _start_confirm(self) -> None:
        """The licenses checked against the keys pinned in the secret store (which may make
        this wait for the keyring): what the copy of the keys let through at start, or
        could not vouch for, is decided now."""
        self._run.begin(Busy.LOADING)
        state = self._dev.state
        self._run.submit(lambda: self._io.confirm(state), self._confirmed)

    def _confirmed(self, outcome: Outcome[Confirmed]) -> None:
        try:
            confirmed = outcome.get()
        except Exception as exc:  # the store could not be had: the next use says so
            log.warning("the saved license could not be checked: %s", type(exc).__name__)
            return
        self._key_missing = confirmed.key_missing
        lic = confirmed.license
        if lic is None and confirmed.state.license_token == self._dev.state.license_token:
            lic = self._dev.license  # not checked now (no store): the copy of the keys vouched
        self._apply(rules.Step(replace(self._dev, state=confirmed.state, license=lic)))
        if confirmed.rejected:
            self.notice.emit(Notice.LICENSE_REJECTED.value)

    # --- status sync ------------------------------------------------------------------------

    def _start_sync(self) -> None:
        if self._dev.state.recovery is not None:  # what it holds first, from the server
            self._start_restore()
            return
        state = self._dev.state
        self._schedule.sync_later()
        self._run.begin(Busy.SYNCING)
        self._run.submit(lambda: self._io.sync(state), self._synced, yielding=self._start_sync)

    def _synced(self, outcome: Outcome[tuple[rules.SyncAnswer | None, License | None]]) -> None:
        try:
            status, fresh = outcome.get()
        except ApiError as exc:
            self._note_reachability(exc)
            if not exc.failure.transient:
                log.warning("status sync refused: %s", exc.failure.message)
                self._note_proof(exc)
            if exc.failure.error is ErrorCode.UNAUTHORIZED and exc.failure.reason in DISOWNED:
                # The server's word wins: the license is not believed, and the device asks
                # the server for the one it really holds.
                self._apply(rules.Step(rules.license_rejected(self._dev)))
                self.notice.emit(Notice.LICENSE_REJECTED.value)
                self._run.next(self._start_restore)
            return
        except Exception as exc:
            self._sync_failed(exc)
            return
        self._answered(status.server_time if status is not None else None)
        self._apply(account.synced(self._dev, status, fresh, self._clock.now()))
        self._release()  # what the server could not free while it was away
        reserve = self._dev.state.reserve
        if reserve is not None and reserve.failure_transient:
            self._schedule.retry_now_if_waiting()  # the server answers again: retry now

    def _start_restore(self) -> None:
        device_id = self._dev.state.device_id
        self._schedule.sync_later()
        self._run.begin(Busy.SYNCING)
        log.info("asking the activation server what this device holds")
        self._run.submit(
            lambda: self._io.restore(device_id), self._restored, yielding=self._start_sync
        )

    def _restored(self, outcome: Outcome[RestoreAnswer]) -> None:
        try:
            answer = outcome.get()
        except ApiError as exc:
            self._note_reachability(exc)
            self._note_proof(exc)
            if exc.failure.error is ErrorCode.NOT_FOUND and exc.failure.reason is None:
                # A server from before restoring: the device goes on with what it has.
                log.warning("the activation server cannot say what this device holds")
                self._apply(rules.Step(self._dev.with_state(recovery=None)))
            elif not exc.failure.transient:
                log.warning("the activation server did not say what this device holds: %s", exc)
            return
        except Exception as exc:
            self._sync_failed(exc)
            return
        self._answered(answer.server_time)
        self._apply(account.heard(restoring.restored(self._dev, answer, self._clock.now())))
        held = self._dev.state.reserve
        log.info(
            "the activation server said what this device holds: %s, %s",
            f"a license ending {self._dev.license.expires_at:%Y-%m-%d %H:%M}"
            if self._dev.license
            else "no license",
            f"a reserve code (•••••-{held.last5})" if held else "no reserve code",
        )
        self._release()

    def _sync_failed(self, exc: Exception) -> None:
        """Our own trouble stopped a sync (the keyring, a file): tried again soon."""
        self.sync_failure = str(exc) if isinstance(exc, SecretStoreError) else type(exc).__name__
        log.error("the check with the activation server failed: %s", self.sync_failure)
        self._schedule.sync_soon()

    def _answered(self, server_time: datetime | None) -> None:
        """The server answered a sync (at ``server_time`` by its clock)."""
        self.sync_failure = None
        self._note_reachability(None)
        self._not_proven = None
        self._schedule.sync_answered()
        self._clock.heard(server_time)

    def _note_proof(self, exc: ApiError) -> None:
        """The server did (not) take the call as this device's: why not, if it did not."""
        if exc.failure.error is ErrorCode.DEVICE_NOT_PROVEN:
            self._not_proven = exc.failure.reason or ErrorCode.DEVICE_NOT_PROVEN.value
