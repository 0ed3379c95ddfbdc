"""The account console in a real browser: Debian's chromium, driven through Playwright."""
