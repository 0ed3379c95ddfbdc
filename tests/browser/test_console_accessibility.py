"""axe-core on every page of the account console, in each language and colour scheme: no
violation that is serious or critical (missing names, contrast, ARIA misuse…).

axe-core comes with the pip package axe-playwright-python; its script is evaluated in each
page through the DevTools protocol, so the console's Content-Security-Policy (no inline
script) stays as it is."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pytest

from app.server.services import Services
from tests.browser.console_pages import Account, OpenPage, Scheme, every_kind_of_device, sign_in
from tests.needs import chromium_missing, need
from tests.servers import RunningServer, issue_code

if TYPE_CHECKING:
    from playwright.sync_api import Page

DAY = 86400
#: Impacts that fail the test; the others are printed (run with -rP or -s) for the authors.
FAILING = {"serious", "critical"}
#: Accepted by the form's ``type=email`` yet not an address the server takes (no dot in its
#: domain): the sign-in page shows its error without spending the sign-in limits of
#: 127.0.0.1, which the whole suite's tests share.
NOT_AN_ADDRESS = "someone@localhost"


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}) at {', '.join(self.targets)}"


@cache
def axe_script() -> str:
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")


def violations(page: Page, name: str) -> list[Violation]:
    """What axe-core finds wrong on ``page`` as it is now (every rule axe runs by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        Violation(
            name,
            str(rule["id"]),
            str(rule["impact"]),
            tuple(" ".join(map(str, node["target"])) for node in rule["nodes"]),
        )
        for rule in found
    ]


@pytest.fixture(scope="module")
def shown(server: RunningServer, services: Services) -> Account:
    return every_kind_of_device(server, services)


@pytest.fixture(scope="module")
def with_reserve(server: RunningServer, services: Services) -> Account:
    """Every kind of device, and a reserve for all of them saved in the account: held for
    one, refused for the others (one has its own reserve, one no license)."""
    account = every_kind_of_device(server, services)
    services.account_reserves.save(account.account_id, issue_code(services, 730 * DAY, devices=3))
    return account


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "pl"])
def test_no_page_has_a_serious_accessibility_violation(
    open_page: OpenPage, shown: Account, with_reserve: Account, language: str, scheme: Scheme
) -> None:
    need("chromium", chromium_missing(axe=True))
    from playwright.sync_api import expect

    page = open_page(language, scheme)
    found: list[Violation] = []

    page.goto("/account/sign-in")
    expect(page.locator("form#sign-in")).to_be_visible()
    found += violations(page, "sign-in")

    page.locator("input[name=email]").fill(NOT_AN_ADDRESS)
    page.locator("input[name=password]").fill("whatever it is")
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("#sign-in-error")).to_be_visible()
    found += violations(page, "sign-in with an error")

    sign_in(page, shown.email)
    device = shown.devices[0]
    for name, path, ready in [
        ("devices", "/account/devices?freed=1", "[role=status]"),
        ("device", f"/account/devices/{device}?saved=1", "[role=status]"),
        ("free confirmation", f"/account/devices/{device}/free", "[data-action=confirm]"),
        ("licenses", "/account/licenses", "ul.cards > li"),
        ("not found", "/account/no-such-page", "main h1"),
    ]:
        answer = page.goto(path)
        assert answer is not None
        assert answer.status == (404 if name == "not found" else 200), path
        expect(page.locator(ready).first).to_be_visible()
        found += violations(page, name)

    page.goto("/account/reserve")
    expect(page.locator("input[name=code]")).to_be_visible()
    found += violations(page, "reserve form")
    page.locator("input[name=code]").fill("not a code")
    page.locator("input[name=code]").press("Enter")
    expect(page.locator("#code-error")).to_be_visible()
    found += violations(page, "reserve form with an error")

    reserved = open_page(language, scheme)
    sign_in(reserved, with_reserve.email)
    reserved.goto("/account/reserve")
    expect(reserved.locator("[data-reserve-state]").first).to_be_visible()
    found += violations(reserved, "reserve saved")

    for violation in found:
        print(f"axe [{language}, {scheme}] {violation}")
    failing = [str(violation) for violation in found if violation.impact in FAILING]
    assert not failing, f"axe-core [{language}, {scheme}]:\n" + "\n".join(failing)
