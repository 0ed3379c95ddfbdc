"""Seats stay exact when many devices activate one code at the same moment, across processes."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from app.domain.license import LicenseType
from app.server.models import Activation, Code
from app.server.services import Services
from tests.server.helpers import claims_of
from tests.servers import RunningServer, running_server, services_for

PARALLEL = 50
SEATS = 3


def _burst(server: RunningServer, code: str, devices: list[str]) -> list[requests.Response]:
    """Send one activation per device, all released together by a barrier."""
    barrier = threading.Barrier(len(devices))

    def one(device: str) -> requests.Response:
        with requests.Session() as session:
            session.get(server.api("/health"), timeout=30)  # connect before the barrier
            barrier.wait(timeout=60)
            return session.post(
                server.api("/activations"),
                json={"code": code, "device_id": device, "app_version": "1.0.0"},
                timeout=120,
            )

    with ThreadPoolExecutor(max_workers=len(devices)) as pool:
        return list(pool.map(one, devices))


def _seat_exactness(db_url: str, workers: int) -> None:
    with services_for(db_url) as services:
        _check_seats(services, db_url, workers)


def _check_seats(services: Services, db_url: str, workers: int) -> None:
    [code] = services.issue_codes(
        license_type=LicenseType.COMMERCIAL, term_seconds=86400, max_devices=SEATS
    )
    [same] = services.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=86400)
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

    with services.factory() as session:
        seats = session.scalar(
            select(func.count()).select_from(Activation).join(Code).where(Code.last5 == code[-5:])
        )
    assert seats == SEATS
    assert services.code_info(code)["devices_used"] == SEATS
    assert services.code_info(same)["devices_used"] == 1


def test_seats_are_exact_on_sqlite_with_two_workers(fresh_sqlite_url: str) -> None:
    _seat_exactness(fresh_sqlite_url, workers=2)


@pytest.mark.postgres
def test_seats_are_exact_on_postgres_with_three_workers(pg_url: str) -> None:
    _seat_exactness(pg_url, workers=3)
