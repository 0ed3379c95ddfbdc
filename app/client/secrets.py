"""Where the client keeps its secrets: the OS keyring, or a private file when there is none.

Activation codes are secrets: anyone who reads one can activate the product as this user. So
they go to the operating system's keyring (Secret Service, KWallet, macOS Keychain, Windows
Credential Manager) whenever a usable one exists. Some machines have none, such as a minimal
Linux desktop or a headless box, and for those the codes go to a JSON file only the user can
read (mode 0600). That is weaker protection, so the choice is never silent: a warning is logged
here, and the caller shows the user ``SecretStore.secure`` and ``SecretStore.location`` so the
UI can say where the codes are kept.

No Qt here: ``open_secret_store`` may block (a keyring can be slow or ask to be unlocked), so
the UI calls it from a worker thread.
"""

from __future__ import annotations

import abc
import json
import logging
import os
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.client.files import atomic_write

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring (about 0.1 s to import, bench/imports.py) is imported when the store is first used, not
# when the engine loads.

__all__ = [
    "FileStore",
    "KeyringStore",
    "SecretStore",
    "SecretStoreError",
    "open_secret_store",
]

log = logging.getLogger("standby.secrets")

PROBE_NAME = "__probe__"
"""The entry name read once to check that a keyring answers; nothing is ever stored under it."""

_PLAINTEXT_MODULES = ("keyrings.alt",)
"""Backend packages that keep secrets as plain (or trivially encoded) text: never trusted."""

_FRIENDLY_NAMES = {
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service (libsecret)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}

_REDACTED = "[redacted]"


class SecretStoreError(Exception):
    """A secret could not be read, stored or deleted. The message never holds a secret value."""


class SecretStore(abc.ABC):
    """Named secrets (text) kept somewhere outside the program's ordinary settings."""

    secure: bool
    """True when an OS keyring holds the secrets, False for the plain private file."""

    location: str
    """Where the secrets are, for people: a keyring's name or the file's path."""

    @abc.abstractmethod
    def get(self, name: str) -> str | None:
        """The secret stored under ``name``, or None when there is none."""

    @abc.abstractmethod
    def set(self, name: str, value: str) -> None:
        """Store ``value`` under ``name``, replacing any earlier value."""

    @abc.abstractmethod
    def delete(self, name: str) -> None:
        """Forget the secret under ``name``; nothing happens when there is none."""


def _check_name(name: str) -> None:
    if not name:
        raise ValueError("a secret needs a non-empty name")


class KeyringStore(SecretStore):
    """Secrets in the OS keyring through the ``keyring`` package, one entry per name."""

    def __init__(self, service: str) -> None:
        if not service:
            raise ValueError("the keyring service name must not be empty")
        self.service = service
        self.secure = True
        import keyring  # here, not at the top: the window shows before it is needed

        try:
            self.location = describe_backend(keyring.get_keyring())
        except Exception:  # the name is only for display; the calls below report real errors
            self.location = "OS keyring"

    def get(self, name: str) -> str | None:
        _check_name(name)
        import keyring

        try:
            return keyring.get_password(self.service, name)
        except Exception as error:  # keyring, D-Bus and SecretStorage errors all end here
            raise self._error("read", name, error) from error

    def set(self, name: str, value: str) -> None:
        _check_name(name)
        import keyring

        try:
            keyring.set_password(self.service, name, value)
        except Exception as error:  # keyring, D-Bus and SecretStorage errors all end here
            detail = _describe_error(error)
            if value and _mentions(error, value):
                # The backend quoted the secret: drop it from the message and leave the
                # original exception out of the chain so no traceback can print it either.
                raise self._error("store", name, detail.replace(value, _REDACTED)) from None
            raise self._error("store", name, detail) from error

    def delete(self, name: str) -> None:
        _check_name(name)
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError as error:
            # Backends raise this both for "no such entry" and for real failures; tell them
            # apart by looking: if the entry is gone, the wish is fulfilled.
            if self.get(name) is not None:
                raise self._error("delete", name, error) from error
        except Exception as error:  # keyring, D-Bus and SecretStorage errors all end here
            raise self._error("delete", name, error) from error

    def _error(self, action: str, name: str, error: BaseException | str) -> SecretStoreError:
        detail = error if isinstance(error, str) else _describe_error(error)
        return SecretStoreError(
            f"could not {action} secret {name!r} in {self.location} "
            f"(service {self.service!r}): {detail}"
        )


def _describe_error(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _mentions(error: BaseException, value: str) -> bool:
    """Whether ``value`` shows in the text of ``error`` or of any exception chained to it."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if value in str(current) or any(value in repr(arg) for arg in current.args):
            return True
        current = current.__cause__ or current.__context__
    return False


class FileStore(SecretStore):
    """Secrets as one JSON object ``{name: value}`` in a file only the user can read (0600).

    A file that is not such an object is an error, never an empty store: treating it as empty
    would make the next ``set`` overwrite, and so lose, every code in it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.secure = False
        self.location = str(path)
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        _check_name(name)
        with self._lock:
            return self._read().get(name)

    def set(self, name: str, value: str) -> None:
        _check_name(name)
        with self._lock:
            secrets = self._read()
            secrets[name] = value
            self._write(secrets)

    def delete(self, name: str) -> None:
        _check_name(name)
        with self._lock:
            secrets = self._read()
            if name not in secrets:
                return
            del secrets[name]
            self._write(secrets)

    def _read(self) -> dict[str, str]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise SecretStoreError(
                f"could not read the secret file {self.path}: {error.strerror or error}"
            ) from error
        self._tighten_mode()
        try:
            loaded = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise SecretStoreError(
                f"the secret file {self.path} is damaged (not UTF-8 text); "
                "restore it from a backup or remove it"
            ) from None
        except json.JSONDecodeError as error:
            # ``from None``: the decode error carries the whole document, secrets included.
            raise SecretStoreError(
                f"the secret file {self.path} is damaged (not valid JSON at line "
                f"{error.lineno}, column {error.colno}); restore it from a backup or remove it"
            ) from None
        if not isinstance(loaded, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in loaded.items()
        ):
            raise SecretStoreError(
                f"the secret file {self.path} is damaged (not an object of text values); "
                "restore it from a backup or remove it"
            )
        return dict(loaded)

    def _write(self, secrets: dict[str, str]) -> None:
        data = json.dumps(secrets, indent=2, sort_keys=True).encode("utf-8") + b"\n"
        try:
            atomic_write(self.path, data, mode=0o600)
        except OSError as error:
            raise SecretStoreError(
                f"could not write the secret file {self.path}: {error.strerror or error}"
            ) from error

    def _tighten_mode(self) -> None:
        """Make a file that others could read private again (someone copied or restored it)."""
        if os.name != "posix":
            return
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
            if mode & 0o077:
                os.chmod(self.path, mode & 0o700)
                log.warning(
                    "The secret file %s was readable by other users (mode %o); made it private",
                    self.path,
                    mode,
                )
        except OSError as error:
            log.warning("Could not check the permissions of %s: %s", self.path, error)


def describe_backend(backend: KeyringBackend) -> str:
    """A name for people of where ``backend`` keeps secrets, such as "Secret Service"."""
    target = _write_target(backend)
    module = type(target).__module__
    for prefix, friendly in _FRIENDLY_NAMES.items():
        if module == prefix or module.startswith(prefix + "."):
            return friendly
    try:
        return str(target.name)
    except Exception:  # a third-party backend's name property can fail like its priority
        return type(target).__name__


def _write_target(backend: KeyringBackend) -> KeyringBackend:
    """The backend that receives writes: a chainer hands them to its first backend."""
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        chained: list[KeyringBackend] = list(backend.backends)
        if chained:
            return chained[0]
    return backend


def _unusable_reason(service: str) -> tuple[KeyringBackend | None, str | None]:
    """The current keyring backend and why it cannot hold secrets (None when it can)."""
    import keyring
    from keyring.backends import chainer, fail

    try:
        backend = keyring.get_keyring()
    except Exception as error:
        return None, f"the keyring could not be loaded ({_describe_error(error)})"
    if isinstance(backend, fail.Keyring):
        return backend, "no keyring backend is available"
    try:
        target = _write_target(backend)
        if isinstance(target, chainer.ChainerBackend):
            return backend, "the keyring chainer found no backends"
        priority = float(backend.priority)
    except Exception as error:
        return backend, f"the keyring backend is not suitable ({_describe_error(error)})"
    if priority <= 0:
        return backend, f"the keyring backend {type(backend).__name__} is not recommended"
    module = type(target).__module__
    if any(module == name or module.startswith(name + ".") for name in _PLAINTEXT_MODULES):
        return backend, f"the keyring backend {module} stores secrets as plain text"
    try:
        backend.get_password(service, PROBE_NAME)
    except Exception as error:  # locked, no daemon, D-Bus failures, ...
        return backend, f"the keyring did not answer ({_describe_error(error)})"
    return backend, None


def open_secret_store(service: str, fallback_path: Path) -> SecretStore:
    """The OS keyring when a usable one exists, else a private file at ``fallback_path``.

    May block while the keyring answers its probe, so call it off the UI thread. Falling back
    is logged as a warning; the caller should show ``secure`` and ``location`` to the user.
    """
    backend, reason = _unusable_reason(service)
    if reason is None and backend is not None:
        store = KeyringStore(service)
        log.info("Secrets are kept in the OS keyring (%s)", store.location)
        return store
    # The window says so; the terminal need not, at every start.
    log.info(
        "No usable OS keyring: %s. Secrets will be kept in %s, a file only this user can read, "
        "but not encrypted",
        reason,
        fallback_path,
    )
    return FileStore(fallback_path)
