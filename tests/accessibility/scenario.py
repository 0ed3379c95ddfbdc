"""The real window on a real display, walked through AT-SPI as a screen reader sees it.

    python -m tests.accessibility.scenario LANGUAGE OUT_DIR

Run by ``test_screen_reader.py`` under Xvfb, in a D-Bus session with the accessibility
bus. It builds the window (embedded server), brings it into each state below, and for
each writes ``OUT_DIR/<state>.json``: the AT-SPI tree (``atspi_tree.py dump``, run with the
system's Python) and, from Qt's side, the text of every visible label. Announcements made
while Save activation code answers go to ``OUT_DIR/announcements.json``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from app.selftest.scenario import wait_until

TREE = Path(__file__).with_name("atspi_tree.py")
SYSTEM_PYTHON = os.environ.get("STANDBY_ATSPI_PYTHON", "/usr/bin/python3")
STEP_SECONDS = 30.0


def wait(condition: Callable[[], bool], what: str, seconds: float = STEP_SECONDS) -> None:
    """The event loop runs meanwhile: the app must keep answering the screen reader."""
    wait_until(condition, what, seconds)


def run_tool(*args: str) -> QProcess:
    process = QProcess()
    process.start(SYSTEM_PYTHON, [str(TREE), *args])
    if not process.waitForStarted(10_000):
        raise SystemExit(f"scenario: cannot start {SYSTEM_PYTHON}")
    return process


def visible_labels(windows: list[QWidget]) -> list[dict[str, str]]:
    labels = {id(w): w for window in windows for w in window.findChildren(QLabel)}
    return [
        {"object": label.objectName(), "text": label.text()}
        for label in labels.values()
        if label.isVisible() and label.text().strip()
    ]


def snapshot(out: Path, state: str, windows: list[QWidget]) -> None:
    process = run_tool("dump")
    wait(lambda: process.state() == QProcess.ProcessState.NotRunning, f"the {state} tree")
    tree = json.loads(bytes(process.readAllStandardOutput().data()).decode() or "null")
    if tree is None:
        raise SystemExit(bytes(process.readAllStandardError().data()).decode())
    record: dict[str, Any] = {"tree": tree, "labels": visible_labels(windows)}
    (out / f"{state}.json").write_text(json.dumps(record, ensure_ascii=False))


def main() -> int:
    language, out = sys.argv[1], Path(sys.argv[2])
    os.environ["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    app = QApplication(sys.argv[:1])
    from app.domain import codes
    from app.engine.vocabulary import SaveOutcome
    from app.gui import build_main_window

    window = build_main_window(data_dir=tempfile.mkdtemp(), language=language)
    window.show()
    engine = window.engine
    wait(lambda: engine.snapshot.loaded and engine.snapshot.busy is None, "loading")
    server = window.embedded
    assert server is not None

    def issue(term_days: int) -> str:
        return server.issue_code(term_days * 86400)

    def save(code: str) -> None:
        outcomes: list[SaveOutcome] = []
        engine.saveFinished.connect(outcomes.append)
        engine.save_code(code)
        wait(lambda: bool(outcomes) and engine.snapshot.busy is None, "saving a code")
        engine.saveFinished.disconnect(outcomes.append)

    # Profile with a license and a reserve code.
    save(issue(365))
    save(issue(730))
    window.show_profile()
    snapshot(out, "profile", [window])

    # Enter activation code: a typing mistake caught at once, then a refusal by the server,
    # with what a screen reader announces while the server answers.
    dialog = window.open_activation_dialog()
    wait(dialog.isVisible, "the code dialog")
    edit = dialog.findChild(QLineEdit, "activationCodeEdit")
    assert edit is not None
    edit.setFocus()
    good = codes.generate()
    edit.setText(good[:-1] + ("A" if good[-1] != "A" else "B"))
    edit.textEdited.emit(edit.text())
    snapshot(out, "code-typo", [window, dialog])
    edit.setText(good)  # well formed, but no such code
    edit.textEdited.emit(edit.text())
    listener = run_tool("listen", "8")
    wait(lambda: b"listening" in bytes(listener.peek(4096).data()), "the listener")
    save_button = dialog.findChild(QPushButton, "saveActivationCodeButton")
    assert save_button is not None
    outcomes: list[object] = []
    engine.saveFinished.connect(outcomes.append)
    save_button.click()
    wait(lambda: bool(outcomes), "the refusal")
    snapshot(out, "code-refused", [window, dialog])
    wait(lambda: listener.state() == QProcess.ProcessState.NotRunning, "the listener", 20)
    heard = bytes(listener.readAllStandardOutput().data()).decode().splitlines()
    said = [json.loads(line) for line in heard if line.startswith('"')]
    (out / "announcements.json").write_text(json.dumps(said, ensure_ascii=False))
    dialog.close()

    details = window.open_details()
    wait(details.isVisible, "License details")
    snapshot(out, "details", [window, details])
    details.close()

    demo = window.open_demo_codes()
    wait(lambda: bool(getattr(demo, "codes", None)), "the demo codes")
    snapshot(out, "demo", [window, demo])

    window.shutdown()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
