"""Showing a file in the desktop's own viewer, or a web page in its browser, and knowing
when nothing could show it.

On Linux ``QDesktopServices.openUrl`` starts ``xdg-open`` and reports success as soon as
it has started, even when ``xdg-open`` then finds no program for the file ("no method
available"). So there ``xdg-open`` is run here and its exit status is awaited (without
blocking: it may keep running as long as the viewer it started).
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QUrl
from PySide6.QtGui import QDesktopServices

log = logging.getLogger("standby.gui")

#: Called with what went wrong, in the opener's own words (for the log).
Failed = Callable[[str], object]


def open_file(path: Path, parent: QObject, failed: Failed) -> None:
    """Show ``path`` in the desktop's viewer for it; call ``failed`` if nothing could."""
    _open(str(path), QUrl.fromLocalFile(str(path)), parent, failed)


def open_url(url: str, parent: QObject, failed: Failed) -> None:
    """Show the web page at ``url`` in the desktop's browser; call ``failed`` if nothing
    could."""
    _open(url, QUrl(url), parent, failed)


def _open(target: str, url: QUrl, parent: QObject, failed: Failed) -> None:
    if not sys.platform.startswith("linux"):
        if not QDesktopServices.openUrl(url):
            failed("the desktop could not open it")
        return
    program = shutil.which("xdg-open")
    if program is None:
        failed("xdg-open is not installed")
        return
    process = QProcess(parent)
    process.setProgram(program)
    process.setArguments([target])
    process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
    told = False

    def fail(why: str) -> None:
        nonlocal told
        if not told:
            told = True
            log.warning("could not open %s: %s", target, why)
            failed(why)

    def finished(status: int, exit: QProcess.ExitStatus) -> None:
        said = bytes(process.readAll().data()).decode(errors="replace").strip()
        if status != 0 or exit != QProcess.ExitStatus.NormalExit:
            fail(said.splitlines()[-1] if said else f"xdg-open ended with status {status}")
        process.deleteLater()

    def error(problem: QProcess.ProcessError) -> None:
        if problem == QProcess.ProcessError.FailedToStart:
            fail(f"xdg-open did not start: {process.errorString()}")
            process.deleteLater()

    process.finished.connect(finished)
    process.errorOccurred.connect(error)
    process.start()
