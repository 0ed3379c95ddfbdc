"""The process that owns a data directory: it answers other processes, and in background
mode it runs the engine with no window until one is asked for.

``standby``: the window owns the engine (``start_main_window``); :class:`Host` answers a
second launch by raising it, and ``standby license``/``account`` through the window's engine.
``standby --background``: :class:`Host` runs the engine (and the embedded server), shows a
tray icon where the desktop has a notification area, tells the user through it while no
window is open, and builds a window on request; closing that window releases it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.engine.ask import Reply
from app.engine.commands import Commands
from app.engine.engine import Engine
from app.engine.owner import Owner

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow
    from app.wiring import LocalServer

# Imported inside functions: a background engine (no window) loads no window, and a window loads
# the tray and the notifications only when it needs them (bench/imports.py).

log = logging.getLogger("standby.host")

#: Set (to anything) to have "window shown" printed when a window first paints, and
#: "window complete" when it first paints with its pages: the start-up benchmarks
#: (bench/bundle.py, bench/background.py) time their runs to those lines.
STARTUP_PROBE = "STANDBY_STARTUP_PROBE"


def report_first_paint(window: MainWindow) -> None:
    """Print "window shown" at ``window``'s first paint, and "window complete" at its first
    paint once the pages are in (a window started from scratch paints its frame first)."""
    instance = QApplication.instance()
    if instance is None:
        return
    app: QCoreApplication = instance

    class Probe(QObject):
        shown = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                if not self.shown:
                    self.shown = True
                    print("window shown", flush=True)
                if window.is_complete:
                    app.removeEventFilter(self)
                    print("window complete", flush=True)
            return False

    app.installEventFilter(Probe(window))


class Host(QObject):
    def __init__(self, owner: Owner, data_dir: Path, language: str | None) -> None:
        super().__init__(owner)
        self.owner = owner
        self.data_dir = data_dir
        self.language = language
        self.window: MainWindow | None = None
        self.engine: Engine | None = None
        self._own_engine: Engine | None = None
        self._embedded: LocalServer | None = None
        self.tray: QSystemTrayIcon | None = None
        self._commands: Commands | None = None
        self._server_url: str | None = None
        self._missed: str | None = None  # the last notice told while no window showed it
        owner.request.connect(self._request)

    # --- the window owns the engine --------------------------------------------------------

    def show_window(self, server_url: str | None) -> MainWindow:
        from app.gui import start_main_window

        self.window = start_main_window(
            data_dir=self.data_dir, server_url=server_url, language=self.language
        )
        return self.window

    # --- background mode -------------------------------------------------------------------

    def run_in_background(self, server_url: str | None) -> None:
        """Start the engine (and the embedded server) with no window."""
        from app.wiring import wire

        self._server_url = server_url
        wired = wire(self.data_dir, server_url)
        self._embedded = wired.server
        engine = wired.engine
        engine.setParent(self)
        self._own_engine = self.engine = engine
        engine.notice.connect(self._tell)
        wired.start()
        self._make_tray()

    def _make_tray(self) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            log.info("no notification area: notices go to the desktop's notification service")
            return
        from app.gui.tray import make_tray

        self.tray = make_tray(None, self.open_window, self.quit)

    def open_window(self) -> None:
        """Show the window, building it if none is open."""
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()
            return
        if self._own_engine is None:
            return
        from app.gui import build_view_window

        window = build_view_window(
            self._own_engine,
            self._embedded,
            data_dir=self.data_dir,
            server_url=self._server_url,
            language=self.language,
        )
        window.destroyed.connect(self._window_gone)
        self.window = window
        if os.environ.get(STARTUP_PROBE):
            report_first_paint(window)
        window.show()
        missed, self._missed = self._missed, None
        if missed is not None:  # said while no window was open: the banner says it again
            window.notifier.notify(missed)

    def _window_gone(self) -> None:
        self.window = None

    def _tell(self, event: str) -> None:
        """A notice while no window shows it: the tray's message, or the desktop's."""
        if self.window is not None and self.window.isVisible():
            return  # the window's banner says it
        if self.engine is None:
            return
        from app.gui.notice_words import describe
        from app.gui.notifications import tray_icon

        told = describe(event, self.engine.snapshot)
        log.info("notice: %s", event)
        self._missed = event
        if self.tray is not None:
            self.tray.showMessage(told.title, told.text, tray_icon(told.tone))
        else:  # no notification area: the desktop's notification service, where there is one
            from app.gui import desktop_notify

            desktop_notify.notify(told.title, told.text, told.tone)

    def quit(self) -> None:
        self.shutdown()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.shutdown()
        if self._own_engine is not None:
            self._own_engine.shutdown()
        if self._embedded is not None:
            self._embedded.stop()
            self._embedded = None
        if self.tray is not None:
            self.tray.hide()
        self.owner.release()

    # --- requests from other processes -----------------------------------------------------

    def _engine(self) -> Engine | None:
        if self._own_engine is not None:
            return self._own_engine
        if self.window is not None and self.window.is_complete:
            return self.window.engine
        return None

    def _request(self, message: dict[str, Any], reply: Reply) -> None:
        op = message.get("op")
        if op == "open":
            self.open_window()
            reply({"status": 0})
        elif op in ("license", "account"):
            engine = self._engine()
            if engine is None:  # the window is still being assembled: ask again shortly
                QTimer.singleShot(100, lambda: self._request(message, reply))
                return
            if self._commands is None or self._commands.engine is not engine:
                self._commands = Commands(engine)
            self._commands.run(message, lambda result: reply(result.as_message()))
        else:
            reply({"status": 2, "err": f"unknown request {op!r}\n"})
