"""Debian's chromium, headless, through Playwright's sync API (never Playwright's own browser
download): one browser for the tests of this folder, and a fresh context (cookies, language,
colour scheme, window size) for each page a test opens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.console_pages import LOCALES, OpenPage, Scheme
from tests.needs import CHROMIUM, chromium_missing, need
from tests.servers import RunningServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

#: Playwright's waits (expect, wait_for_url, clicks): generous for a loaded CI machine.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, for this folder's tests; closed after them, so the rest
    of the suite runs without Playwright's event loop around."""
    need("chromium", chromium_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_page(chromium: Browser, server: RunningServer) -> Iterator[OpenPage]:
    """Opens pages on the session's server, each in a new context: the browser's language
    (its Accept-Language too), its colour scheme and its window width as given."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    contexts: list[BrowserContext] = []

    def open_(language: str = "en", scheme: Scheme = "light", width: int = 1280) -> Page:
        context = chromium.new_context(
            base_url=server.url,
            locale=LOCALES[language],
            color_scheme=scheme,
            viewport={"width": width, "height": 800},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
