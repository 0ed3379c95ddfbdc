"""The account console in a real browser: signing in through the form, a device opened with
the keyboard alone, renamed, another one's seat freed (and its license told so over the API),
pages that fit a 360 px wide phone, and the language switch."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from app.server.services import Services
from tests.browser.console_pages import (
    Account,
    OpenPage,
    every_kind_of_device,
    horizontal_overflow,
    sign_in,
    two_devices,
)
from tests.servers import RunningServer

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Enough Tab presses to reach any link of the devices page.
MOST_TABS = 40


def tab_to(page: Page, href: str) -> None:
    """Press Tab until the focus is on a link to ``href``; each stop must show its focus."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                return element ? [element.getAttribute("href"), element.matches(":focus-visible")]
                               : [null, false];
            }"""
        )
        if focused[0] == href:
            assert focused[1], f"the focus on {href} is not visible"
            return
    raise AssertionError(f"no link to {href} within {MOST_TABS} presses of Tab")


def test_sign_in_rename_and_free_a_seat_as_a_person_does(
    open_page: OpenPage, server: RunningServer, services: Services
) -> None:
    from playwright.sync_api import expect

    account = two_devices(server, services)
    kept, lost = account.devices
    page = open_page()
    sign_in(page, account.email)

    cards = page.locator("ul.cards > li[data-device-id]")
    expect(cards).to_have_count(2)
    assert sorted(cards.evaluate_all("cards => cards.map(c => c.dataset.deviceId)")) == sorted(
        account.devices
    )

    # The keyboard alone: Tab to the device's link, Enter.
    tab_to(page, f"/account/devices/{kept}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/account/devices/{kept}")
    expect(page.locator("h1")).to_have_text("Unnamed device")

    name = page.get_by_label("Name", exact=True)
    name.fill("Work laptop")
    name.press("Enter")
    page.wait_for_url(f"**/account/devices/{kept}?saved=1")
    expect(page.locator("h1")).to_have_text("Work laptop")
    expect(page.get_by_role("status")).to_have_text("The name was saved.")

    page.get_by_role("link", name="Back to your devices").click()
    page.wait_for_url("**/account/devices")
    expect(page.locator(f"li[data-device-id='{kept}'] h2")).to_have_text("Work laptop")
    page.locator(f"li[data-device-id='{lost}'] h2 a").click()
    page.wait_for_url(f"**/account/devices/{lost}")
    page.locator("a[data-action=free-seat]").click()
    page.wait_for_url(f"**/account/devices/{lost}/free")
    page.locator("button[data-action=confirm]").click()
    page.wait_for_url("**/account/devices?freed=1")
    expect(page.get_by_role("status")).to_contain_text("seats were freed")
    expect(cards).to_have_count(1)
    expect(page.locator(f"li[data-device-id='{kept}']")).to_contain_text("Work laptop")

    freed = server.post("/licenses/status", {"license": account.licenses[lost]})
    assert freed.status_code == 200, freed.text
    assert freed.json()["seat"] is False
    assert freed.json()["reason"] == "seat_freed"
    still = server.post("/licenses/status", {"license": account.licenses[kept]})
    assert still.status_code == 200, still.text
    assert still.json()["seat"] is True


@pytest.fixture(scope="module")
def shown(server: RunningServer, services: Services) -> Account:
    """An account with devices of every kind, which the tests below only look at."""
    return every_kind_of_device(server, services)


@pytest.mark.parametrize("language", ["en", "pl"])
def test_no_page_scrolls_sideways_on_a_360_px_phone(
    open_page: OpenPage, shown: Account, language: str
) -> None:
    page = open_page(language, width=360)
    page.goto("/account/sign-in")
    wide = {"sign-in": horizontal_overflow(page)}
    sign_in(page, shown.email)
    device = shown.devices[0]
    for name, path in [
        ("devices", "/account/devices"),
        ("device", f"/account/devices/{device}"),
        ("free", f"/account/devices/{device}/free"),
        ("licenses", "/account/licenses"),
    ]:
        page.goto(path)
        wide[name] = horizontal_overflow(page)
    assert all(pixels == 0 for pixels in wide.values()), f"wider than 360 px by: {wide}"


def test_the_language_switch_turns_the_page_polish_and_back(
    open_page: OpenPage, shown: Account
) -> None:
    from playwright.sync_api import expect

    page = open_page("en")
    sign_in(page, shown.email)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Your devices")

    page.get_by_role("link", name="Polski").click()
    page.wait_for_url("**/account/devices")
    expect(html).to_have_attribute("lang", "pl")
    expect(page.get_by_role("link", name="Polski")).to_have_attribute("aria-current", "true")
    expect(page.locator("h1")).not_to_have_text("Your devices")
    page.get_by_role("link", name="Licencje").click()  # the choice holds on the next page
    page.wait_for_url("**/account/licenses")
    expect(html).to_have_attribute("lang", "pl")

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/account/licenses")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Your licenses")
    expect(page.get_by_role("link", name=re.compile("^Devices$"))).to_be_visible()
