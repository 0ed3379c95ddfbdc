"""Take the README's screenshots of the account console in a real browser.

    apt-get install -y chromium
    .venv/bin/python scripts/console_screenshots.py

Starts a real server on a temporary SQLite file, makes an account with three devices (one
protected with a reserve held, one whose license expires soon, one without a license), signs
in with Debian's chromium through Playwright and captures the devices page in English and
Polish into docs/screenshots/ (and, with ``--all``, every page light and dark, on a desktop
and on a 360 px phone, into a temporary folder it prints, for looking at).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.server.console import PASSWORD, linked_device, new_account  # noqa: E402
from tests.servers import (  # noqa: E402
    RunningServer,
    issue_code,
    running_server,
    services_for,
)

DAY = 86400


def _account(server: RunningServer) -> tuple[str, list[str]]:
    with services_for(server.db_url) as services:
        email, account_id = new_account(services)
        laptop = linked_device(server, email, issue_code(services, 10 * DAY))
        family = issue_code(services, 365 * DAY, devices=3)
        held = server.post(
            "/holds",
            {
                "code": family,
                "device_id": laptop,
                "app_version": "1.0.0",
                "current_license": _license_of(server, laptop),
            },
        )
        assert held.status_code == 200, held.text
        desktop = linked_device(server, email, family)
        spare = linked_device(server, email)
        for device, name in (
            (laptop, "Anna's laptop"),
            (desktop, "Family PC"),
            (spare, "Old netbook"),
        ):
            services.fleet.rename(account_id, device, name)
        # One reserve for all: the laptop keeps its own, the netbook has no license.
        services.account_reserves.save(account_id, issue_code(services, 730 * DAY, devices=4))
    return email, [laptop, desktop, spare]


def _license_of(server: RunningServer, device: str) -> str:
    answer = server.post("/licenses/restore", {"device_id": device, "app_version": "1.0.0"})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["seats"][0]["license"])


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form#sign-in button[type=submit]")
    page.wait_for_url("**/account/devices")


def main() -> None:
    every = "--all" in sys.argv
    looks = Path(tempfile.mkdtemp(prefix="console-looks-"))
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{folder}/standby.db"
        with running_server(db_url) as server, sync_playwright() as playwright:
            email, devices = _account(server)
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            for language in ("en", "pl"):
                for scheme in ("light", "dark") if every else ("light",):
                    for width, height in ((1100, 720), (360, 780)) if every else ((1100, 720),):
                        context = browser.new_context(
                            locale=language,
                            extra_http_headers={"Accept-Language": language},
                            color_scheme=scheme,
                            viewport={"width": width, "height": height},
                            timezone_id="Europe/Warsaw",
                        )
                        page = context.new_page()
                        _sign_in(page, server.url, email)
                        if width == 1100 and scheme == "light":
                            page.screenshot(path=str(OUT / f"console-devices_{language}.png"))
                        if every:
                            pages = {
                                "devices": "/account/devices",
                                "device": f"/account/devices/{devices[0]}",
                                "free": f"/account/devices/{devices[2]}/free",
                                "licenses": "/account/licenses",
                                "reserve": "/account/reserve",
                            }
                            for name, path in pages.items():
                                page.goto(server.url + path)
                                shot = looks / f"{name}_{language}_{scheme}_{width}.png"
                                page.screenshot(path=str(shot), full_page=True)
                        context.close()
            browser.close()
    print(f"README screenshots in {OUT}; every page in {looks}" if every else OUT)


if __name__ == "__main__":
    main()
