"""A test driver for a real device engine against the real server: :class:`EngineDevice`
(an ``Engine`` on a data directory of its own, its secrets in an in-memory keyring, driven
through its signals with ``qtbot``), and :func:`keyring_in_memory` to put that keyring in
place for a test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
from pytestqt.qtbot import QtBot

from app.client.api import CONNECT_TIMEOUT, ActivationApi
from app.client.secrets import KeyringStore
from app.engine.engine import Engine
from app.engine.local import RESERVE_SECRET
from app.engine.vocabulary import Notice, SaveResult, Timing
from tests.keyrings import MemoryKeyring
from tests.server.console import PASSWORD

#: How long a signal or condition may take before the test fails.
WAIT_MS = 15_000
#: The keyring service the engines keep their secrets under.
KEYRING = "Standby-engine-test"


@contextmanager
def keyring_in_memory() -> Iterator[MemoryKeyring]:
    """For the block, a fresh in-memory keyring in place of the machine's (put back after)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


class EngineDevice:
    """An engine on a data directory of its own, against the server at ``url``; the notices
    it gives are kept in :attr:`notices`. The caller shuts ``engine`` down."""

    def __init__(
        self,
        qtbot: QtBot,
        folder: Path,
        url: str,
        *,
        timing: Timing | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.qtbot = qtbot
        api = ActivationApi(url, connect_timeout=connect_timeout)
        self.engine = Engine(folder, api, lambda: KeyringStore(KEYRING), timing=timing)
        self.notices: list[str] = []
        self.engine.notice.connect(self.notices.append)
        with qtbot.waitSignal(self.engine.changed, check_params_cb=lambda: self.loaded):
            self.engine.start()
        self.wait_idle()

    @property
    def loaded(self) -> bool:
        return self.engine.snapshot.loaded

    @property
    def device_id(self) -> str:
        device_id = self.engine.snapshot.device_id
        assert device_id is not None
        return device_id

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.engine.idle, timeout=WAIT_MS)

    def save(self, code: str) -> SaveResult:
        with self.qtbot.waitSignal(self.engine.saveFinished, timeout=WAIT_MS) as saved:
            self.engine.save_code(code)
        self.wait_idle()
        return SaveResult(saved.args[0].result)

    def sign_in(self, email: str) -> None:
        """Signs in to the account ``email`` (made with ``tests.server.console.PASSWORD``)."""
        with self.qtbot.waitSignal(self.engine.signInFinished, timeout=WAIT_MS) as done:
            self.engine.sign_in(email, PASSWORD)
        assert done.args[0] is None
        self.wait_idle()

    def sync(self) -> None:
        with self.qtbot.waitSignal(self.engine.changed, timeout=WAIT_MS):
            self.engine.refresh()
        self.wait_idle()

    def until_notice(self, notice: Notice, act: Callable[[], None]) -> None:
        """Runs ``act`` and waits for the engine to give ``notice``, then to be idle."""
        with self.qtbot.waitSignal(
            self.engine.notice, timeout=WAIT_MS, check_params_cb=lambda told: told == notice
        ):
            act()
        self.wait_idle()

    def kept_code(self, backend: MemoryKeyring) -> str | None:
        """The reserve code in the device's secret store, if any."""
        return backend.passwords.get((KEYRING, RESERVE_SECRET.format(device_id=self.device_id)))
