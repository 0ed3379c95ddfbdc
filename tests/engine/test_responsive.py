"""What the user asks for goes first: a status check that hangs holds nothing up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.client.api import ActivationApi
from app.client.secrets import KeyringStore
from app.engine.engine import Engine
from app.engine.vocabulary import SaveOutcome, SaveResult
from app.server.services import Services
from tests.keyrings import MemoryKeyring
from tests.proxy import Proxy
from tests.servers import RunningServer, issue_code

YEAR = 365 * 86400
#: Far shorter than the read time-out a hung status check waits for.
ANSWER_MS = 8_000


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def hanging(server: RunningServer) -> Iterator[Proxy]:
    """The real server, but /health and /licenses/status never answer."""
    proxy = Proxy(server.url)
    proxy.held = lambda _method, path: path.endswith(("/health", "/licenses/status"))
    yield proxy
    proxy.close()


def test_saves_go_through_while_a_status_check_hangs(
    qtbot: QtBot, tmp_path: Path, hanging: Proxy, services: Services
) -> None:
    engine = Engine(
        tmp_path / "device", ActivationApi(hanging.url), lambda: KeyringStore("Standby-test")
    )
    try:
        with qtbot.waitSignal(engine.changed, check_params_cb=lambda: engine.snapshot.loaded):
            engine.start()  # loads, then checks the server, which hangs
        first, reserve = issue_code(services, YEAR), issue_code(services, 2 * YEAR)
        with qtbot.waitSignal(engine.saveFinished, timeout=ANSWER_MS) as saved:
            engine.save_code(first)
        outcome: SaveOutcome = saved.args[0]
        assert outcome.result is SaveResult.ACTIVATED
        # A second command too: the check that gave way does not come back in front of it.
        with qtbot.waitSignal(engine.saveFinished, timeout=ANSWER_MS) as saved:
            engine.save_code(reserve)
        assert saved.args[0].result is SaveResult.RESERVED
        assert services.operator.code_info(first)["devices_used"] == 1
    finally:
        engine.shutdown()  # returns at once although a check still hangs
