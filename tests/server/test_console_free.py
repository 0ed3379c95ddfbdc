"""Freeing the seats of a lost device from the account console: the seats come back, the
device is told why at its next contact, and forced releases are bounded per code."""

from __future__ import annotations

from sqlalchemy import select

from app.server.services import Services
from app.server.tables import AUDIT, CODES
from tests.server.console import Browser, linked_device, new_account
from tests.server.helpers import activate, error_of, new_device
from tests.servers import RunningServer, issue_code, services_for

DAY = 86400


def _license(server: RunningServer, code: str, device: str) -> str:
    answer = activate(server, code, device)
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["license"])


def _free(browser: Browser, device: str) -> int:
    confirm = browser.get(f"/account/devices/{device}/free")
    assert confirm.status == 200
    assert "confirm" in confirm.actions
    answer = browser.post(f"/account/devices/{device}/free", {})
    return answer.status_code


def test_a_freed_device_gives_back_every_seat_and_hold_and_is_told_why(
    any_server: RunningServer,
) -> None:
    server = any_server
    with services_for(server.db_url) as services:
        email, _ = new_account(services)
        current_code = issue_code(services, DAY, devices=1)
        reserve_code = issue_code(services, 365 * DAY, devices=1)
        lost = linked_device(server, email, current_code)
        current = _license(server, current_code, lost)
        held = server.post(
            "/holds",
            {
                "code": reserve_code,
                "device_id": lost,
                "app_version": "1.0.0",
                "current_license": current,
            },
        )
        assert held.status_code == 200, held.text
        browser = Browser(server)
        browser.sign_in(email)
        device_page = browser.get(f"/account/devices/{lost}")
        assert "free-seat" in device_page.actions
        assert "Seat releases left for code" in device_page.text

        assert _free(browser, lost) == 303
        devices = browser.get("/account/devices?freed=1")
        assert lost not in devices.device_ids  # no longer on the account
        assert "seats were freed and it was removed from your account" in devices.text

        status = server.post("/licenses/status", {"license": current})
        assert status.status_code == 200
        assert status.json()["seat"] is False
        assert status.json()["reason"] == "seat_freed"
        assert status.json()["account"] is None
        takeover = server.post("/holds/start", {"license": held.json()["license"]})
        assert takeover.status_code == 404
        assert error_of(takeover) == "not_found"
        assert takeover.json()["error"]["reason"] == "seat_freed"

        # Both seats are free again: other devices take them.
        assert activate(server, current_code, new_device()).status_code == 201
        assert activate(server, reserve_code, new_device()).status_code == 201
        with services.store.connection() as connection:
            freed = connection.execute(
                select(AUDIT.c.event, AUDIT.c.detail)
                .where(AUDIT.c.device_id == lost, AUDIT.c.event == "seat_freed")
                .order_by(AUDIT.c.id)
            ).all()
        assert [row.detail["held"] for row in freed] == [False, True]


def test_forced_releases_are_bounded_by_the_codes_seats(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    code = issue_code(services, 365 * DAY, devices=1)
    first = linked_device(server, email, code)
    browser = Browser(server)
    browser.sign_in(email)
    assert _free(browser, first) == 303

    second = linked_device(server, email, code)  # the freed seat, taken again
    page = browser.get(f"/account/devices/{second}")
    assert "Seat releases left for code •••••-•••••-•••••-" in page.text
    assert ": 0 of 1 in 30 days." in page.text
    assert "The next one comes back on" in page.text

    refused = browser.post(f"/account/devices/{second}/free", {})
    assert refused.status_code == 409
    assert "has no seat release left. The next one comes back on" in refused.text
    assert second in browser.get("/account/devices").device_ids
    with services.store.connection() as connection:
        used = connection.execute(
            select(CODES.c.devices_used).where(CODES.c.last5 == code.replace("-", "")[-5:])
        ).scalar_one()
    assert used == 1  # the second device keeps its seat
    assert activate(server, code, new_device()).status_code == 409


def test_the_licenses_page_counts_seats_in_use_and_held(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    shared = issue_code(services, 365 * DAY, devices=3)
    laptop = linked_device(server, email, shared)
    desktop = linked_device(server, email, shared)
    browser = Browser(server)
    browser.sign_in(email)
    browser.get(f"/account/devices/{laptop}")
    browser.post(f"/account/devices/{laptop}/name", {"name": "Laptop"})

    page = browser.get("/account/licenses")
    assert page.status == 200
    assert "2 in use, 0 held for a reserve, 3 in all" in page.text
    assert sorted(page.device_ids) == sorted([laptop, desktop])
    assert ">Laptop</a>" in page.text
    assert "Commercial" in page.text
    assert "365 days" in page.text
