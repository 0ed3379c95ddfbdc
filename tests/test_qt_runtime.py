"""The Qt for Python release in use must not corrupt the interpreter as the app runs.

PySide6 6.12.0 dropped a reference to ``None`` at every call of a method returning
nothing (``setEnabled``, ``setText``…): a background engine that runs for days, or a test
session, aborted once ``None``'s count reached zero. ``pyproject.toml`` excludes it; this
keeps any other release with the same fault out.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

CALLS = 5_000


def test_calls_into_qt_leave_none_counted(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(CALLS):
        label.setEnabled(number % 2 == 0)
        label.setText(str(number))
    # Other code may hold a few more or fewer references meanwhile, never thousands.
    assert abs(sys.getrefcount(None) - before) < CALLS // 10
