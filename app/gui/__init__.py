"""The desktop window. :func:`build_main_window` builds it over an engine and a server
from :func:`app.wiring.wire`, where the app is put together.

The app itself starts through :func:`start_main_window`, which puts the window's frame on
screen before importing and building the rest (the license engine, the HTTP client,
the pages): the same window, assembled in two steps.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.gui import import_hook
from app.logs import LOG_FILE

if TYPE_CHECKING:
    from app.engine.autostart import Autostart
    from app.engine.engine import Engine
    from app.gui.main_window import MainWindow
    from app.wiring import LocalServer

# Imported inside functions: the window's frame is shown before its pages, the engine and the
# embedded server load (bench/imports.py: about 1 s together).

log = logging.getLogger("standby.gui")
import_hook.install()  # before the embedded server's thread imports FastAPI

SETTINGS_FILE = "settings.ini"


def build_main_window(
    *, data_dir: str | Path, server_url: str | None = None, language: str | None = None
) -> MainWindow:
    """Build and wire the main window without entering the event loop.

    With no ``server_url`` the activation server starts in this process (SQLite in the
    data directory); the window does not wait for it. Background work (the server, loading
    the license) begins once the window has first painted, or after a second if it is not
    shown, so it does not slow the first paint down. A QApplication must exist.
    """
    window, folder = _frame(data_dir, language)
    _assemble(window, folder, server_url)
    return window


def start_main_window(
    *,
    data_dir: str | Path,
    server_url: str | None = None,
    language: str | None = None,
    start_at_login: bool = True,
) -> MainWindow:
    """Show the window's frame at once and complete it just after its first paint.

    ``start_at_login`` False leaves out the *Start Standby when I log in* switch (the
    self-test's throw-away device must not start at login)."""
    window, folder = _frame(data_dir, language)
    window.show()

    def complete() -> None:
        try:
            _assemble(window, folder, server_url, start_at_login=start_at_login)
        except Exception as error:  # a window that cannot work must not look as if it did
            log.exception("Standby could not start")
            window.cannot_start(error)

    window.after_first_paint(complete)
    return window


def build_view_window(
    engine: Engine,
    embedded: LocalServer | None,
    *,
    data_dir: str | Path,
    server_url: str | None,
    language: str | None = None,
) -> MainWindow:
    """A window over an engine that runs without it (background mode): closing the window
    releases it and leaves the engine running."""
    window, folder = _frame(data_dir, language)
    window.attach(engine, embedded, owns_engine=False, autostart=startup_entry(folder, server_url))
    return window


def startup_entry(folder: Path, server_url: str | None) -> Autostart:
    """The entry that starts this installation in background mode at login, for
    ``folder`` (and ``server_url``: None for the embedded server)."""
    from app.engine.autostart import Autostart, launch_command

    return Autostart(launch_command(data_dir=folder, server_url=server_url))


def _frame(data_dir: str | Path, language: str | None) -> tuple[MainWindow, Path]:
    # Here, not at the top: a background engine loads the window's modules only when a
    # window is first asked for.
    from app.gui import i18n, theme
    from app.gui.main_window import MainWindow

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("build_main_window needs a QApplication")
    folder = Path(data_dir).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        folder.chmod(0o700)
    i18n.install(language)
    theme.apply(app)
    settings = QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)
    window = MainWindow(settings, folder / LOG_FILE)
    theme.follow_system(window.system_theme_changed)
    return window, folder


def _assemble(
    window: MainWindow, folder: Path, server_url: str | None, *, start_at_login: bool = True
) -> None:
    from app.wiring import wire

    entry = startup_entry(folder, server_url) if start_at_login else None
    wired = wire(folder, server_url)
    try:
        wired.engine.setParent(window)
        window.attach(wired.engine, wired.server, autostart=entry)
    except BaseException:
        wired.stop_server()
        raise
    window.after_first_paint(wired.start)
