"""The account console over real HTTP: signing in, the account's devices and licenses, and
what keeps it safe (CSRF, cookies, escaping, other accounts' devices, sign-in limits)."""

from __future__ import annotations

import fcntl
import re

import requests
from sqlalchemy import select

from app.server.services import Services
from app.server.tables import AUDIT
from tests.server.console import PASSWORD, Browser, linked_device, new_account
from tests.server.helpers import activate, new_device
from tests.servers import RunningServer, issue_code, running_server, services_for


def test_signing_in_shows_the_accounts_devices_and_nothing_before(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    first = linked_device(server, email, issue_code(services, devices=2))
    second = linked_device(server, email)
    browser = Browser(server)

    assert (
        browser.http.get(browser.url("/account/devices"), allow_redirects=False)
        .headers["location"]
        .endswith("/account/sign-in")
    )
    wrong = browser.sign_in(email, "not the password")
    assert wrong.status_code == 401
    assert "The e-mail or the password is wrong." in wrong.text

    signed = browser.sign_in(email)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/account/devices"
    page = browser.get("/account/devices")
    assert page.status == 200
    assert sorted(page.device_ids) == sorted([first, second])
    assert "•••••-•••••-•••••-" in page.text  # the code masked, never whole
    assert "sign-out" in page.actions


def test_the_session_cookie_is_new_at_each_sign_in_and_kept_from_scripts(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    browser = Browser(server)
    browser.http.cookies.set(
        "standby_session", "planted-by-someone", domain="127.0.0.1", path="/account"
    )
    first = browser.sign_in(email)
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/account" in cookie
    assert "Secure" not in cookie  # plain http here; over https the cookie is Secure
    token = browser.http.cookies.get("standby_session", path="/account")
    assert token
    assert token != "planted-by-someone"

    again = Browser(server)
    again.sign_in(email)
    assert again.http.cookies.get("standby_session", path="/account") != token


def test_secure_cookies_behind_an_https_proxy(fresh_sqlite_url: str) -> None:
    with running_server(fresh_sqlite_url, options=["--trusted-proxy", "127.0.0.1"]) as server:
        answer = requests.get(
            f"{server.url}/account/sign-in",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"},
            timeout=30,
        )
    assert answer.status_code == 200
    assert "Secure" in answer.headers["set-cookie"]


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    device = linked_device(server, email)
    browser = Browser(server)
    browser.sign_in(email)
    browser.get(f"/account/devices/{device}")

    refused = browser.post(f"/account/devices/{device}/name", {"name": "Stolen"}, csrf=False)
    assert refused.status_code == 403
    forged = browser.http.post(
        browser.url(f"/account/devices/{device}/name"),
        data={"name": "Stolen", "csrf": "0" * 64},
        allow_redirects=False,
        timeout=30,
    )
    assert forged.status_code == 403
    assert "Stolen" not in browser.get(f"/account/devices/{device}").text

    stranger = Browser(server)  # a sign-in form posted from elsewhere has no token either
    assert stranger.post(
        "/account/sign-in", {"email": email, "password": PASSWORD}
    ).status_code == (403)


def test_a_device_name_is_shown_as_text(server: RunningServer, services: Services) -> None:
    email, _ = new_account(services)
    device = linked_device(server, email)
    browser = Browser(server)
    browser.sign_in(email)
    browser.get(f"/account/devices/{device}")
    saved = browser.post(f"/account/devices/{device}/name", {"name": "<script>alert(1)</script>"})
    assert saved.status_code == 303

    for path in ("/account/devices", f"/account/devices/{device}"):
        text = browser.get(path).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text

    browser.get(f"/account/devices/{device}")
    empty = browser.post(f"/account/devices/{device}/name", {"name": "   "})
    assert empty.status_code == 400
    assert "A device name has 1 to 100 characters." in empty.text


def test_another_accounts_device_answers_not_found(
    server: RunningServer, services: Services
) -> None:
    mine, _ = new_account(services)
    theirs, _ = new_account(services)
    their_device = linked_device(server, theirs, issue_code(services))
    browser = Browser(server)
    browser.sign_in(mine)

    for path in (f"/account/devices/{their_device}", f"/account/devices/{their_device}/free"):
        page = browser.get(path)
        assert page.status == 404
        assert page.device_ids == []
        assert "Page not found" in page.text
    browser.get("/account/devices")
    assert browser.post(f"/account/devices/{their_device}/free", {}).status_code == 404
    assert browser.post(f"/account/devices/{their_device}/name", {"name": "x"}).status_code == 404
    assert browser.get("/account/no-such-page").status == 404


def test_every_page_allows_only_its_own_files(server: RunningServer, services: Services) -> None:
    email, _ = new_account(services)
    browser = Browser(server)
    browser.sign_in(email)
    for path in ("/account/sign-in", "/account/devices", "/account/static/console.css"):
        answer = browser.http.get(browser.url(path), timeout=30)
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
    page = browser.get("/account/devices").text
    assert "<script>" not in page
    assert " style=" not in page
    assert "<style" not in page


def test_signing_out_here_and_everywhere(server: RunningServer, services: Services) -> None:
    email, _ = new_account(services)
    laptop, phone = Browser(server), Browser(server)
    laptop.sign_in(email)
    phone.sign_in(email)

    laptop.get("/account/devices")
    assert laptop.post("/account/sign-out", {}).headers["location"].endswith("out=here")
    assert laptop.get("/account/devices").text.count('id="sign-in"') == 1
    assert phone.get("/account/devices").status == 200

    laptop.sign_in(email)
    laptop.get("/account/devices")
    everywhere = laptop.post("/account/sign-out-everywhere", {})
    assert everywhere.headers["location"].endswith("out=everywhere")
    ended = phone.get("/account/devices")
    assert 'id="sign-in"' in ended.text
    assert "Your session has ended. Sign in again." in ended.text


def test_console_sign_in_is_limited_as_the_apis(server: RunningServer, services: Services) -> None:
    email, _ = new_account(services)
    browser = Browser(server)
    statuses = [browser.sign_in(email, f"wrong {n}").status_code for n in range(6)]
    assert statuses[:5] == [401] * 5
    limited = browser.sign_in(email)  # even the right password waits now
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 60
    assert re.search(r"Too many attempts\. Try again in \d+ min\.", limited.text)
    with services.store.connection() as connection:
        events = connection.execute(
            select(AUDIT.c.event).where(AUDIT.c.subject == email).order_by(AUDIT.c.id)
        ).scalars()
        assert list(events).count("sign_in_refused") == 5


def test_the_page_speaks_the_browsers_language_and_can_switch(
    server: RunningServer, services: Services
) -> None:
    browser = Browser(server, language="pl-PL,pl;q=0.9,en;q=0.5")
    page = browser.get("/account/sign-in")
    assert '<html lang="pl">' in page.text
    assert "Zaloguj się" in page.text
    switched = browser.http.get(
        browser.url("/account/language/en?back=/account/sign-in"), allow_redirects=False, timeout=30
    )
    assert switched.headers["location"] == "/account/sign-in"
    assert '<html lang="en">' in browser.get("/account/sign-in").text
    away = browser.http.get(
        browser.url("/account/language/pl?back=https://evil.example/"),
        allow_redirects=False,
        timeout=30,
    )
    assert away.headers["location"] == "/account/"


def test_the_console_can_be_turned_off(fresh_sqlite_url: str) -> None:
    with running_server(fresh_sqlite_url, options=["--no-console"]) as server:
        answer = requests.get(f"{server.url}/account/sign-in", timeout=30)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_a_device_names_itself_at_sign_in_and_sync(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    code = issue_code(services)
    device = new_device()
    token = activate(server, code, device).json()["license"]
    signed = server.post(
        "/accounts/sign-in",
        {"email": email, "password": PASSWORD, "device_id": device, "device_name": "Anna's PC"},
    )
    assert signed.status_code == 200
    browser = Browser(server)
    browser.sign_in(email)
    assert "Anna&#39;s PC" in browser.get("/account/devices").text

    renamed = server.post("/licenses/status", {"license": token, "device_name": "  Study\tPC "})
    assert renamed.status_code == 200
    assert "Study PC" in browser.get("/account/devices").text
    unnamed = server.post("/licenses/status", {"license": token, "device_name": "\x00\x07"})
    assert unnamed.status_code == 200  # a name that cannot be one is not kept, nor refused
    assert "Study PC" in browser.get("/account/devices").text
    assert "Last contact" in browser.get("/account/devices").text


def test_a_database_away_is_said_in_the_pages_words(fresh_sqlite_url: str) -> None:
    with (
        services_for(fresh_sqlite_url) as services,
        running_server(fresh_sqlite_url, env={"STANDBY_DB_WAIT_SECONDS": "1"}) as server,
    ):
        email, _ = new_account(services)
        browser = Browser(server, language="pl")
        browser.sign_in(email)
        path = fresh_sqlite_url.removeprefix("sqlite:///") + ".lock"
        with open(path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process holds the database
            busy = browser.get("/account/devices")
        assert busy.status == 503
        assert "Serwer aktywacji nie może połączyć się ze swoją bazą danych." in busy.text
        assert browser.get("/account/devices").status == 200  # and back once it is free
