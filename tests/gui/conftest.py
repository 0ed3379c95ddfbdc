"""Windows built by ``build_main_window`` against the real server, driven through widgets."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.engine import engine as engine_module
from app.gui.main_window import MainWindow
from app.server.services import Services, store
from tests.clocks import MovableClock
from tests.gui.driver import Driver
from tests.keyrings import MemoryKeyring
from tests.servers import RunningServer, running_server

MakeWindow = Callable[..., Driver]


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every window test stores codes in memory: no OS keyring prompt, nothing left behind."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a module's :func:`clock` keeps how far ahead it is, for :func:`clocked_server`."""
    file = tmp_path_factory.mktemp("clock") / "ahead"
    MovableClock(file)  # nothing ahead yet: the server reads it from its start
    return file


@pytest.fixture(scope="module")
def clocked_server(
    clock_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A real server of the module's own (SQLite), reading its time from :func:`clock`.
    A module puts it in the place of ``server`` (and of ``services``, on its database)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('clocked-db') / 'standby.db'}"
    with running_server(url, clock=clock_file) as running:
        yield running


@pytest.fixture
def clock(clock_file: Path, monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    """The test's time, this computer's until the test moves it forward: read by every
    engine the test builds, by :func:`clocked_server` and by the services the test uses
    directly. The engines notice the move as they notice a computer waking from sleep."""
    moved = MovableClock(clock_file)
    monkeypatch.setattr(engine_module, "utcnow", moved.now)
    monkeypatch.setattr(store, "read_clock", moved.now)
    return moved


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
