"""The channel a second ``standby`` uses to reach the one running: it says its version, so an
upgraded copy asking one still running from before the upgrade is told in words, and its
socket outlives the cleaners of ``XDG_RUNTIME_DIR``."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.engine import ask as ask_module
from app.engine import owner as owner_module
from app.engine.ask import CHANNEL_VERSION, NotAnswering, Reply, _exchange, ask, endpoint
from app.engine.owner import Owner

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the socket file is Unix's")


@pytest.fixture
def owner(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Owner]:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setattr(owner_module, "REFRESH_MS", 20)
    folder = tmp_path / "device"
    folder.mkdir()
    owner = Owner(folder)
    assert owner.claim()

    def answer(message: dict[str, Any], reply: Reply) -> None:
        reply({"status": 0, "out": f"seen {message.get('op')}\n"})

    owner.request.connect(answer)
    yield owner
    owner.release()


def _off_the_loop(qtbot: QtBot, call: Callable[[], Any]) -> Any:
    """``call`` on a thread of its own while this one runs the owner's event loop."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["value"] = call()
        except Exception as exc:  # handed to the test's thread
            done["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    if "error" in done:
        raise done["error"]
    return done["value"]


def test_a_request_of_this_version_is_answered_and_says_its_version(
    qtbot: QtBot, owner: Owner
) -> None:
    answer = _off_the_loop(qtbot, lambda: ask(owner.data_dir, {"op": "ping"}))
    assert answer == {"status": 0, "out": "seen ping\n", "v": CHANNEL_VERSION}


def test_a_request_from_before_versions_is_read_as_the_first(qtbot: QtBot, owner: Owner) -> None:
    line = _off_the_loop(
        qtbot, lambda: _exchange(endpoint(owner.data_dir), b'{"op": "ping"}\n', 5000)
    )
    assert json.loads(line)["out"] == "seen ping\n"


def test_another_version_is_told_to_quit_the_running_standby(
    qtbot: QtBot, owner: Owner, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, Any]] = []
    owner.request.connect(lambda message, _reply: seen.append(message))
    monkeypatch.setattr(ask_module, "CHANNEL_VERSION", CHANNEL_VERSION + 1)  # an upgraded copy
    with pytest.raises(NotAnswering, match="another version of Standby: quit it"):
        _off_the_loop(qtbot, lambda: ask(owner.data_dir, {"op": "ping"}))
    assert seen == []  # refused before anything was done


def test_the_socket_is_kept_from_cleaners_and_comes_back_if_removed(
    qtbot: QtBot, owner: Owner
) -> None:
    name = endpoint(owner.data_dir)
    assert os.stat(name).st_mode & stat.S_ISVTX  # cleaners leave sticky files alone
    os.utime(name, (0, 0))
    qtbot.waitUntil(lambda: os.stat(name).st_mtime > 0, timeout=5000)  # touched again

    os.unlink(name)  # a cleaner removed it all the same
    qtbot.waitUntil(lambda: os.path.exists(name), timeout=5000)
    answer = _off_the_loop(qtbot, lambda: ask(owner.data_dir, {"op": "ping"}))
    assert answer["out"] == "seen ping\n"
