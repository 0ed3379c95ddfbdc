from __future__ import annotations

import logging
import stat
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.compat import properties
from secretstorage.exceptions import LockedException

from app.client.secrets import (
    FileStore,
    KeyringStore,
    SecretStore,
    SecretStoreError,
    open_secret_store,
)
from tests.keyrings import MemoryKeyring

SERVICE = "standby-test"
CODE = "RSV-7Q2K-M9XD-4HTA"

InstallKeyring = Callable[[KeyringBackend], None]


class LockedKeyring(MemoryKeyring):
    """A keyring that exists but will not answer, like a locked one nobody unlocks."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class PlainTextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt, which writes passwords to disk without encryption."""

    __module__ = "keyrings.alt.file"


class BrokenPriorityKeyring(MemoryKeyring):
    """A backend whose priority check fails, as keyring backends do when unsuitable."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("The Secret Service daemon is neither running nor activatable")


class QuotingKeyring(MemoryKeyring):
    """Fails to store, and quotes the password it was given in its error."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"refused to store {password!r} for {username}")


class DeniedKeyring(MemoryKeyring):
    """Fails to store with a SecretStorage error, as a D-Bus Secret Service can."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise LockedException("Item is locked!")


@pytest.fixture
def install_keyring() -> Iterator[InstallKeyring]:
    """Lets a test choose the process-wide keyring backend; the previous one comes back after."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


@pytest.fixture
def memory(install_keyring: InstallKeyring) -> MemoryKeyring:
    backend = MemoryKeyring()
    install_keyring(backend)
    return backend


def test_keyring_store_round_trip(memory: MemoryKeyring) -> None:
    store = KeyringStore(SERVICE)

    assert store.get("reserve-1") is None
    store.set("reserve-1", CODE)
    assert store.get("reserve-1") == CODE
    assert memory.passwords == {(SERVICE, "reserve-1"): CODE}

    store.set("reserve-1", "RSV-NEW")
    assert store.get("reserve-1") == "RSV-NEW"

    store.delete("reserve-1")
    assert store.get("reserve-1") is None
    store.delete("reserve-1")  # already gone: no error
    assert memory.passwords == {}


def test_open_secret_store_uses_a_usable_keyring(
    memory: MemoryKeyring, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fallback = tmp_path / "secrets.json"

    with caplog.at_level(logging.WARNING, logger="standby.secrets"):
        store = open_secret_store(SERVICE, fallback)
    store.set("reserve-1", CODE)

    assert isinstance(store, KeyringStore)
    assert store.secure is True
    assert "MemoryKeyring" in store.location
    assert memory.passwords == {(SERVICE, "reserve-1"): CODE}
    assert not fallback.exists()
    assert caplog.records == []


@pytest.mark.parametrize(
    "backend_class",
    [
        pytest.param(fail.Keyring, id="no-keyring"),
        pytest.param(null.Keyring, id="null-keyring"),
        pytest.param(LockedKeyring, id="probe-raises"),
        pytest.param(BrokenPriorityKeyring, id="priority-raises"),
        pytest.param(PlainTextKeyring, id="plain-text-keyring"),
    ],
)
def test_open_secret_store_falls_back_to_a_private_file(
    install_keyring: InstallKeyring,
    backend_class: type[KeyringBackend],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = backend_class()
    install_keyring(backend)
    fallback = tmp_path / "config" / "secrets.json"

    with caplog.at_level(logging.INFO, logger="standby.secrets"):
        store = open_secret_store(SERVICE, fallback)
        store.set("reserve-1", CODE)

    assert isinstance(store, FileStore)
    assert store.secure is False
    assert store.location == str(fallback)
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o600
    assert FileStore(fallback).get("reserve-1") == CODE
    # Logged (to the log file, not the terminal: the window says so), never with the code.
    said = [record for record in caplog.records if "No usable OS keyring" in record.getMessage()]
    assert len(said) == 1
    assert said[0].levelno == logging.INFO
    assert str(fallback) in said[0].getMessage()
    assert CODE not in caplog.text
    if isinstance(backend, MemoryKeyring):
        assert backend.passwords == {}  # nothing leaked into the rejected keyring


def test_open_secret_store_works_from_a_worker_thread(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    stores: list[SecretStore] = []
    worker = threading.Thread(
        target=lambda: stores.append(open_secret_store(SERVICE, tmp_path / "secrets.json"))
    )
    worker.start()
    worker.join(timeout=10)

    assert len(stores) == 1
    assert stores[0].secure is True


@pytest.mark.parametrize("backend_class", [QuotingKeyring, DeniedKeyring])
def test_keyring_errors_never_show_the_secret(
    install_keyring: InstallKeyring, backend_class: type[MemoryKeyring]
) -> None:
    install_keyring(backend_class())
    store = KeyringStore(SERVICE)

    with pytest.raises(SecretStoreError) as raised:
        store.set("reserve-1", CODE)

    assert "reserve-1" in str(raised.value)
    assert CODE not in str(raised.value)
    assert CODE not in repr(raised.value)
    assert CODE not in "".join(traceback.format_exception(raised.value))


def test_keyring_errors_on_read_and_delete_become_secret_store_errors(
    install_keyring: InstallKeyring,
) -> None:
    no_keyring: type[KeyringBackend] = fail.Keyring
    install_keyring(no_keyring())
    store = KeyringStore(SERVICE)

    with pytest.raises(SecretStoreError, match="reserve-1"):
        store.get("reserve-1")
    with pytest.raises(SecretStoreError, match="reserve-1"):
        store.delete("reserve-1")


def test_file_store_round_trip_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    store = FileStore(path)

    assert store.get("reserve-1") is None
    store.delete("reserve-1")  # nothing there yet: no error, no file
    assert not path.exists()

    store.set("reserve-1", CODE)
    store.set("reserve-2", "RSV-SECOND")
    store.delete("reserve-2")

    reopened = FileStore(path)
    assert reopened.get("reserve-1") == CODE
    assert reopened.get("reserve-2") is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"reserve-1": "RSV-7Q2K', id="truncated"),
        pytest.param(b"\xff\xfe garbage", id="not-text"),
        pytest.param(b'["RSV-7Q2K-M9XD-4HTA"]', id="not-an-object"),
        pytest.param(b'{"reserve-1": 42}', id="value-not-text"),
    ],
)
def test_file_store_refuses_a_damaged_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "secrets.json"
    path.write_bytes(content)
    path.chmod(0o600)
    store = FileStore(path)

    with pytest.raises(SecretStoreError, match="damaged") as raised:
        store.get("reserve-1")
    assert str(path) in str(raised.value)
    assert CODE not in str(raised.value)

    with pytest.raises(SecretStoreError, match="damaged"):
        store.set("reserve-2", "RSV-SECOND")
    assert path.read_bytes() == content  # the damaged file is kept for the user to recover


def test_file_store_makes_a_readable_file_private_again(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    path.write_text(f'{{"reserve-1": "{CODE}"}}', encoding="utf-8")
    path.chmod(0o644)

    assert FileStore(path).get("reserve-1") == CODE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
