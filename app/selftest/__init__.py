"""``standby --self-test``: prove that this copy of Standby works, without a display.

It runs the real app in a temporary data folder: the files it loads at run time, the
embedded server (database migrations included), the window, the OS keyring or its
fallback, and the reserve code's whole path: a code with a term of a few seconds is
activated, a reserve code is saved, and the reserve must activate itself when the first
license ends. Licenses are checked against the server's signing key. Each check prints one
line; the exit status is 0 only if every check passed.

Nothing of the user's own is touched: the data folder is new and removed afterwards, and
the keyring entry it creates is named after that folder's new device id and deleted.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import TextIO

import app
from app import __version__

# ctypes exists only on Windows. Qt and the scenario are imported inside run(), after it has set
# QT_QPA_PLATFORM and removed STANDBY_SECRET_FILE, so nothing they load reads the environment
# before that.


def installation() -> str:
    """How the running copy was installed, and where: a bundle, a package installed from a
    wheel (or ``pip install .``), an editable install, or a plain source tree."""
    if getattr(sys, "frozen", False):
        return f"bundle in {Path(sys.executable).parent}"
    package = Path(app.__file__).resolve().parent
    if package.parent.name in ("site-packages", "dist-packages"):
        return f"installed package in {package.parent}"
    try:
        direct = json.loads(metadata.distribution("standby").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        direct = {}
    if direct.get("dir_info", {}).get("editable"):
        return f"editable install of {package.parent}"
    return f"from source in {package.parent}"


def _console() -> TextIO:
    """Where to print: stdout, or on Windows (a window app has none) the calling console."""
    stream = sys.stdout
    if stream is None and sys.platform == "win32":
        import ctypes

        if ctypes.windll.kernel32.AttachConsole(-1):  # the console it was started from
            stream = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    if stream is None:  # started with no console at all: leave the report in a file
        report = Path(tempfile.gettempdir()) / "standby-self-test.txt"
        stream = report.open("w", encoding="utf-8")
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="replace")  # a console that cannot show "…" gets "?"
    return stream


def run(out: TextIO | None = None) -> int:
    """Run every check; 0 if all passed, 1 otherwise."""
    out = out or _console()
    # No display needed, whatever the session has; and the embedded server must not follow
    # an operator's setting to a secret file outside the temporary folder.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.pop("STANDBY_SECRET_FILE", None)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Standby")
    print(
        f"Standby {__version__} self-test ({installation()}, "
        f"Qt platform {os.environ['QT_QPA_PLATFORM']})",
        file=out,
        flush=True,
    )
    started = time.monotonic()
    from app.selftest.scenario import SelfTest

    test = SelfTest(out)
    ok = test.run()
    took = time.monotonic() - started
    if ok:
        print(f"self-test passed: {test.passed} checks in {took:.1f} s", file=out, flush=True)
        return 0
    print(
        f"self-test FAILED after {test.passed} passed checks ({took:.1f} s)", file=out, flush=True
    )
    return 1
