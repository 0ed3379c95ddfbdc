"""Keyring backends for tests: nothing here touches the machine's real keyring."""

from __future__ import annotations

import threading

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps passwords in a dict for the life of the object.

    keyring declares ``priority`` on ``KeyringBackend`` as a read-only classproperty typed
    ``float``; keyring only ever reads it (``cls.priority``, ``backend.priority``), so a plain
    class attribute of the same type overrides it.
    """

    priority: float = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None


class PromptingKeyring(MemoryKeyring):
    """A keyring that keeps every call waiting, as an open unlock or create-a-keyring
    prompt does, until :attr:`answered` is set; :attr:`asked` counts the calls."""

    def __init__(self) -> None:
        super().__init__()
        self.answered = threading.Event()
        self.asked = 0

    def _wait(self) -> None:
        self.asked += 1
        self.answered.wait(60)

    def get_password(self, service: str, username: str) -> str | None:
        self._wait()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._wait()
        super().delete_password(service, username)
