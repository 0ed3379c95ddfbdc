"""The engine's operations on the device's account: signing in and out (with a one-time code
mailed to the owner when others' wrong passwords hold the e-mail back), and renaming the
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
        signInCodeSent: SignalInstance
        signOutFinished: SignalInstance

        @property
        def _dev(self) -> rules.Device: ...

        def _apply(self, step: rules.Step) -> bool: ...

        def _note_reachability(self, exc: ApiError | None) -> None: ...

        def refresh(self) -> None: ...

    def sign_in(self, email: str, password: str, one_time_code: str | None = None) -> None:
        """Connect the device to the account (``signInFinished``: None, or a Failure, whose
        ``reason`` tells ``email_limited`` from ``address_limited``). The server is told the
        device's name with it. ``one_time_code``: the code :meth:`send_sign_in_code` had
        mailed, which lets the right password in while the e-mail is held back."""
        code = "".join(one_time_code.split()) if one_time_code else None
        self._run.when_idle(lambda: self._start_sign_in(email, password, code or None))

    def send_sign_in_code(self, email: str, language: str = "en") -> None:
        """Have the server mail a one-time sign-in code to the account's owner, in
        ``language`` (``signInCodeSent``: None once the server took the request, or a
        Failure: ``rate_limited``/``mail_limited`` when asked too often, reason
        ``recovery_not_offered`` from a server that sends no e-mail). Nothing on the device
        changes."""
        self._run.when_idle(lambda: self._start_send_code(email, language))

    def sign_out(self) -> None:
        """Forget the account on this device (``signOutFinished``: None, or a Failure when
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

    def _start_sign_in(self, email: str, password: str, code: str | None) -> None:
        device_id = self._dev.state.device_id
        name = account.device_name(self._dev.state)
        self._run.begin(Busy.SIGNING_IN)

        def done(outcome: Outcome[str]) -> None:
            try:
                signed_in = outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.signInFinished.emit(exc.failure)
                return
            self._note_reachability(None)
            self._apply(account.signed_in(self._dev, signed_in, name))
            self.signInFinished.emit(None)

        def work() -> str:
            if code is None:
                return self._io.sign_in(email, password, device_id, name)
            return self._io.api.sign_in(email, password, device_id, name, code)

        self._run.submit(work, done)

    def _start_send_code(self, email: str, language: str) -> None:
        self._run.begin(Busy.SENDING_CODE)

        def done(outcome: Outcome[None]) -> None:
            try:
                outcome.get()
            except ApiError as exc:
                self._note_reachability(exc)
                self.signInCodeSent.emit(exc.failure)
                return
            self._note_reachability(None)
            self.signInCodeSent.emit(None)

        self._run.submit(lambda: self._io.api.send_sign_in_code(email, language), done)

    def _start_sign_out(self) -> None:
        kept = self._apply(rules.Step(account.signed_out(self._dev)))
        unwritable = self._unwritable if not kept else None
        self.signOutFinished.emit(outcomes.unwritable(unwritable) if unwritable else None)
        self._run.finish()
