"""``POST /licenses/restore``: every seat a device holds, given back to that device only."""

from __future__ import annotations

from datetime import datetime

import requests
from sqlalchemy import update

from app.device_proof import DeviceKey
from app.server.models import DeviceRow
from tests.server.helpers import error_of, new_device
from tests.server.test_holds import _current, _hold, _issue
from tests.servers import RunningServer, claims_of, services_for

YEAR = 365 * 86400


def _restore(server: RunningServer, device: str, key: DeviceKey | None = None) -> requests.Response:
    return server.post("/licenses/restore", {"device_id": device, "app_version": "1.0.0"}, key=key)


def test_a_device_gets_back_its_license_and_its_held_reserve(any_server: RunningServer) -> None:
    server = any_server
    with services_for(server.db_url) as services:
        device = new_device()
        current = _current(server, services, device, term=YEAR)
        reserve = _issue(services, 2 * YEAR)
        held = _hold(server, reserve, device, current)
        assert held.status_code == 200, held.text

        answer = _restore(server, device)
        assert answer.status_code == 200, answer.text
        seats = answer.json()["seats"]
        assert sorted(seat["held"] for seat in seats) == [False, True]
        in_use = next(seat for seat in seats if not seat["held"])
        ahead = next(seat for seat in seats if seat["held"])
        assert claims_of(in_use["license"])["lid"] == claims_of(current)["lid"]
        assert claims_of(in_use["license"])["expires_at"] == claims_of(current)["expires_at"]
        assert claims_of(ahead["license"])["held"] is True
        assert ahead["code_last5"] == reserve.replace("-", "")[-5:]
        starts = datetime.fromisoformat(ahead["takes_over_at"]).timestamp()
        assert starts == claims_of(current)["expires_at"] == claims_of(ahead["license"])["nbf"]
        assert services.operator.code_info(reserve)["devices_held"] == 1  # nothing changed


def test_only_the_device_itself_may_ask(any_server: RunningServer) -> None:
    server = any_server
    with services_for(server.db_url) as services:
        device = new_device()
        _current(server, services, device)
        stranger = _restore(server, device, key=DeviceKey.generate())
        assert stranger.status_code == 401
        assert error_of(stranger) == "device_not_proven"
        assert stranger.json()["error"]["reason"] == "other_device_key"
        # A device that never registered a key cannot be told from anyone: nothing is
        # given back, and no key is registered by asking.
        with services.factory() as session:
            session.execute(update(DeviceRow).where(DeviceRow.id == device).values(public_key=None))
            session.commit()
        assert _restore(server, device).status_code == 401
        with services.factory() as session:
            assert session.get(DeviceRow, device).public_key is None  # type: ignore[union-attr]


def test_a_device_the_server_never_saw_holds_nothing(any_server: RunningServer) -> None:
    answer = _restore(any_server, new_device())
    assert answer.status_code == 200
    assert answer.json()["seats"] == []
