"""Seats held for a reserve and licenses signed ahead (domain.md section 6), over HTTP."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
import requests
from sqlalchemy import select

from app.domain.license import LicenseType
from app.domain.tokens import ISSUER
from app.server.services import Services
from app.server.tables import SEATS
from tests.server.helpers import activate, error_of, new_device
from tests.server.test_concurrency import PARALLEL, _parallel
from tests.servers import RunningServer, claims_of, running_server, services_for

YEAR = 365 * 86400


def _issue(services: Services, term: int = YEAR, devices: int = 1) -> str:
    [code] = services.operator.issue_codes(
        license_type=LicenseType.COMMERCIAL, term_seconds=term, max_devices=devices
    )
    return code


def _current(server: RunningServer, services: Services, device: str, term: int = 86400) -> str:
    """Give ``device`` a current license of ``term`` seconds; its token."""
    response = activate(server, _issue(services, term), device)
    assert response.status_code == 201
    return str(response.json()["license"])


def _hold(server: RunningServer, code: str, device: str, current: str) -> requests.Response:
    return server.post(
        "/holds",
        {"code": code, "device_id": device, "app_version": "1.0.0", "current_license": current},
    )


def _moment(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _jwks(server: RunningServer) -> jwt.PyJWKSet:
    return jwt.PyJWKSet.from_dict(requests.get(server.api("/keys"), timeout=10).json())


def test_a_held_seat_keeps_other_devices_out_until_the_reserve_is_removed(
    any_server: RunningServer,
) -> None:
    server = any_server
    with services_for(server.db_url) as services:
        device = new_device()
        current = _current(server, services, device)
        reserve = _issue(services, YEAR, devices=1)

        held = _hold(server, reserve, device, current)
        assert held.status_code == 200, held.text
        answer = held.json()
        assert answer["action"] == "reserve"
        claims = claims_of(answer["license"])
        # Signed ahead: valid from the current license's end, to the end a takeover then gives.
        assert claims["nbf"] == claims_of(current)["expires_at"]
        assert _moment(answer["takes_over_at"]).timestamp() == claims["nbf"]
        assert claims["exp"] == int(claims["nbf"]) + YEAR
        assert claims["held"] is True
        facts = services.operator.code_info(reserve)
        assert (facts["devices_used"], facts["devices_held"]) == (1, 1)
        assert facts["first_activated_at"] is None

        # The seat is taken: another device is refused while it is held.
        other = activate(server, reserve, new_device())
        assert other.status_code == 409
        assert error_of(other) == "device_limit_reached"

        # Before its start the held license is no license, for the server and for any JOSE
        # library.
        early = server.post("/licenses/status", {"license": answer["license"]})
        assert early.status_code == 401
        assert early.json()["error"]["reason"] == "not_yet_valid"
        kid = jwt.get_unverified_header(answer["license"])["kid"]
        with pytest.raises(jwt.ImmatureSignatureError):
            jwt.decode(
                answer["license"], _jwks(server)[kid].key, algorithms=["EdDSA"], issuer=ISSUER
            )

        # Removing the reserve frees its seat.
        freed = server.post("/deactivations", {"license": answer["license"]})
        assert freed.json() == {"freed": True}
        assert services.operator.code_info(reserve)["devices_used"] == 0
        assert activate(server, reserve, new_device()).status_code == 201


def test_activate_now_starts_the_held_license_now(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    current = _current(server, services, device)
    reserve = _issue(services)
    held = _hold(server, reserve, device, current).json()["license"]
    before = int(time.time())

    started = server.post("/holds/start", {"license": held})
    assert started.status_code == 200, started.text
    claims = claims_of(started.json()["license"])
    assert before <= int(claims["nbf"]) <= int(time.time())  # type: ignore[call-overload]
    assert claims["exp"] == int(claims["nbf"]) + YEAR  # type: ignore[call-overload]
    assert "held" not in claims
    facts = services.operator.code_info(reserve)
    assert (facts["devices_used"], facts["devices_held"]) == (1, 0)
    assert _moment(facts["first_activated_at"]).timestamp() == claims["nbf"]
    # The held license is used up: starting it again finds no held seat.
    again = server.post("/holds/start", {"license": held})
    assert again.status_code == 404
    assert again.json()["error"]["reason"] == "hold_gone"


def test_activating_the_held_code_on_its_device_starts_the_held_seat(
    any_server: RunningServer,
) -> None:
    """The device's current license lost: the app activates its reserve online, and the seat
    held for it is the one it gets (no second seat), started now."""
    server = any_server
    with services_for(server.db_url) as services:
        device = new_device()
        current = _current(server, services, device)
        reserve = _issue(services, YEAR, devices=1)
        assert _hold(server, reserve, device, current).status_code == 200
        before = int(time.time())

        activated = activate(server, reserve, device)
        assert activated.status_code == 200, activated.text
        claims = claims_of(activated.json()["license"])
        assert before <= int(claims["nbf"]) <= int(time.time())  # type: ignore[call-overload]
        assert "held" not in claims
        facts = services.operator.code_info(reserve)
        assert (facts["devices_used"], facts["devices_held"]) == (1, 0)
        assert _moment(facts["first_activated_at"]).timestamp() == claims["nbf"]
        again = activate(server, reserve, device)  # and once more: the same seat
        assert again.status_code == 200
        assert claims_of(again.json()["license"])["lid"] == claims["lid"]


def test_a_blocked_reserve_loses_its_hold_at_the_next_renewal(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    current = _current(server, services, device)
    reserve = _issue(services)
    held = _hold(server, reserve, device, current).json()["license"]
    renewal = {"license": held, "current_license": current, "app_version": "1.0.0"}

    renewed = server.post("/holds/renew", renewal)
    assert renewed.status_code == 200, renewed.text
    assert claims_of(renewed.json()["license"])["nbf"] == claims_of(held)["nbf"]

    services.operator.block_code(reserve)
    revoked = server.post("/holds/renew", renewal)
    assert revoked.status_code == 403
    assert error_of(revoked) == "code_blocked"
    assert services.operator.code_info(reserve)["devices_used"] == 0  # the hold is gone
    gone = server.post("/holds/renew", renewal)
    assert gone.status_code == 404


def test_the_held_license_is_confirmed_at_the_first_sync_after_its_start(
    server: RunningServer, services: Services
) -> None:
    """The device installs it at the expiry instant with no network; the next status call
    confirms it: first activated at the held license's start, one seat."""
    device = new_device()
    current = _current(server, services, device, term=2)
    reserve = _issue(services)
    held = _hold(server, reserve, device, current).json()["license"]
    start = int(claims_of(held)["nbf"])  # type: ignore[call-overload]

    deadline = time.monotonic() + 30
    while (answer := server.post("/licenses/status", {"license": held})).status_code == 401:
        assert answer.json()["error"]["reason"] == "not_yet_valid"
        assert time.monotonic() < deadline, "the held license never started"
        time.sleep(0.2)
    assert answer.status_code == 200
    status = answer.json()
    assert status["seat"] is True
    assert status["state"] == "active"
    assert claims_of(status["license"])["nbf"] == start
    facts = services.operator.code_info(reserve)
    assert _moment(facts["first_activated_at"]) == datetime.fromtimestamp(start, UTC)
    assert (facts["devices_used"], facts["devices_held"]) == (1, 0)


def _race_for_the_last_seat(db_url: str, workers: int) -> None:
    with services_for(db_url) as services:
        code = _issue(services, devices=2)
        with running_server(db_url, workers=workers) as server:
            holder = new_device()
            current = _current(server, services, holder)
            assert _hold(server, code, holder, current).status_code == 200
            devices = [f"device-{uuid.uuid4().hex}" for _ in range(PARALLEL)]
            bodies = [{"code": code, "device_id": d, "app_version": "1.0.0"} for d in devices]
            responses = _parallel(server, "/activations", bodies)
        outcomes = Counter(
            "ok" if r.status_code == 201 else r.json()["error"]["code"] for r in responses
        )
        assert outcomes == {"ok": 1, "device_limit_reached": PARALLEL - 1}
        facts = services.operator.code_info(code)
        assert (facts["devices_used"], facts["devices_held"]) == (2, 1)


def test_devices_racing_for_the_last_seat_while_one_is_held_on_sqlite(
    fresh_sqlite_url: str,
) -> None:
    _race_for_the_last_seat(fresh_sqlite_url, workers=2)


@pytest.mark.postgres
def test_devices_racing_for_the_last_seat_while_one_is_held_on_postgres(pg_url: str) -> None:
    _race_for_the_last_seat(pg_url, workers=3)


HOLDERS = 12


def _holds_race_for_the_last_seat(db_url: str, workers: int) -> None:
    """Devices, each with a license of its own, save the same one-seat code as their reserve
    at the same moment: one holds the seat, every other is told the code is full."""
    with services_for(db_url) as services:
        code = _issue(services, devices=1)
        with running_server(db_url, workers=workers) as server:
            devices = [new_device() for _ in range(HOLDERS)]
            bodies = [
                {
                    "code": code,
                    "device_id": device,
                    "app_version": "1.0.0",
                    "current_license": _current(server, services, device),
                }
                for device in devices
            ]
            responses = _parallel(server, "/holds", bodies)
        outcomes = Counter(
            "held" if r.status_code == 200 else r.json()["error"]["code"] for r in responses
        )
        assert outcomes == {"held": 1, "device_limit_reached": HOLDERS - 1}
        facts = services.operator.code_info(code)
        assert (facts["devices_used"], facts["devices_held"]) == (1, 1)


def test_holds_racing_for_the_last_seat_on_sqlite(fresh_sqlite_url: str) -> None:
    _holds_race_for_the_last_seat(fresh_sqlite_url, workers=2)


@pytest.mark.postgres
def test_holds_racing_for_the_last_seat_on_postgres(pg_url: str) -> None:
    _holds_race_for_the_last_seat(pg_url, workers=3)


def test_moving_one_devices_hold_leaves_the_other_holds_where_they_are(
    any_server: RunningServer,
) -> None:
    """A device whose current license changed holds again: its held license starts at the
    new end, and another device's hold of the same code keeps its own start."""
    server = any_server
    with services_for(server.db_url) as services:
        reserve = _issue(services, YEAR, devices=2)
        first, second = new_device(), new_device()
        assert _hold(server, reserve, first, _current(server, services, first)).ok
        kept = _hold(server, reserve, second, _current(server, services, second, 2 * 86400))
        assert kept.ok

        moved = _hold(server, reserve, first, _current(server, services, first, 5 * 86400))
        assert moved.ok, moved.text

        def starts() -> dict[str, float]:
            with services.store.connection() as connection:
                rows = connection.execute(
                    select(SEATS.c.device_id, SEATS.c.held_from).where(
                        SEATS.c.device_id.in_([first, second]), SEATS.c.held_from.is_not(None)
                    )
                ).all()
            return {device: held.timestamp() for device, held in rows}

        held = starts()
    assert held[first] == claims_of(moved.json()["license"])["nbf"]
    assert held[second] == claims_of(kept.json()["license"])["nbf"]
    assert held[first] != held[second]
