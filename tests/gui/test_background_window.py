"""Background mode in one process: the engine works with no window; a window is a view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.engine.owner import Owner
from app.engine.vocabulary import Notice
from app.gui.host import Host
from app.server.services import Services
from tests.servers import RunningServer, issue_code

YEAR = 365 * 86400


@pytest.fixture
def host(tmp_path: Path, server: RunningServer) -> Iterator[Host]:
    data_dir = tmp_path / "device"
    data_dir.mkdir()
    owner = Owner(data_dir)
    assert owner.claim()
    running = Host(owner, data_dir, "en")
    running.run_in_background(server.url)
    yield running
    running.shutdown()


def test_a_takeover_with_no_window_is_shown_when_a_window_opens_and_closing_it_frees_it(
    qtbot: QtBot, host: Host, services: Services
) -> None:
    engine = host.engine
    assert engine is not None
    qtbot.waitUntil(lambda: engine.snapshot.loaded and engine.snapshot.busy is None)
    first, reserve = issue_code(services, 6), issue_code(services, YEAR)
    with qtbot.waitSignal(engine.saveFinished):
        engine.save_code(first)
    with qtbot.waitSignal(engine.saveFinished):
        engine.save_code(reserve)
    with qtbot.waitSignal(
        engine.notice, timeout=20_000, check_params_cb=lambda e: e == Notice.RESERVE_ACTIVATED
    ):
        pass
    assert host.window is None  # nothing built a window for it

    host.open_window()
    window = host.window
    assert window is not None
    qtbot.waitExposed(window)
    banner = window.findChild(QLabel, "notificationText")
    assert banner is not None
    assert "reserve activation code has been activated" in banner.text()

    with qtbot.waitSignal(window.destroyed):
        window.close()
    assert host.window is None
    # The engine goes on without it.
    assert engine.snapshot.license is not None
    assert engine.snapshot.license.code_last5 == reserve[-5:]
    with qtbot.waitSignal(engine.changed):
        engine.refresh()
