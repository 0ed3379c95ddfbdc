"""What the user asks for goes first: a status check that hangs holds nothing up."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import keyring
import pytest
import requests
from pytestqt.qtbot import QtBot

from app.client.api import ActivationApi
from app.client.secrets import KeyringStore
from app.domain.license import LicenseType
from app.engine.engine import Engine
from app.engine.vocabulary import SaveOutcome, SaveResult
from app.server.services import Services
from tests.keyrings import MemoryKeyring
from tests.servers import RunningServer

YEAR = 365 * 86400
#: Far shorter than the read time-out a hung status check waits for.
ANSWER_MS = 8_000


class HangingStatus:
    """A proxy to the real server whose /health and /licenses/status never answer."""

    def __init__(self, upstream: str) -> None:
        release = self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _relay(self, method: str) -> None:
                if self.path.endswith(("/health", "/licenses/status")):
                    release.wait(60)  # accepted, never answered (until the test ends)
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                answer = requests.request(
                    method,
                    upstream + self.path,
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=30,
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def do_GET(self) -> None:
                self._relay("GET")

            def do_POST(self) -> None:
                self._relay("POST")

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def hanging(server: RunningServer) -> Iterator[HangingStatus]:
    proxy = HangingStatus(server.url)
    yield proxy
    proxy.close()


def _issue(services: Services, term: int) -> str:
    return services.issue_codes(
        license_type=LicenseType.COMMERCIAL,
        term_seconds=term,
        max_devices=1,
        valid_until=datetime.now(UTC) + timedelta(days=3650),
    )[0]


def test_saves_go_through_while_a_status_check_hangs(
    qtbot: QtBot, tmp_path: Path, hanging: HangingStatus, services: Services
) -> None:
    engine = Engine(
        tmp_path / "device", ActivationApi(hanging.url), lambda: KeyringStore("Standby-test")
    )
    try:
        with qtbot.waitSignal(engine.changed, check_params_cb=lambda: engine.snapshot.loaded):
            engine.start()  # loads, then checks the server, which hangs
        first, reserve = _issue(services, YEAR), _issue(services, 2 * YEAR)
        with qtbot.waitSignal(engine.saveFinished, timeout=ANSWER_MS) as saved:
            engine.save_code(first)
        outcome: SaveOutcome = saved.args[0]
        assert outcome.result is SaveResult.ACTIVATED
        # A second command too: the check that gave way does not come back in front of it.
        with qtbot.waitSignal(engine.saveFinished, timeout=ANSWER_MS) as saved:
            engine.save_code(reserve)
        assert saved.args[0].result is SaveResult.RESERVED
        assert services.code_info(first)["devices_used"] == 1
    finally:
        engine.shutdown()  # returns at once although a check still hangs
