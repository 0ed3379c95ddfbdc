"""What a test needs from the machine, and what happens when the machine lacks it.

A developer's fresh machine may lack a system service (PostgreSQL, a Secret Service, an
accessibility bus, a desktop platform plugin's libraries): the test is skipped there, with
one line that says how to get it. CI installs all of them and lists them in
``STANDBY_TEST_REQUIRE`` (comma-separated names, or ``all``): there a missing one fails the
test instead, so CI never passes by skipping what it is meant to prove.
"""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

REQUIRE_ENV = "STANDBY_TEST_REQUIRE"
#: Debian's chromium, which the browser tests drive through Playwright (Playwright's own
#: browser download is not used).
CHROMIUM = "/usr/bin/chromium"
#: Where Debian puts nginx, outside a user's PATH.
NGINX = "/usr/sbin/nginx"

#: Every name a test may need; ``STANDBY_TEST_REQUIRE=all`` requires each of them.
KNOWN = (
    "postgres",
    "secret-service",
    "desktop-platform",
    "at-spi",
    "desktop-file-utils",
    "session-bus",
    "setpriv",
    "window-manager",
    "chromium",
    "nginx",
    "systemd-analyze",
)


def required(name: str) -> bool:
    """True when this environment promises to provide ``name``."""
    wanted = {part.strip() for part in os.environ.get(REQUIRE_ENV, "").split(",") if part.strip()}
    return name in wanted or "all" in wanted


def need(name: str, missing: str | None) -> None:
    """Skip (or, where ``name`` is required, fail) unless ``missing`` is None.

    ``missing`` says what is absent and how to get it, in one line.
    """
    assert name in KNOWN, name
    if missing is None:
        return
    if required(name):
        pytest.fail(f"{name} is required here ({REQUIRE_ENV}) but missing: {missing}")
    pytest.skip(f"needs {name}: {missing}")


def missing_commands(*names: str) -> list[str]:
    """Those of ``names`` that are not on the PATH."""
    return [name for name in names if shutil.which(name) is None]


def desktop_platform_missing() -> str | None:
    """Why no Qt platform plugin for a desktop (xcb, wayland) loads here, or None."""
    from PySide6.QtCore import QLibraryInfo, QPluginLoader

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    errors = []
    for name in ("xcb", "wayland"):
        loader = QPluginLoader(f"{folder}/platforms/libq{name}.so")
        if loader.load():
            return None
        errors.append(loader.errorString().rsplit("/", 1)[-1])
    return (
        f"no desktop platform plugin loads ({'; '.join(errors)}); Debian: apt-get install "
        "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0 "
        "libwayland-cursor0"
    )


def chromium_missing(*, axe: bool = False) -> str | None:
    """Why Playwright cannot drive Debian's chromium here (with axe-core, when ``axe``), or
    None."""
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing: pip install playwright"
    if axe and importlib.util.find_spec("axe_playwright_python") is None:
        return "axe-core is missing: pip install axe-playwright-python"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is absent; Debian: apt-get install chromium"
    return None


def nginx_command() -> str | None:
    """The nginx executable (on the PATH, or Debian's in /usr/sbin), or None."""
    found = shutil.which("nginx")
    if found:
        return found
    return NGINX if os.access(NGINX, os.X_OK) else None


def nginx_missing() -> str | None:
    """Why the tests cannot run nginx in front of the server here, or None."""
    if nginx_command() is None:
        return "nginx is absent; Debian: apt-get install nginx-light"
    return None


def systemd_analyze_missing() -> str | None:
    """Why ``systemd-analyze verify`` cannot check a unit file here, or None."""
    if missing_commands("systemd-analyze"):
        return "systemd-analyze is absent; Debian: apt-get install systemd"
    return None
