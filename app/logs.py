"""Where the desktop app's log goes: everything to a rotating file in the data directory,
warnings and errors also to the terminal. No line ever carries a whole activation code.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from io import TextIOWrapper
from pathlib import Path

from app.domain import codes

LOG_FILE = "standby.log"
#: One file of at most this size, and this many older ones beside it (standby.log.1, ...).
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"

#: Twenty letters and digits, in groups of five or not: an activation code as typed or
#: stored. Everything but its last five symbols is hidden, as the window shows codes.
_CODE = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Za-z]{5}(-?)[0-9A-Za-z]{5}\1[0-9A-Za-z]{5}\1([0-9A-Za-z]{5})"
    r"(?![0-9A-Za-z])"
)


def hide_codes(text: str) -> str:
    return _CODE.sub(lambda match: codes.mask_suffix(match.group(2)), text)


class _CodeHidingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return hide_codes(super().format(record))


class _PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """Each new file (the first, and after every rotation) readable by the user only."""

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return stream


def setup(data_dir: Path | None, *, console_level: int = logging.WARNING) -> Path | None:
    """Send the app's log to ``data_dir``/standby.log (kept private to the user) and to
    stderr from ``console_level`` up; the file's path, or None without a data directory."""
    close()  # set up before: replaced, not doubled
    root = logging.getLogger()
    # The app's own story at INFO; the libraries' (Alembic, uvicorn...) only when it matters.
    root.setLevel(logging.WARNING)
    logging.getLogger("standby").setLevel(logging.INFO)
    formatter = _CodeHidingFormatter(FORMAT)
    console = logging.StreamHandler(sys.stderr)
    console.standby = True  # type: ignore[attr-defined]
    console.setLevel(console_level)
    console.setFormatter(formatter)
    root.addHandler(console)
    if data_dir is None:
        return None
    path = data_dir / LOG_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        file = _PrivateRotatingFile(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as error:  # a read-only or full disk: the app still runs, and says why
        logging.getLogger("standby").warning("no log file in %s: %s", data_dir, error)
        return None
    file.standby = True  # type: ignore[attr-defined]
    file.setLevel(logging.INFO)
    file.setFormatter(formatter)
    root.addHandler(file)
    return path


def close() -> None:
    """Take away the handlers :func:`setup` added (and close the file)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "standby", False):
            root.removeHandler(handler)
            handler.close()
