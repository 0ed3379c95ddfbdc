"""The keyring may keep a call waiting (a prompt to unlock it, or to create a collection,
left open): every call to it gets a bounded wait, and the engine is told while one waits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from app.client.secrets import SecretStore, SecretStoreError

T = TypeVar("T")
#: How long one keyring call may wait for the user to answer its prompt.
KEYRING_WAIT = 120.0
#: A keyring call that takes longer than this is waiting for the user (a prompt).
MOMENT_MS = 1000


class KeyringWatch(QObject):
    """Whether a keyring call has been waiting for more than a moment, on the engine's
    thread: ``asked`` comes from the worker (a call started, True, or ended, False)."""

    asked = Signal(bool)
    changed = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.waiting = False
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.timeout.connect(lambda: self._set(True))
        self.asked.connect(self._asked)

    def _asked(self, asking: bool) -> None:
        if asking:
            self._slow.start(MOMENT_MS)
        else:
            self._slow.stop()
            self._set(False)

    def _set(self, waiting: bool) -> None:
        if waiting != self.waiting:
            self.waiting = waiting
            self.changed.emit()


class Patience:
    """Runs keyring calls with a bounded wait, telling ``waiting(True/False)`` around each."""

    def __init__(self, waiting: Callable[[bool], None] | None = None) -> None:
        self.waiting = waiting
        self.limit: Callable[[], float] = lambda: KEYRING_WAIT

    def __call__(self, call: Callable[[], T]) -> T:
        box: list[T] = []
        failure: list[BaseException] = []
        done = threading.Event()

        def run() -> None:
            try:
                box.append(call())
            except BaseException as exc:  # handed to the caller below
                failure.append(exc)
            finally:
                done.set()

        if self.waiting is not None:
            self.waiting(True)
        try:
            # A thread of its own: a prompt nobody answers must not hold the worker for ever.
            threading.Thread(target=run, name="standby-keyring", daemon=True).start()
            limit = self.limit()
            if not done.wait(limit):
                raise SecretStoreError(
                    f"the keyring did not answer within {limit:.0f} s (a prompt may be open)"
                )
        finally:
            if self.waiting is not None:
                self.waiting(False)
        if failure:
            raise failure[0]
        return box[0]


class PatientStore(SecretStore):
    """A secret store whose every call waits at most as long as ``patience`` allows."""

    def __init__(self, store: SecretStore, patience: Patience) -> None:
        self.inner, self.patience = store, patience
        self.secure, self.location = store.secure, store.location

    def get(self, name: str) -> str | None:
        return self.patience(lambda: self.inner.get(name))

    def set(self, name: str, value: str) -> None:
        self.patience(lambda: self.inner.set(name, value))

    def delete(self, name: str) -> None:
        self.patience(lambda: self.inner.delete(name))
