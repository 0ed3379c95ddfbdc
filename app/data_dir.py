"""Where the device's data folder is when no ``--data-dir`` names one."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_data_dir() -> Path:
    """Where Qt's generic data location is (``QStandardPaths``), found without loading Qt:
    a second launch that only hands over must not pay for it."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        configured = os.environ.get("XDG_DATA_HOME", "")
        base = Path(configured) if os.path.isabs(configured) else Path.home() / ".local" / "share"
    return base / "standby"
