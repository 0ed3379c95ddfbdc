"""What the browser tests share: an account with devices to show, signing in through the form,
and what a page measures of itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from app.server.services import Services
from tests.server.console import PASSWORD, linked_device, new_account
from tests.server.helpers import activate
from tests.servers import RunningServer, issue_code

if TYPE_CHECKING:
    from playwright.sync_api import Page

DAY = 86400
Scheme = Literal["light", "dark"]
#: The languages the console speaks, and the browser locale that asks for each.
LOCALES = {"en": "en-US", "pl": "pl-PL"}


class OpenPage(Protocol):
    """Opens a page in a new browser context (cookies of its own) on the session's server."""

    def __call__(
        self, language: str = "en", scheme: Scheme = "light", width: int = 1280
    ) -> Page: ...


@dataclass(frozen=True)
class Account:
    """An account of the console and its devices (ids), each with the license its activation
    gave (None: the device holds none)."""

    email: str
    licenses: dict[str, str | None]
    account_id: int = 0

    @property
    def devices(self) -> list[str]:
        return list(self.licenses)


def license_of(server: RunningServer, code: str, device: str) -> str:
    """The license ``device`` holds for ``code`` (activated again: the same answer)."""
    answer = activate(server, code, device)
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["license"])


def two_devices(server: RunningServer, services: Services) -> Account:
    """A new account with two linked devices, each holding a license of a code of its own."""
    email, _ = new_account(services)
    licenses: dict[str, str | None] = {}
    for _ in range(2):
        code = issue_code(services, 365 * DAY)
        device = linked_device(server, email, code)
        licenses[device] = license_of(server, code, device)
    return Account(email, licenses)


def every_kind_of_device(server: RunningServer, services: Services) -> Account:
    """A new account whose devices show what the pages can say: a license with a reserve held
    for it, a license that expires soon, and no license at all."""
    email, account_id = new_account(services)
    current_code = issue_code(services, 365 * DAY)
    reserve_code = issue_code(services, 365 * DAY)
    covered = linked_device(server, email, current_code)
    current = license_of(server, current_code, covered)
    held = server.post(
        "/holds",
        {
            "code": reserve_code,
            "device_id": covered,
            "app_version": "1.0.0",
            "current_license": current,
        },
    )
    assert held.status_code == 200, held.text
    soon_code = issue_code(services, 2 * DAY)
    ending = linked_device(server, email, soon_code)
    bare = linked_device(server, email)
    return Account(
        email,
        {covered: current, ending: license_of(server, soon_code, ending), bare: None},
        account_id,
    )


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person does (Enter in the password field), and land on
    the devices page."""
    page.goto("/account/sign-in")
    form = page.locator("form#sign-in")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/account/devices")


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its window (0: no horizontal scroll)."""
    overflow: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return max(0, overflow)
