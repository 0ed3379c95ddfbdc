"""Helpers for the account console's tests: accounts with linked devices, and a browser-like
HTTP client (cookies kept, forms read from the pages it gets)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

import requests
from sqlalchemy import select

from app.server.services import Services
from app.server.tables import ACCOUNTS
from tests.server.helpers import activate, new_device
from tests.servers import RunningServer

PASSWORD = "a long password"


def new_account(services: Services) -> tuple[str, int]:
    """A fresh account (its password is PASSWORD): its e-mail and id."""
    email = f"user-{uuid.uuid4().hex[:12]}@example.com"
    services.accounts.create(email, PASSWORD)
    with services.store.connection() as connection:
        account_id = connection.execute(
            select(ACCOUNTS.c.id).where(ACCOUNTS.c.email == email)
        ).scalar_one()
    return email, int(account_id)


def linked_device(
    server: RunningServer, email: str, code: str | None = None, name: str | None = None
) -> str:
    """A new device (its code activated when given) signed in to the account through the
    device API, as the app does; named through the console's service when ``name``."""
    device = new_device()
    if code is not None:
        assert activate(server, code, device).status_code == 201
    answer = server.post(
        "/accounts/sign-in", {"email": email, "password": PASSWORD, "device_id": device}
    )
    assert answer.status_code == 200, answer.text
    return device


@dataclass
class Page:
    """What a test reads off a page: its forms' hidden CSRF token, its elements' data."""

    status: int
    text: str
    csrf: str | None = None
    device_ids: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name") == "csrf":
            self.page.csrf = found.get("value")
        device = found.get("data-device-id")
        if device and device not in self.page.device_ids:
            self.page.device_ids.append(device)
        if found.get("data-action"):
            self.page.actions.append(str(found["data-action"]))


def read(response: requests.Response) -> Page:
    page = Page(response.status_code, response.text)
    _Reader(page).feed(response.text)
    return page


class Browser:
    """One browser: its cookies, and the CSRF token of the last page it read."""

    def __init__(self, server: RunningServer, language: str = "en") -> None:
        self.server = server
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = language
        self.csrf: str | None = None

    def url(self, path: str) -> str:
        return f"{self.server.url}{path}"

    def get(self, path: str, **kwargs: object) -> Page:
        page = read(self.http.get(self.url(path), timeout=30, **kwargs))  # type: ignore[arg-type]
        self.csrf = page.csrf or self.csrf
        return page

    def post(self, path: str, fields: dict[str, str], *, csrf: bool = True) -> requests.Response:
        """POST a form (with the last page's CSRF token, unless ``csrf`` is False); redirects
        are not followed."""
        body = {**fields, **({"csrf": self.csrf or ""} if csrf else {})}
        return self.http.post(self.url(path), data=body, timeout=60, allow_redirects=False)

    def sign_in(self, email: str, password: str = PASSWORD) -> requests.Response:
        self.get("/account/sign-in")
        return self.post("/account/sign-in", {"email": email, "password": password})
