"""The account console in chromium against real devices: two ``standby --background``
engines with data directories of their own, signed in to one account by ``standby account
sign-in``. The reserve saved once in the console reaches both at ``standby license sync``,
takes over on one at its expiry with the server's process stopped, and the other, lost, is
told its seat was freed."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.console_pages import sign_in
from tests.engine.processes import PATIENCE, YEAR, Background, account_sign_in, show, standby
from tests.needs import chromium_missing, need
from tests.server.console import PASSWORD, new_account
from tests.servers import free_port, issue_code, running_server, services_for

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: The laptop's license: long enough for both devices to be set up and synced (a few
#: seconds here), short enough to see it end.
SHORT = 45


def _sync(folder: Path) -> None:
    synced = standby("license", "sync", "--data-dir", str(folder))
    assert synced.returncode == 0, synced.stderr


def _after(moment: str, condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (another process's state: polled) until PATIENCE seconds
    after ``moment`` (ISO 8601)."""
    deadline = datetime.fromisoformat(moment).timestamp() + PATIENCE
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _page(chromium: Browser, base_url: str) -> Page:
    context = chromium.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_the_accounts_reserve_reaches_real_devices_and_a_lost_one_is_freed(
    chromium: Browser, tmp_path: Path, fresh_sqlite_url: str
) -> None:
    need("chromium", chromium_missing())
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    port = free_port()
    laptop, phone = tmp_path / "laptop", tmp_path / "phone"
    engines: list[Background] = []
    with services_for(fresh_sqlite_url) as services:
        email, _account_id = new_account(services)
        reserve = issue_code(services, YEAR, devices=2)
        try:
            with running_server(fresh_sqlite_url, port=port) as server:
                for folder, term, name in ((laptop, SHORT, "Laptop"), (phone, YEAR, "Old phone")):
                    engine = Background(folder, server.url)
                    engine.start()
                    engines.append(engine)
                    added = standby(
                        "license", "add", issue_code(services, term), "--data-dir", str(folder)
                    )
                    assert added.returncode == 0, added.stderr
                    signed = account_sign_in(folder, server.url, email, PASSWORD, "--name", name)
                    assert signed.returncode == 0, signed.stderr
                page = _page(chromium, server.url)
                sign_in(page, email)
                expect(page.locator("li[data-device-id]")).to_have_count(2)
                expect(page.get_by_role("link", name="Laptop", exact=True)).to_be_visible()
                expect(page.get_by_role("link", name="Old phone", exact=True)).to_be_visible()

                page.get_by_role("link", name="Reserve code").click()
                page.locator("input[name=code]").fill(reserve)
                page.locator("input[name=code]").press("Enter")
                expect(page.locator("[data-reserve-state=waiting]")).to_have_count(2)
                for folder in (laptop, phone):
                    _sync(folder)
                    held = show(folder)["reserve"]
                    assert held["state"] == "held"
                    assert held["source"] == "account"
                    assert held["code_last5"] == reserve[-5:]
                page.reload()
                expect(page.locator("[data-reserve-state=held]")).to_have_count(2)
                ends = show(laptop)["expires_at"]
            # The server's process is stopped: the laptop's license ends and the reserve from
            # the account takes over there all the same.
            _after(ends, lambda: show(laptop)["code_last5"] == reserve[-5:], "the takeover")
            after = show(laptop)
            assert after["state"] == "active"
            assert after["expires_at"] > ends

            with running_server(fresh_sqlite_url, port=port):
                # The phone is lost: its seats are freed from the console.
                page.goto("/account/devices")
                page.get_by_role("link", name="Manage Old phone").click()
                page.locator("[data-action=free-seat]").click()
                page.locator("[data-action=confirm]").click()
                page.wait_for_url("**/account/devices?freed=1")
                expect(page.locator("li[data-device-id]")).to_have_count(1)
                _sync(phone)
                told = show(phone)
                assert told["state"] == "none"
                assert told["reserve"]["state"] == "failed"
                assert told["reserve"]["reason"] == "seat_freed"
        finally:
            for engine in engines:
                engine.stop()
