"""Seats stay exact when many devices activate one code at the same moment, across processes."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from sqlalchemy import text

from app.domain.license import LicenseType
from app.server.services import Services
from tests.servers import RunningServer, claims_of, running_server, seat_rows, services_for

PARALLEL = 50
SEATS = 3


def _parallel(
    server: RunningServer, path: str, bodies: list[dict[str, str]]
) -> list[requests.Response]:
    """POST every body at once, released together by a barrier."""
    barrier = threading.Barrier(len(bodies))

    def one(body: dict[str, str]) -> requests.Response:
        with requests.Session() as session:
            session.get(server.api("/health"), timeout=30)
            barrier.wait(timeout=60)
            payload, headers = server.signed(path, body)
            return session.post(server.api(path), data=payload, headers=headers, timeout=120)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(one, bodies))


def _burst(server: RunningServer, code: str, devices: list[str]) -> list[requests.Response]:
    """Send one activation per device, all released together."""
    bodies = [{"code": code, "device_id": device, "app_version": "1.0.0"} for device in devices]
    return _parallel(server, "/activations", bodies)


def _seat_exactness(db_url: str, workers: int) -> None:
    with services_for(db_url) as services:
        _check_seats(services, db_url, workers)


def _check_seats(services: Services, db_url: str, workers: int) -> None:
    [code] = services.operator.issue_codes(
        license_type=LicenseType.COMMERCIAL, term_seconds=86400, max_devices=SEATS
    )
    [same] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=86400)
    with running_server(db_url, workers=workers) as server:
        devices = [f"device-{uuid.uuid4().hex}" for _ in range(PARALLEL)]
        responses = _burst(server, code, devices)
        outcomes = Counter(
            "ok" if r.status_code == 201 else r.json()["error"]["code"] for r in responses
        )
        assert outcomes == {"ok": SEATS, "device_limit_reached": PARALLEL - SEATS}

        one_device = f"device-{uuid.uuid4().hex}"
        repeated = _burst(server, same, [one_device] * 20)
        assert sorted(r.status_code for r in repeated) == [200] * 19 + [201]
        seat_ids = {claims_of(r.json()["license"])["lid"] for r in repeated}
        assert len(seat_ids) == 1

    assert seat_rows(services, code) == SEATS
    assert services.operator.code_info(code)["devices_used"] == SEATS
    assert services.operator.code_info(same)["devices_used"] == 1


def test_seats_are_exact_on_sqlite_with_two_workers(fresh_sqlite_url: str) -> None:
    _seat_exactness(fresh_sqlite_url, workers=2)


@pytest.mark.postgres
def test_seats_are_exact_on_postgres_with_three_workers(pg_url: str) -> None:
    _seat_exactness(pg_url, workers=3)


def _double_deactivation_and_guessing(db_url: str, workers: int) -> None:
    with services_for(db_url) as services:
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL, term_seconds=86400, max_devices=2
        )
        email = f"user-{uuid.uuid4().hex[:8]}@example.com"
        services.accounts.create(email, "correct horse")
        with running_server(db_url, workers=workers) as server:
            holders = [f"device-{uuid.uuid4().hex}" for _ in range(2)]
            tokens = [
                server.post(
                    "/activations", {"code": code, "device_id": d, "app_version": "1.0"}
                ).json()["license"]
                for d in holders
            ]
            freed = _parallel(server, "/deactivations", [{"license": tokens[0]}] * 20)
            assert [r.status_code for r in freed] == [200] * 20
            assert sorted(r.json()["freed"] for r in freed) == [False] * 19 + [True]
            assert services.operator.code_info(code)["devices_used"] == 1
            newcomers = [f"device-{uuid.uuid4().hex}" for _ in range(5)]
            joined = _parallel(
                server,
                "/activations",
                [{"code": code, "device_id": d, "app_version": "1.0"} for d in newcomers],
            )
            assert sorted(r.status_code for r in joined) == [201] + [409] * 4

            guesses = _parallel(
                server,
                "/accounts/sign-in",
                [
                    {"email": email, "password": f"guess {i}", "device_id": newcomers[0]}
                    for i in range(30)
                ],
            )
            outcomes = Counter(r.json()["error"]["code"] for r in guesses)
            assert outcomes["unauthorized"] <= 5
            assert outcomes["unauthorized"] + outcomes["rate_limited"] == 30
            retry_after = [int(r.headers["Retry-After"]) for r in guesses if r.status_code == 429]
            assert all(1 <= seconds <= 601 for seconds in retry_after)
    with services_for(db_url) as services:
        assert seat_rows(services, code) == 2


def test_double_deactivation_and_parallel_guesses_on_sqlite(fresh_sqlite_url: str) -> None:
    _double_deactivation_and_guessing(fresh_sqlite_url, workers=2)


@pytest.mark.postgres
def test_double_deactivation_and_parallel_guesses_on_postgres(pg_url: str) -> None:
    _double_deactivation_and_guessing(pg_url, workers=3)


def _held_database_answers_503(db_url: str, hold: Any) -> None:
    """While something outside the server holds the database, requests end in a 503."""
    with services_for(db_url) as services:
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL, term_seconds=86400
        )
        with running_server(db_url, workers=2, env={"STANDBY_DB_WAIT_SECONDS": "1"}) as server:
            with hold(services):
                busy = _parallel(
                    server,
                    "/activations",
                    [{"code": code, "device_id": f"device-{uuid.uuid4().hex}", "app_version": "1"}]
                    * 3,
                )
            assert {r.status_code for r in busy} == {503}
            assert all(r.json()["error"]["code"] == "internal_error" for r in busy)
            assert all(int(r.headers["Retry-After"]) > 0 for r in busy)
            after = server.post(
                "/activations", {"code": code, "device_id": "device-after", "app_version": "1"}
            )
            assert after.status_code == 201  # and it recovers once the holder lets go
        # The refused requests left nothing behind: a 503 means not activated.
        assert services.operator.code_info(code)["devices_used"] == 1


def test_a_held_sqlite_lock_gives_503_not_a_hang(fresh_sqlite_url: str) -> None:
    @contextmanager
    def hold(_services: Services) -> Iterator[None]:
        import fcntl

        path = fresh_sqlite_url.removeprefix("sqlite:///") + ".lock"
        with open(path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    _held_database_answers_503(fresh_sqlite_url, hold)


@pytest.mark.postgres
def test_a_locked_code_row_gives_503_not_a_hang(pg_url: str) -> None:
    @contextmanager
    def hold(services: Services) -> Iterator[None]:
        with services.engine.connect() as connection:
            connection.execute(text("SELECT id FROM codes FOR UPDATE"))
            yield
            connection.rollback()

    _held_database_answers_503(pg_url, hold)


def test_simultaneous_correct_sign_ins_are_told_to_retry_at_once(fresh_sqlite_url: str) -> None:
    with services_for(fresh_sqlite_url) as services:
        email = f"user-{uuid.uuid4().hex[:8]}@example.com"
        services.accounts.create(email, "correct horse")
        with running_server(fresh_sqlite_url, workers=2) as server:
            body = {"email": email, "password": "correct horse"}
            burst = _parallel(
                server,
                "/accounts/sign-in",
                [{**body, "device_id": f"device-{uuid.uuid4().hex}"} for _ in range(12)],
            )
            assert {r.status_code for r in burst} <= {200, 429}
            assert all(r.headers["Retry-After"] == "1" for r in burst if r.status_code == 429)
