"""The account console's pages for an account of 50 devices: time per page, p50 and p95.

Run it from the project root::

    python bench/console.py                                   # SQLite
    python bench/console.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test

It starts the server (one worker, a fresh database), gives 50 devices a license of one
50-seat code and a reserve held on another (through the device API, as the app does), links
them to one account, signs a browser session in, then asks for the devices page, the
licenses page and a device's page ``--rounds`` times each, interleaved with
``/api/v1/health`` as the baseline of the same moment. Times are whole round trips on the
loopback (an upper bound of the server's time), measured with one kept-alive connection.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import requests
from server import database, running_server

from app.device_proof import DeviceKey
from app.domain.license import LicenseType
from app.server.db import make_engine
from app.server.services import Services
from app.server.services.store import utcnow
from app.server.tables import ACCOUNTS, DEVICES

DEVICES_PER_ACCOUNT = 50
EMAIL = "bench@example.com"
#: An account whose 50 devices have licenses only: the account's reserve is saved for all.
RESERVE_EMAIL = "reserve@example.com"
RESERVE_ROUNDS = 10
PASSWORD = "a bench password"  # noqa: S105 - the bench account's, on a throwaway database
_KEY = DeviceKey.generate()


def _post(base: str, path: str, body: dict[str, str]) -> dict[str, object]:
    payload = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    headers.update(_KEY.headers("POST", f"/api/v1{path}", payload, int(time.time())))
    answer = requests.post(f"{base}/api/v1{path}", data=payload, headers=headers, timeout=60)
    answer.raise_for_status()
    return dict(answer.json())


def _fill(base: str, db_url: str, email: str, held: bool) -> list[str]:
    """50 devices, each with a license (and a reserve held, if ``held``), linked to one
    account."""
    engine = make_engine(db_url)
    services = Services(engine)
    try:
        services.accounts.create(email, PASSWORD)
        now = utcnow()
        current, reserve = (
            services.operator.issue_codes(
                license_type=LicenseType.COMMERCIAL,
                term_seconds=term,
                max_devices=DEVICES_PER_ACCOUNT,
            )[0]
            for term in (30 * 86400, 365 * 86400)
        )
        devices = [f"bench-{email[:5]}-{n:02d}" for n in range(DEVICES_PER_ACCOUNT)]
        for device in devices:
            body = {"code": current, "device_id": device, "app_version": "1.0.0"}
            token = str(_post(base, "/activations", body)["license"])
            if held:
                _post(base, "/holds", {**body, "code": reserve, "current_license": token})
        with services.store.connection() as connection:
            account = connection.execute(ACCOUNTS.select().where(ACCOUNTS.c.email == email)).one()
            for n, device in enumerate(devices):
                connection.execute(
                    DEVICES.update()
                    .where(DEVICES.c.id == device)
                    .values(account_id=account.id, name=f"Computer {n}", last_seen_at=now)
                )
            connection.commit()
    finally:
        services.close()
    return devices


def _signed_in(base: str, email: str = EMAIL) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{base}/account/sign-in", timeout=30).text
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found is not None
    answer = browser.post(
        f"{base}/account/sign-in",
        data={"email": email, "password": PASSWORD, "csrf": found.group(1)},
        timeout=30,
    )
    assert answer.url.endswith("/account/devices"), answer.url
    return browser


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL URL that may create databases (else SQLite)")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as folder,
        database(args.db, Path(folder)) as db_url,
        running_server(db_url, 1, Path(folder)) as server,
    ):
        base = server.base_url
        devices = _fill(base, db_url, EMAIL, held=True)
        _fill(base, db_url, RESERVE_EMAIL, held=False)
        browser = _signed_in(base)
        pages = {
            "baseline: /api/v1/health": f"{base}/api/v1/health",
            "/account/devices": f"{base}/account/devices",
            "/account/licenses": f"{base}/account/licenses",
            "/account/devices/<id>": f"{base}/account/devices/{devices[7]}",
        }
        times: dict[str, list[float]] = {name: [] for name in pages}
        for url in pages.values():  # warm: the first answers build caches
            browser.get(url, timeout=30).raise_for_status()
        for _round in range(args.rounds):
            for name, url in pages.items():
                began = time.perf_counter()
                answer = browser.get(url, timeout=30)
                times[name].append(time.perf_counter() - began)
                assert answer.status_code == 200, (name, answer.status_code)
        size = len(browser.get(pages["/account/devices"], timeout=30).content)
        saves = _reserve_saves(base, db_url)
    kind = "PostgreSQL" if args.db and not args.db.startswith("sqlite") else "SQLite"
    print(f"{kind}, {DEVICES_PER_ACCOUNT} devices, {args.rounds} rounds; devices page {size} B")
    baseline = statistics.median(times["baseline: /api/v1/health"])
    print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'p50 × baseline':>15}")
    for name, measured in times.items():
        p50, p95 = statistics.median(measured), _percentile(measured, 0.95)
        print(f"{name:28} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {p50 / baseline:15.1f}")
    held = statistics.median(saves)
    print(
        f"account reserve for {DEVICES_PER_ACCOUNT} devices, one request: median "
        f"{held * 1000:.0f} ms, most {max(saves) * 1000:.0f} ms over {RESERVE_ROUNDS} saves"
    )
    return 0


def _reserve_saves(base: str, db_url: str) -> list[float]:
    """Seconds per save of an account reserve for 50 devices (each removed after)."""
    engine = make_engine(db_url)
    services = Services(engine)
    try:
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL,
            term_seconds=365 * 86400,
            max_devices=DEVICES_PER_ACCOUNT,
        )
    finally:
        services.close()
    browser = _signed_in(base, RESERVE_EMAIL)
    times = []
    for _round in range(RESERVE_ROUNDS):
        page = browser.get(f"{base}/account/reserve", timeout=30).text
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found is not None
        began = time.perf_counter()
        saved = browser.post(
            f"{base}/account/reserve",
            data={"code": code, "csrf": found.group(1)},
            timeout=60,
            allow_redirects=False,
        )
        times.append(time.perf_counter() - began)
        assert saved.status_code == 303, saved.text
        shown = browser.get(f"{base}/account/reserve", timeout=30).text
        assert shown.count('data-reserve-state="waiting"') == DEVICES_PER_ACCOUNT
        removed = browser.post(
            f"{base}/account/reserve/remove", data={"csrf": found.group(1)}, timeout=60
        )
        assert removed.status_code == 200
    return times


if __name__ == "__main__":
    sys.exit(main())
