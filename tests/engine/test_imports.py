"""The engine runs without a window: importing it must not pull in QtWidgets or QtGui."""

from __future__ import annotations

import subprocess
import sys

ENGINE_MODULES = [
    "app.engine",
    "app.engine.engine",
    "app.engine.effects",
    "app.engine.rules",
    "app.engine.schedule",
    "app.engine.vocabulary",
    "app.engine.jobs",
    "app.engine.ask",
    "app.engine.owner",
    "app.engine.commands",
    "app.engine.cli",
    "app.engine.autostart",
    "app.engine.keyring_wait",
    "app.engine.runner",
    "app.engine.outcomes",
]


def test_the_engine_imports_no_widgets_and_no_gui() -> None:
    probe = (
        "import importlib, sys\n"
        f"for name in {ENGINE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "views = ('PySide6.QtWidgets', 'PySide6.QtGui')\n"
        "print(sorted(m for m in sys.modules if m.startswith(views)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_a_second_launch_reaches_the_owner_without_loading_qt() -> None:
    probe = (
        "import sys\n"
        "import app.__main__, app.engine.ask\n"
        "app.__main__.default_data_dir()\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]", done.stdout
