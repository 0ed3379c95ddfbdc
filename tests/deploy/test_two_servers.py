"""Two ``standby-server serve`` processes on one PostgreSQL database, as on two hosts: seats
stay exact when devices race through both, and a key rotation reaches both without a
restart."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import jwt
import pytest
import requests

from app.domain.tokens import ALGORITHM, ISSUER
from app.server.secrets import KEY_CHECK_SECONDS
from app.server.services import Services
from tests.servers import (
    RunningServer,
    claims_of,
    issue_code,
    running_server,
    seat_rows,
    services_for,
)

pytestmark = pytest.mark.postgres

DEVICES = 60
SEATS = 3
#: How long after a rotation both servers may still sign with the older key.
ROTATION_REACHES_ALL = KEY_CHECK_SECONDS + 10.0


@pytest.fixture
def two_servers(pg_url: str) -> Iterator[tuple[RunningServer, RunningServer]]:
    """Two servers started at once on one new, empty database (they race to migrate it and
    to create its keys), each a process of its own on its own port."""
    with ExitStack() as stack, ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: stack.enter_context(running_server(pg_url)), range(2))
        assert first.url != second.url
        yield first, second


@pytest.fixture
def services(pg_url: str) -> Iterator[Services]:
    with services_for(pg_url) as shared:
        yield shared


def _activate_all_at_once(
    targets: list[tuple[RunningServer, str]], code: str
) -> list[requests.Response]:
    """Each device activates ``code`` on its server, every request released together."""
    barrier = threading.Barrier(len(targets))

    def one(target: tuple[RunningServer, str]) -> requests.Response:
        server, device = target
        body = {"code": code, "device_id": device, "app_version": "1.0.0"}
        with requests.Session() as session:
            session.get(server.api("/health"), timeout=30)  # connected before the race
            payload, headers = server.signed("/activations", body)
            barrier.wait(timeout=60)
            return session.post(
                server.api("/activations"), data=payload, headers=headers, timeout=120
            )

    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        return list(pool.map(one, targets))


def _keys(server: RunningServer) -> jwt.PyJWKSet:
    answer = requests.get(server.api("/keys"), timeout=30)
    assert answer.status_code == 200
    return jwt.PyJWKSet.from_dict(answer.json())


def _kids(server: RunningServer) -> set[str]:
    return {str(key.key_id) for key in _keys(server).keys}


def _license(server: RunningServer, code: str) -> str:
    device = f"device-{uuid.uuid4().hex}"
    body = {"code": code, "device_id": device, "app_version": "1.0.0"}
    answer = server.post("/activations", body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["license"])


def _kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def _verified(token: str, keys: jwt.PyJWKSet) -> dict[str, object]:
    return dict(jwt.decode(token, keys[_kid(token)].key, algorithms=[ALGORITHM], issuer=ISSUER))


def test_sixty_devices_racing_through_two_servers_get_exactly_the_three_seats(
    two_servers: tuple[RunningServer, RunningServer], services: Services
) -> None:
    first, second = two_servers
    code = issue_code(services, devices=SEATS)
    devices = [f"device-{uuid.uuid4().hex}" for _ in range(DEVICES)]
    targets = [(first if i % 2 else second, device) for i, device in enumerate(devices)]

    answers = _activate_all_at_once(targets, code)

    outcomes = Counter(
        "activated" if a.status_code == 201 else a.json()["error"]["code"] for a in answers
    )
    assert outcomes == {"activated": SEATS, "device_limit_reached": DEVICES - SEATS}
    assert {a.status_code for a in answers if a.status_code != 201} == {409}
    assert seat_rows(services, code) == SEATS
    assert services.operator.code_info(code)["devices_used"] == SEATS
    # Each winner holds its own seat, signed with the one key both servers share.
    winners = [claims_of(a.json()["license"]) for a in answers if a.status_code == 201]
    assert len({claims["sub"] for claims in winners}) == SEATS
    assert len({claims["lid"] for claims in winners}) == SEATS
    assert _kids(first) == _kids(second)


def _rotate(db_url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.server", "keys", "rotate", "--db", db_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _wait_until_published(server: RunningServer, kid: str, deadline: float) -> None:
    while kid not in _kids(server):
        assert time.monotonic() < deadline, f"{server.url} still does not publish key {kid}"
        time.sleep(0.1)  # another process's cache: nothing to connect a signal to


def test_a_rotation_reaches_both_running_servers_without_a_restart(
    two_servers: tuple[RunningServer, RunningServer], services: Services, pg_url: str
) -> None:
    first, second = two_servers
    code = issue_code(services, devices=100)
    before = [_license(first, code), _license(second, code)]
    [old_kid] = {_kid(token) for token in before}
    pids = [first.process.pid, second.process.pid]

    rotated_at = time.monotonic()
    new_kid = _rotate(pg_url)
    assert new_kid
    assert new_kid != old_kid

    deadline = rotated_at + ROTATION_REACHES_ALL
    for server in two_servers:
        _wait_until_published(server, new_kid, deadline)

    after = [_license(first, code), _license(second, code)]
    assert [_kid(token) for token in after] == [new_kid, new_kid]
    for server in two_servers:
        keys = _keys(server)
        assert {str(key.key_id) for key in keys.keys} == {old_kid, new_kid}  # the old stays
        for token in before + after:  # every license, from either server, verifies
            assert _verified(token, keys)["sub"]
    # Each server accepts the other's licenses, old and new.
    for server, token in [(first, after[1]), (second, after[0]), (first, before[1])]:
        assert server.post("/licenses/status", {"license": token}).status_code == 200
    # The same two processes all along, neither restarted.
    assert [server.process.poll() for server in two_servers] == [None, None]
    assert [first.process.pid, second.process.pid] == pids
