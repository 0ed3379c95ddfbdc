"""Windows built by ``build_main_window`` against the real server, driven through widgets."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.gui.main_window import MainWindow
from app.server.services import Services
from tests.gui.driver import Driver
from tests.keyrings import MemoryKeyring
from tests.servers import RunningServer

MakeWindow = Callable[..., Driver]


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every window test stores codes in memory: no OS keyring prompt, nothing left behind."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def make_window(
    qtbot: QtBot, tmp_path: Path, server: RunningServer, services: Services
) -> Iterator[MakeWindow]:
    """Build windows (one data directory each unless given); all are shut down afterwards."""
    from app.gui import build_main_window

    built: list[MainWindow] = []

    def make(
        data_dir: Path | None = None,
        server_url: str | None = None,
        language: str = "en",
        *,
        embedded: bool = False,
        fast: bool = True,
        read_timeout: float = 10.0,
        wait: bool = True,
    ) -> Driver:
        folder = data_dir or tmp_path / f"device-{uuid.uuid4().hex[:8]}"
        url = None if embedded else server_url or server.url
        window = build_main_window(data_dir=folder, server_url=url, language=language)
        window.engine.api.connect_timeout = 2.0
        window.engine.api.read_timeout = read_timeout
        if fast:
            window.engine.timing.retry_first = 0.3
            window.engine.timing.retry_max = 2.0
            window.engine.timing.unreachable_retry_max = 1.0
            window.engine.timing.clock_check = 0.5
        qtbot.addWidget(window)
        built.append(window)
        window.show()
        driver = Driver(qtbot, window, services, folder)
        if wait:
            driver.wait_loaded()
        return driver

    yield make
    for window in built:
        window.shutdown()
