"""What an installation must carry and load: its data files, Qt's platform plugins, the
keyring's backends. The first checks of ``standby --self-test``, each returning one line."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

# Qt is imported inside the checks: an import that fails there is reported as that check's
# failure, one readable line (scenario.py), not as a self-test that cannot start.

#: The keyring backend each platform is expected to use.
NATIVE_KEYRING = {"linux": "SecretService", "win32": "Windows", "darwin": "macOS"}
#: The Qt platform plugins that show a window on each platform.
NATIVE_PLATFORM = {"linux": ("xcb", "wayland"), "win32": ("windows",), "darwin": ("cocoa",)}
#: What to install when no desktop platform plugin loads (Debian's names; the README too).
SYSTEM_LIBRARIES_HINT = (
    "Debian and Ubuntu: apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
    "libxcb-shape0 libxkbcommon-x11-0 libwayland-cursor0"
)


class CheckFailed(Exception):
    pass


def platform_name() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


def _load_failure(error: str) -> str:
    """'needs libfoo.so.1' from Qt's long "Cannot load library …: libfoo.so.1: cannot open
    shared object file" message, or the message itself."""
    marker = ": cannot open shared object file"
    if marker in error:
        return "needs " + error.split(marker)[0].rsplit(": ", 1)[-1]
    return error


def files() -> str:
    from PySide6.QtCore import QByteArray
    from PySide6.QtSvg import QSvgRenderer

    from app.gui import i18n
    from app.gui.resources import app_icon, resource

    icons = sorted(resource("icons").glob("*.svg"))
    if not icons:
        raise CheckFailed(f"no icons in {resource('icons')}")
    broken = [p.name for p in icons if not QSvgRenderer(QByteArray(p.read_bytes())).isValid()]
    if broken:
        raise CheckFailed(f"icons that do not draw: {', '.join(broken)}")
    if app_icon().isNull():
        raise CheckFailed("the application icon is missing")
    missing = [lang for lang in i18n.LANGUAGES if i18n.own_translator(lang) is None]
    if missing:
        raise CheckFailed(f"translations missing: {', '.join(missing)}")
    if i18n.qt_translator("pl") is None:
        raise CheckFailed("Qt's own Polish translation (qtbase_pl) is missing")
    return f"{len(icons)} icons, translations {', '.join(i18n.LANGUAGES)}, Qt's Polish"


def platform_plugins() -> str:
    """The plugins a window needs here are present and load (their libraries resolve)."""
    from PySide6.QtCore import QCoreApplication, QPluginLoader

    found: dict[str, Path] = {}
    for folder in QCoreApplication.libraryPaths():
        for plugin in (Path(folder) / "platforms").glob("*"):
            found.setdefault(plugin.stem.removeprefix("lib").removeprefix("q"), plugin)
    natives = list(NATIVE_PLATFORM.get(platform_name(), ()))
    wanted = {"offscreen", *natives}
    missing = wanted - set(found)
    if missing:
        raise CheckFailed(f"Qt platform plugins missing: {', '.join(sorted(missing))}")
    failures: dict[str, str] = {}
    for name in sorted(wanted):
        loader = QPluginLoader(str(found[name]))
        if not loader.load():
            failures[name] = _load_failure(loader.errorString())
    # A bundle carries the libraries its plugins need: each must load. Installed from a
    # wheel or a clone, the desktop's own libraries serve, and one desktop platform is
    # enough for a window (X11 or Wayland); the other is only mentioned.
    frozen = getattr(sys, "frozen", False)
    fatal = [
        f"{name} {why}"
        for name, why in failures.items()
        if frozen or name == "offscreen" or set(natives) <= set(failures)
    ]
    if fatal:
        hint = "" if frozen else f"; {SYSTEM_LIBRARIES_HINT}"
        raise CheckFailed(f"platform plugins that do not load: {', '.join(fatal)}{hint}")
    loaded = sorted(wanted - set(failures))
    note = "".join(f"; {name} does not load ({why})" for name, why in failures.items())
    return f"{', '.join(loaded)} (each loads){note}"


def keyring_backends() -> str:
    names = sorted(entry.name for entry in metadata.entry_points(group="keyring.backends"))
    native = NATIVE_KEYRING.get(platform_name())
    if native and native not in names:
        raise CheckFailed(f"the {native} keyring backend is not bundled (found {names})")
    if native:
        entry = next(e for e in metadata.entry_points(group="keyring.backends") if e.name == native)
        entry.load()  # imports the backend and what it needs (secretstorage, jeepney…)
    return ", ".join(names)
