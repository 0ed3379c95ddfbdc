"""The reserve held ahead takes over with no network (domain.md section 6), in real
processes: ``standby --background`` and a server process that is stopped and started."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.server.models import ActivationRow
from app.server.services import Services
from tests.engine.processes import YEAR, Background, show, standby, wait_for
from tests.servers import free_port, issue_code, running_server, services_for


def _held_seats(services: Services) -> int:
    with services.factory() as session:
        return len(
            session.scalars(select(ActivationRow).where(ActivationRow.held_from.is_not(None))).all()
        )


def _add(device: Path, *codes: str) -> None:
    """``standby license add`` each code, in turn, on ``device``."""
    for code in codes:
        added = standby("license", "add", code, "--data-dir", str(device))
        assert added.returncode == 0, added.stderr


def test_with_the_server_stopped_the_held_reserve_takes_over_and_is_confirmed_later(
    tmp_path: Path, fresh_sqlite_url: str
) -> None:
    port = free_port()
    device = tmp_path / "device"
    with services_for(fresh_sqlite_url) as services:
        first, reserve = issue_code(services, 8), issue_code(services, YEAR)
        background: Background | None = None
        try:
            with running_server(fresh_sqlite_url, port=port) as server:
                background = Background(device, server.url)
                background.start()
                _add(device, first, reserve)
                before = show(device)
                assert before["reserve"]["state"] == "held"
                assert services.operator.code_info(reserve)["devices_held"] == 1
            # The server process is stopped: the license ends, and the reserve takes over
            # at that instant all the same.
            wait_for(lambda: show(device)["code_last5"] == reserve[-5:], "the takeover")
            after = show(device)
            assert after["state"] == "active"
            assert after["reserve"] is None
            assert _held_seats(services) == 1  # the server has not been told yet
            with running_server(fresh_sqlite_url, port=port):
                # The engine looks for the server again by itself and confirms the takeover.
                wait_for(lambda: _held_seats(services) == 0, "the confirmation")
            facts = services.operator.code_info(reserve)
            started = datetime.fromisoformat(facts["first_activated_at"])
            assert started == datetime.fromisoformat(before["expires_at"])  # the takeover instant
            assert (facts["devices_used"], facts["devices_held"]) == (1, 0)
        finally:
            if background is not None:
                background.stop()


def test_a_reserve_removed_while_the_server_is_away_frees_its_seat_on_reconnection(
    tmp_path: Path, fresh_sqlite_url: str
) -> None:
    from tests.server.helpers import activate, error_of, new_device

    port = free_port()
    device = tmp_path / "device"
    with services_for(fresh_sqlite_url) as services:
        first, reserve = issue_code(services, YEAR), issue_code(services, YEAR, devices=1)
        background: Background | None = None
        try:
            with running_server(fresh_sqlite_url, port=port) as server:
                background = Background(device, server.url)
                background.start()
                _add(device, first, reserve)
                # Held for this device: another device is refused the code's only seat.
                other = activate(server, reserve, new_device())
                assert other.status_code == 409
                assert error_of(other) == "device_limit_reached"
            # The server is away: the reserve is removed all the same, its seat queued.
            removed = standby("license", "remove", "--reserve", "--data-dir", str(device))
            assert removed.returncode == 0, removed.stderr
            assert show(device)["reserve"] is None
            assert services.operator.code_info(reserve)["devices_used"] == 1
            with running_server(fresh_sqlite_url, port=port) as server:
                # The engine looks for the server again by itself and frees the seat.
                facts = services.operator.code_info
                wait_for(lambda: facts(reserve)["devices_used"] == 0, "the seat to be freed")
                assert activate(server, reserve, new_device()).status_code == 201
        finally:
            if background is not None:
                background.stop()
