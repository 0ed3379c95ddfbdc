"""The engine's operations on the device's account: signing in and out, and renaming the
device (the name the account console shows). The rules are :mod:`app.engine.account`.

A part of :class:`~app.engine.engine.Engine` (it inherits these), kept in a module of its
own for size; it works on the engine's state only through ``_apply``, like the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.client.api import ApiError
from app.engine import account, outcomes, rules
from app.engine.jobs import Outcome
from app.engine.vocabulary import Busy

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.engine.effects import DeviceIO
    from app.engine.runner import Runner


class AccountOps:
    if TYPE_CHECKING:  # what it uses of the engine
        _device: rules.Device | None
        _run: Runner
        _io: DeviceIO
        _unwritable: OSError | None
        changed: SignalInstance
        signInFinished: SignalInstance
        signOutFinished: SignalInstance

        @property
        def _dev(self) -> rules.Device: ...

        def _apply(self, step: rules.Step) -> bool: ...

        def _note_reachability(self, exc: ApiError | None) -> None: ...

        def refresh(self) -> None: ...

    def sign_in(self, email: str, password: str) -> None:
        """Connect the device to the account (``signInFinished``: None, or a Refusal). The
        server is told the device's name with it."""
        self._run.when_idle(lambda: self._start_sign_in(email, password))

    def sign_out(self) -> None:
        """Forget the account on this device (``signOutFinished``: None, or a Refusal when
        that could not be written). Local only: the server has no sign-out, and keeps the
        device linked until it is freed in the account console."""
        self._run.when_idle(self._start_sign_out)

    def rename_device(self, name: str) -> bool:
        """Call the device ``name`` (its host name until then); the server is told at the
        next sync, asked for now. False for a name that cannot be one (empty, or longer
        than 100 characters)."""
        if self._device is None:
            return False
        try:
            device = account.renamed(self._device, name)
        except ValueError:
            return False
        if device.state != self._device.state:
            self._apply(rules.Step(device))
            self.changed.emit()
            if device.state.license_token:
                self.refresh()
        return True

    def _start_sign_in(self, email: str, password: str) -> None:
        device_id = self._dev.state.device_id
        name = account.device_name(self._dev.state)
        self._run.begin(Busy.SIGNING_IN)

        def done(outcome: Outcome[str]) -> None:
            try:
                signed_in = outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.signInFinished.emit(outcomes.refusal(exc))
                return
            self._note_reachability(None)
            self._apply(account.signed_in(self._dev, signed_in, name))
            self.signInFinished.emit(None)

        self._run.submit(lambda: self._io.sign_in(email, password, device_id, name), done)

    def _start_sign_out(self) -> None:
        kept = self._apply(rules.Step(account.signed_out(self._dev)))
        unwritable = self._unwritable if not kept else None
        self.signOutFinished.emit(outcomes.unwritable(unwritable) if unwritable else None)
        self._run.finish()
